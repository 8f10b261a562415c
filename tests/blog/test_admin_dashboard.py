import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from subscriptions.models import Delivery, Digest
from tests.blog.roles import author, editor, moderator
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def make_content(count: int) -> None:
    article = ArticleFactory(published=True)
    for n in range(count):
        ArticleFactory(status=Article.Status.REVIEW, title=f"Waiting {n}")
        ArticleFactory(scheduled=True, title=f"Soon {n}")
        CommentFactory(target=article, name=f"Reader {n}")
    now = timezone.now()
    digest = Digest.objects.create(
        period=Digest.Period.DAILY,
        sequence=Digest.objects.count() + 1,
        since=now - datetime.timedelta(days=1),
        until=now,
    )
    for n in range(count):
        Delivery.objects.create(
            subscriber=SubscriberFactory(),
            digest=digest,
            status=Delivery.Status.SENT if n % 2 else Delivery.Status.FAILED,
        )


def test_dashboard_shows_what_is_waiting(client):
    make_content(2)
    client.force_login(editor())

    response = client.get(INDEX)

    content = response.content.decode()
    assert "2 drafts waiting for review" in content
    assert "Waiting 0" in content
    assert "2 scheduled articles" in content and "Soon 1" in content
    assert "2 comments waiting for moderation" in content and "Reader 1" in content
    assert "Last digest" in content
    digest = response.context["dashboard"].digest_statuses
    assert sorted(digest) == [("Failed", 1), ("Sent", 1)]


def test_dashboard_query_count_does_not_grow_with_content(client):
    user = editor()
    client.force_login(user)
    make_content(1)
    client.get(INDEX)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get(INDEX)

    make_content(12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(INDEX)

    assert response.context["dashboard"].review_count == 13
    assert len(many) == len(one), (len(one), len(many))


def test_dashboard_shows_each_role_only_its_panels(client):
    make_content(1)
    client.force_login(moderator())
    dashboard = client.get(INDEX).context["dashboard"]
    assert dashboard.show_comments and not dashboard.show_articles and not dashboard.show_digest

    me = author()
    ArticleFactory(author=me, status=Article.Status.REVIEW, title="My draft")
    client.force_login(me)
    dashboard = client.get(INDEX).context["dashboard"]
    assert [a.title for a in dashboard.review] == ["My draft"]
    assert not dashboard.show_comments


def test_admin_index_works_without_the_comments_and_subscriptions_apps(client, settings):
    from config.admin import dashboard_for

    client.force_login(editor())
    request = client.get(INDEX).wsgi_request
    settings.INSTALLED_APPS = [
        app for app in settings.INSTALLED_APPS if app not in {"comments", "subscriptions"}
    ]
    dashboard = dashboard_for(request)
    assert dashboard.show_articles
    assert not dashboard.show_comments and not dashboard.show_digest


def changelist_queries(client) -> int:
    url = reverse("admin:blog_article_changelist")
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return len(captured), len(response.context["cl"].result_list)


def test_article_changelist_query_count_is_constant(client):
    client.force_login(editor())
    ArticleFactory(tags=["prisons"])
    one, shown = changelist_queries(client)
    assert shown == 1

    ArticleFactory.create_batch(29, tags=["prisons", "probation"])
    many, shown = changelist_queries(client)

    assert shown == 30
    assert many == one
