import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.admin import article_panel
from blog.models import Article
from tests.blog.factories import StaffFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def make_articles(count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        ArticleFactory(status=Article.Status.REVIEW, title=f"Waiting {n}")
        ArticleFactory(scheduled=True, title=f"Soon {n}")


def test_dashboard_lists_drafts_in_review_and_scheduled_articles(client):
    ArticleFactory(published=True, title="Already out")
    make_articles(2)
    client.force_login(StaffFactory(editor=True))

    response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 drafts waiting for review" in html and "Waiting 0" in html
    assert "2 scheduled articles" in html and "Soon 1" in html
    assert "Already out" not in html


def test_article_panel_shows_an_author_only_their_own_drafts(client):
    make_articles(1)
    me = StaffFactory(author=True)
    ArticleFactory(author=me, status=Article.Status.REVIEW, title="My draft")
    client.force_login(me)

    response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "1 draft waiting for review" in html and "My draft" in html
    assert "Waiting 0" not in html


def test_moderators_see_no_article_panel(client):
    make_articles(1)
    client.force_login(StaffFactory(moderator=True))

    response = client.get(INDEX)

    assert response.status_code == 200
    assert "blog-articles" not in [panel.name for panel in response.context["dashboard"]]
    assert 'id="dashboard-review"' not in response.content.decode()


def test_article_panel_queries_do_not_grow_with_articles(client):
    client.force_login(StaffFactory(editor=True))
    make_articles(1)
    client.get(INDEX)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 draft waiting for review" in html and "Waiting 0" in html

    make_articles(11, start=1)
    with CaptureQueriesContext(connection) as many:
        response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "12 drafts waiting for review" in html and "12 scheduled articles" in html
    assert "Waiting 11" in html and "All drafts in review" in html
    assert len(many) == len(one), (len(one), len(many))


def test_article_panel_costs_two_queries(rf):
    make_articles(12)
    request = rf.get(INDEX)
    request.user = StaffFactory(editor=True)
    request.user.has_perm("blog.view_article")  # loads the permissions, once per request

    with CaptureQueriesContext(connection) as queries:
        panel = article_panel(request)

    assert (panel["review_count"], panel["scheduled_count"]) == (12, 12)
    assert len(panel["review"]) == len(panel["scheduled"]) == 8
    assert len(queries) == 2


def changelist_queries(client) -> int:
    url = reverse("admin:blog_article_changelist")
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), len(response.context["cl"].result_list)


def test_article_changelist_query_count_is_constant(client):
    client.force_login(StaffFactory(editor=True))
    ArticleFactory(tags=["prisons"])
    one, shown = changelist_queries(client)
    assert shown == 1

    ArticleFactory.create_batch(29, tags=["prisons", "probation"])
    many, shown = changelist_queries(client)

    assert shown == 30
    assert many == one
