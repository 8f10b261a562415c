import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from tests.blog.factories import StaffFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_article_list_shows_status_as_a_short_badge(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 29, 12, tzinfo=datetime.UTC), tick=False)
    ArticleFactory(title="A draft")
    ArticleFactory(title="Waiting", status=Article.Status.REVIEW)
    ArticleFactory(
        title="Soon",
        status=Article.Status.PUBLISHED,
        published_at=datetime.datetime(2026, 12, 3, 9, 30, tzinfo=datetime.UTC),
    )
    ArticleFactory(title="Out", published=True)
    client.force_login(StaffFactory(editor=True))

    content = client.get(reverse("admin:blog_article_changelist")).content.decode()

    assert '<span class="status-badge status-badge--draft">Draft</span>' in content
    assert '<span class="status-badge status-badge--review">In review</span>' in content
    assert "Scheduled for 3 Dec 09:30" in content
    assert '<span class="status-badge status-badge--published">Published</span>' in content
    table = content.split('id="result_list"')[1].split("</table>")[0]
    assert "scheduled while the date is in the future" not in table
    assert "css/admin-desk.css" in content


def test_edit_page_is_comfortable(client):
    me = StaffFactory(editor=True)
    article = ArticleFactory(author=me, published_at=timezone.now())
    client.force_login(me)

    content = client.get(reverse("admin:blog_article_change", args=[article.pk])).content.decode()

    assert '<label for="id_body">Body:</label>' in content
    assert 'class="vTextField desk-title"' in content
    assert 'id="id_standfirst"' in content and 'data-counter=""' in content
    assert 'name="meta_description"' in content and 'maxlength="160"' in content
    assert "js/admin-desk.js" in content and "js/admin-tags.js" in content
    assert 'name="language"' in content
    assert 'formaction="/admin/blog/article/' in content and 'formtarget="_blank"' in content
    assert 'data-autosave-url="/admin/blog/article/' in content
    assert "<script>" not in content.replace("<script src=", "")  # no inline scripts
