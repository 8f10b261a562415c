"""Every change an anonymous reader could see shows at once on cached pages."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from blog.models import Article
from tests.factories import ArticleFactory, ResourcePackFactory, ResourcePackItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache(settings):
    settings.PAGE_CACHE = True


def cached(client, url: str) -> str:
    """The page, after making sure the cache holds it."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200 and response["X-Page-Cache"] == "hit"
    return response.content.decode()


def fresh(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_publishing_an_article_shows_it_on_the_home_page_at_once(client, on_commit):
    ArticleFactory(published=True, title="Older article")
    assert "Court backlogs" not in cached(client, "/")
    with on_commit():
        ArticleFactory(published=True, title="Court backlogs")
    assert "Court backlogs" in fresh(client, "/")


def test_editing_an_article_shows_on_its_page_and_the_home_page(client, on_commit):
    article = ArticleFactory(published=True, title="Caseloads doubled")
    url = article.get_absolute_url()
    assert all("Caseloads doubled" in cached(client, page) for page in (url, "/", "/feed/"))
    with on_commit():
        article.title = "Caseloads tripled"
        article.save()
    assert "Caseloads tripled" in fresh(client, url)
    assert "Caseloads tripled" in fresh(client, "/")


def test_unpublishing_an_article_takes_it_off_every_cached_page(client, on_commit):
    url = ArticleFactory(published=True, title="Withdrawn piece").get_absolute_url()
    assert "Withdrawn piece" in cached(client, "/feed/") and cached(client, url)
    with on_commit():
        Article.objects.update(status=Article.Status.DRAFT)  # no signal: then save() one
        Article.objects.get().save()
    assert client.get(url).status_code == 404
    assert "Withdrawn piece" not in fresh(client, "/feed/")


def test_an_authors_new_name_shows_on_their_cached_articles(client, on_commit):
    article = ArticleFactory(published=True)
    article.author.profile.display_name = ""  # the page shows the account's own name
    article.author.profile.save()
    article.author.first_name, article.author.last_name = "Priya", "Raman"
    article.author.save()
    url = article.get_absolute_url()
    assert "Priya Raman" in cached(client, url)
    with on_commit():
        article.author.last_name = "Raman-Okafor"
        article.author.save()
    assert "Priya Raman-Okafor" in fresh(client, url)


def test_signing_in_keeps_the_cached_pages(client, on_commit):
    from django.contrib.auth.models import update_last_login

    article = ArticleFactory(published=True)
    url = article.get_absolute_url()
    cached(client, url)
    with on_commit():
        update_last_login(None, article.author)
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_an_editors_autosaves_leave_the_cached_pages_alone(client, on_commit):
    from blog.services import article_autosave_discard, article_autosave_put

    article = ArticleFactory(published=True, title="Caseloads doubled")
    url = article.get_absolute_url()
    cached(client, url)
    with on_commit():  # written every few idle seconds while an editor types
        article_autosave_put(user=article.author, article=article, data={"title": ["Draft"]})
        article_autosave_discard(user=article.author, article=article)
    assert client.get(url)["X-Page-Cache"] == "hit"


def test_tagging_an_article_shows_on_its_cached_page(client, on_commit):
    article = ArticleFactory(published=True)
    url = article.get_absolute_url()
    assert "Youth justice" not in cached(client, url)
    with on_commit():
        article.tags.add("Youth justice")
    assert "Youth justice" in fresh(client, url)


def test_a_scheduled_article_appears_when_its_time_arrives(client):
    ArticleFactory(published=True, title="Already out")
    start = timezone.now()
    ArticleFactory(
        status=Article.Status.PUBLISHED,
        published_at=start + datetime.timedelta(minutes=30),
        title="Embargoed report",
    )
    with time_machine.travel(start, tick=False):
        assert "Embargoed report" not in cached(client, "/")
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        assert "Embargoed report" in fresh(client, "/")


def test_editing_a_resource_pack_shows_on_its_cached_page(client, on_commit):
    pack = ResourcePackFactory(title="Transforming Rehabilitation")
    url = pack.get_absolute_url()
    assert "Annual report" not in cached(client, url)
    with on_commit():
        ResourcePackItemFactory(pack=pack, title="Annual report")
    assert "Annual report" in fresh(client, url)
    with on_commit():
        pack.title = "Probation reform"
        pack.save()
    assert "Probation reform" in fresh(client, url)
