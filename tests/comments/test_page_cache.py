import pytest
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from comments.services import CommentImport, comment_moderate, comments_erase, comments_import
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_approving_a_comment_shows_it_on_the_cached_page_and_feed(client, settings, on_commit):
    settings.PAGE_CACHE = True
    article = ArticleFactory(published=True)
    comment = CommentFactory(target=article, body="Held for moderation.")
    url = article.get_absolute_url()
    for address in (url, "/comments/feed/"):
        client.get(address)
        response = client.get(address)
        assert response["X-Page-Cache"] == "hit"
        assert "Held for moderation." not in response.content.decode()
    with on_commit():
        comment.status = Comment.Status.APPROVED
        comment.save()
    for address in (url, "/comments/feed/"):
        assert "Held for moderation." in client.get(address).content.decode(), address


# Moderation, erasure and imports update comments without signals; each is a trigger too.


@pytest.fixture
def cached_page(client, settings):
    """Warms the page cache for an address, checking the next read is a hit."""
    settings.PAGE_CACHE = True

    def warm(url):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"

    return warm


def test_approving_through_moderation_shows_the_comment_at_once(client, cached_page, on_commit):
    article = ArticleFactory(published=True)
    comment = CommentFactory(target=article, body="Approved by a moderator.")
    url = article.get_absolute_url()
    for address in (url, "/comments/feed/"):
        cached_page(address)
    with on_commit():
        comment_moderate(comments=[comment], status=Comment.Status.APPROVED)
    for address in (url, "/comments/feed/"):
        assert "Approved by a moderator." in client.get(address).content.decode(), address


def test_removing_through_moderation_takes_the_comment_off_at_once(client, cached_page, on_commit):
    article = ArticleFactory(published=True)
    comment = CommentFactory(target=article, approved=True, body="Soon to be removed.")
    url = article.get_absolute_url()
    cached_page(url)
    with on_commit():
        comment_moderate(
            comments=Comment.objects.filter(pk=comment.pk), status=Comment.Status.REMOVED
        )
    assert "Soon to be removed." not in client.get(url).content.decode()


def test_held_and_spam_comments_leave_the_cached_pages_alone(
    client, cached_page, post_comment, on_commit
):
    article = ArticleFactory(published=True, comments_open=True)
    url = article.get_absolute_url()
    cached_page(url)
    with on_commit():
        held = post_comment(article, body="Waiting for a moderator.")
        spam = post_comment(article, body="Fast " * 3, started="", email="bot@example.net")
    assert held.status_code == spam.status_code == 302
    assert Comment.objects.filter(status=Comment.Status.PENDING).count() == 1
    assert Comment.objects.filter(status=Comment.Status.SPAM).count() == 1
    reader = Client()  # the poster carries a flash message now: their pages are their own
    assert reader.get(url)["X-Page-Cache"] == "hit"  # nobody can empty the cache by posting
    with on_commit():
        Comment.objects.get(status=Comment.Status.PENDING).delete()
    assert reader.get(url)["X-Page-Cache"] == "hit"


def test_erasing_a_readers_comments_takes_their_name_off_cached_pages_at_once(
    client, cached_page, on_commit
):
    article = ArticleFactory(published=True)
    CommentFactory(target=article, approved=True, name="Ada Lovelace", email="ada@example.net")
    url = article.get_absolute_url()
    cached_page(url)
    with on_commit():
        comments_erase(email="ada@example.net")
    html = client.get(url).content.decode()
    assert "Ada Lovelace" not in html and "A reader" in html


def test_imported_comments_show_on_cached_pages_at_once(client, cached_page, on_commit):
    article = ArticleFactory(published=True)
    url = article.get_absolute_url()
    cached_page(url)
    row = CommentImport(
        key=1,
        name="Imported reader",
        email="old@example.net",
        website="",
        body="Brought over from the old site.",
        status=Comment.Status.APPROVED,
        created=timezone.now(),
    )
    with on_commit():
        comments_import(target=article, comments=[row])
    assert "Brought over from the old site." in client.get(url).content.decode()
