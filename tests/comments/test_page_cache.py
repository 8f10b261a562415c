import pytest

from comments.models import Comment
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
