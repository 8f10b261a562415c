import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.utils import timezone

from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"


def items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content).find("channel"), response.content.decode()


def test_site_feed_lists_approved_comments_newest_first_with_absolute_links(client, article):
    now = timezone.now()
    older = CommentFactory(
        target=article, approved=True, name="Ada", created=now - datetime.timedelta(hours=2)
    )
    newer = CommentFactory(
        target=article,
        approved=True,
        name="Bo & Co",
        email="bo.secret@example.net",
        body="Line one\nhttps://www.gov.uk/",
        created=now - datetime.timedelta(hours=1),
    )
    CommentFactory(target=article, body="Held back.")
    CommentFactory(target=article, spam=True, body="Spam.")

    channel, body = items(client, "/comments/feed/")

    entries = channel.findall("item")
    assert [entry.findtext("link") for entry in entries] == [
        f"https://oversight.example/articles/caseloads/#comment-{newer.pk}",
        f"https://oversight.example/articles/caseloads/#comment-{older.pk}",
    ]
    first = entries[0]
    assert first.findtext("title") == "Bo & Co on Probation caseloads"
    assert first.findtext("guid") == first.findtext("link")
    assert 'href="https://www.gov.uk/" rel="nofollow ugc noopener"' in first.findtext("description")
    assert first.findtext(f"{DC}creator") == "Bo & Co"
    assert channel.find("{http://www.w3.org/2005/Atom}link").get("href") == (
        "https://oversight.example/comments/feed/"
    )
    assert "bo.secret" not in body and "@example.net" not in body
    assert "Held back." not in body and "Spam." not in body


@pytest.mark.parametrize("url", ["/comments/feed/", "/articles/qi/comments/feed/"])
def test_titles_and_names_are_escaped_once(client, url):
    article = ArticleFactory(published=True, title="Quality & Impact", slug="qi")
    CommentFactory(target=article, approved=True, name="Ada & Bo")

    channel, body = items(client, url)

    assert "Ada &amp; Bo on Quality &amp; Impact" in body
    assert "&amp;amp;" not in body
    item = channel.find("item")
    assert item.findtext("title") == "Ada & Bo on Quality & Impact"
    assert item.findtext(f"{DC}creator") == "Ada & Bo"


def test_comments_on_drafts_and_scheduled_articles_stay_out_of_the_feed(client):
    for state in ({}, {"scheduled": True}):
        CommentFactory(target=ArticleFactory(**state), approved=True, body="Not yet public.")
    _channel, body = items(client, "/comments/feed/")
    assert "Not yet public." not in body


def test_article_comment_feed_holds_only_that_articles_comments(client, article):
    mine = CommentFactory(target=article, approved=True, body="About caseloads.")
    CommentFactory(approved=True, body="About something else.")

    channel, body = items(client, "/articles/caseloads/comments/feed/")

    assert channel.findtext("title") == "Comments on Probation caseloads"
    assert channel.findtext("link") == "https://oversight.example/articles/caseloads/"
    assert channel.find("{http://www.w3.org/2005/Atom}link").get("href") == (
        "https://oversight.example/articles/caseloads/comments/feed/"
    )
    assert [e.findtext("link") for e in channel.findall("item")] == [
        f"https://oversight.example/articles/caseloads/#comment-{mine.pk}"
    ]
    assert "something else" not in body


@pytest.mark.parametrize("url", ["/articles/nope/comments/feed/"])
def test_unknown_or_unpublished_article_feed_is_404(client, url):
    ArticleFactory(slug="draft")
    assert client.get(url).status_code == 404
    assert client.get("/articles/draft/comments/feed/").status_code == 404


@pytest.mark.parametrize("url", ["/comments/feed/", "/articles/caseloads/comments/feed/"])
def test_feeds_use_a_fixed_number_of_queries(client, article, django_assert_num_queries, url):
    other = ArticleFactory(published=True)
    first = CommentFactory(target=article, approved=True)
    cache.clear()
    Site.objects.clear_cache()
    with django_assert_num_queries(3) as one:
        response = client.get(url)
    assert response.status_code == 200
    assert first.name in response.content.decode()
    added = CommentFactory.create_batch(10, target=article, approved=True)
    CommentFactory.create_batch(10, target=other, approved=True)
    cache.clear()
    Site.objects.clear_cache()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert all(comment.name in body for comment in added)
