import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from comments.models import Comment
from tests.comments.factories import CommentFactory
from tests.inspections.factories import InspectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection():
    return InspectionFactory(slug="recent", published_on=timezone.localdate())


def test_readers_can_comment_on_a_recent_inspection(client, inspection, post_comment):
    html = client.get(inspection.get_absolute_url()).content.decode()
    assert '<section class="comments" id="comments"' in html

    response = post_comment(inspection)

    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.target == inspection
    assert comment.status == Comment.Status.PENDING


def test_approved_comments_show_on_the_inspection_and_in_its_feed(client, inspection):
    CommentFactory(target=inspection, approved=True, body="The timeline is telling.")
    html = client.get(inspection.get_absolute_url()).content.decode()
    feed = client.get("/inspections/recent/comments/feed/")
    assert "The timeline is telling." in html
    assert feed.status_code == 200 and "The timeline is telling." in feed.content.decode()


def test_comments_close_on_old_inspections_and_when_turned_off(client, post_comment):
    old = InspectionFactory(slug="old", published_on=datetime.date(2016, 12, 14))
    closed = InspectionFactory(slug="closed", published_on=timezone.localdate())
    closed.comments_open = False
    closed.save()
    for target in (old, closed):
        response = post_comment(target)
        assert response.status_code in {400, 403}
    assert not Comment.objects.exists()


def test_inspection_page_queries_do_not_grow_with_comments(
    client, inspection, django_assert_max_num_queries
):
    CommentFactory(target=inspection, approved=True, body="The first remark.")
    with django_assert_max_num_queries(10) as few:
        response = client.get(inspection.get_absolute_url())
    assert response.status_code == 200
    assert "The first remark." in response.content.decode()
    for n, parent in enumerate(CommentFactory.create_batch(20, target=inspection, approved=True)):
        CommentFactory(target=inspection, approved=True, parent=parent, body=f"Reply {n}.")
    cache.clear()
    with django_assert_max_num_queries(10) as many:
        response = client.get(inspection.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f"Reply {n}." in html for n in range(20))
    assert len(few.captured_queries) == len(many.captured_queries)
