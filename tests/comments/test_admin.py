import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.admin import comment_panel
from comments.models import Comment
from tests.blog.factories import StaffFactory
from tests.comments.factories import CommentFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/comments/comment/"


@pytest.fixture
def editor(client):
    user = UserFactory(username="editor", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_changelist_puts_pending_comments_first(client, editor, article):
    now = timezone.now()
    approved = CommentFactory(target=article, approved=True, name="Newest approved", created=now)
    pending = CommentFactory(
        target=article, name="Older pending", created=now - datetime.timedelta(days=2)
    )

    html = client.get(CHANGELIST).content.decode()

    assert html.index(pending.name) < html.index(approved.name)
    assert "Probation caseloads" in html


def test_changelist_filters_by_status_and_searches_email(client, editor, article):
    CommentFactory(target=article, name="Findable", email="needle@example.net")
    CommentFactory(target=article, name="Approved one", approved=True)

    pending = client.get(CHANGELIST, {"status__exact": "pending"}).content.decode()
    found = client.get(CHANGELIST, {"q": "needle@"}).content.decode()

    assert "Findable" in pending and "Approved one" not in pending
    assert "Findable" in found and "Approved one" not in found


def test_changelist_filters_by_the_language_a_comment_was_written_in(client, editor, article):
    CommentFactory(target=article, name="Welsh reader", language="cy")
    CommentFactory(target=article, name="English reader", language="")

    welsh = client.get(CHANGELIST, {"language__exact": "cy"}).content.decode()

    assert "Welsh reader" in welsh and "English reader" not in welsh


def test_changelist_queries_do_not_grow_with_rows(
    client, editor, article, django_assert_max_num_queries
):
    CommentFactory(target=article, name="First remark")
    with django_assert_max_num_queries(20) as one:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert "First remark" in response.content.decode()
    added = CommentFactory.create_batch(20, target=article)
    with django_assert_max_num_queries(20) as many:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert all(comment.name in html for comment in added)
    assert len(one.captured_queries) == len(many.captured_queries)


@pytest.mark.parametrize(
    ("action", "status"),
    [("approve", "approved"), ("mark_spam", "spam"), ("remove", "removed")],
)
def test_bulk_actions_moderate_and_counts_follow(client, editor, article, action, status):
    start = "pending" if action == "approve" else "approved"
    comments = CommentFactory.create_batch(3, target=article, status=start)
    CommentFactory(target=article, status=start)  # not selected

    response = client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )

    assert response.status_code == 200
    assert Comment.objects.filter(status=status).count() == 3
    home = client.get("/").content.decode()
    expected = {"approve": "3 Responses", "mark_spam": "One Response", "remove": "One Response"}
    assert expected[action] in home
    assert expected[action] in client.get(article.get_absolute_url()).content.decode()


def test_bulk_approve_emails_reply_subscribers_once(
    client, editor, article, mailoutbox, django_capture_on_commit_callbacks
):
    parent = CommentFactory(target=article, approved=True, notify_replies=True)
    reply = CommentFactory(target=article, parent=parent)
    data = {"action": "approve", "_selected_action": [reply.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, data)
        client.post(CHANGELIST, data)
    assert [m.to for m in mailoutbox] == [[parent.email]]


def test_changing_status_in_the_form_goes_through_moderation(
    client, editor, article, mailoutbox, django_capture_on_commit_callbacks
):
    parent = CommentFactory(target=article, approved=True, notify_replies=True)
    reply = CommentFactory(target=article, parent=parent, body="Original")
    url = reverse("admin:comments_comment_change", args=[reply.pk])
    html = client.get(url).content.decode()
    assert re.search(r'name="body"', html)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "status": "approved",
                "name": reply.name,
                "email": reply.email,
                "website": "",
                "body": "Edited by an editor",
            },
        )

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.status == "approved" and reply.body == "Edited by an editor"
    assert len(mailoutbox) == 1


def test_comments_cannot_be_added_in_the_admin(client, editor):
    assert client.get(CHANGELIST + "add/").status_code == 403


def test_authors_without_the_permission_cannot_moderate(client, article):
    client.force_login(UserFactory(username="writer", is_staff=True))
    assert client.get(CHANGELIST).status_code == 403


# The dashboard panel on the admin index.

INDEX = reverse("admin:index")


def test_dashboard_lists_comments_waiting_for_moderation(client, article):
    CommentFactory(target=article, name="Reader 0")
    CommentFactory(target=article, name="Reader 1")
    CommentFactory(target=article, name="Already approved", approved=True)
    client.force_login(StaffFactory(moderator=True))

    response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 comments waiting for moderation" in html
    assert "Reader 1" in html and "Already approved" not in html
    assert [panel.name for panel in response.context["dashboard"]] == ["comments-pending"]


def test_authors_see_no_comment_panel(client, article):
    CommentFactory(target=article, name="Reader 0")
    client.force_login(StaffFactory(author=True))

    response = client.get(INDEX)

    assert response.status_code == 200
    assert 'id="dashboard-comments"' not in response.content.decode()


def test_comment_panel_queries_do_not_grow_with_comments(client, article):
    client.force_login(StaffFactory(moderator=True))
    CommentFactory(target=article, name="Reader 0")
    client.get(INDEX)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        response = client.get(INDEX)
    assert response.status_code == 200
    assert "1 comment waiting for moderation" in response.content.decode()

    for n in range(1, 12):
        CommentFactory(target=article, name=f"Reader {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "12 comments waiting for moderation" in html and "Reader 11" in html
    assert len(many) == len(one), (len(one), len(many))


def test_comment_panel_costs_one_query(rf, article):
    CommentFactory.create_batch(12, target=article)
    request = rf.get(INDEX)
    request.user = StaffFactory(moderator=True)
    request.user.has_perm("comments.view_comment")  # loads the permissions, once per request

    with CaptureQueriesContext(connection) as queries:
        panel = comment_panel(request)

    assert panel["pending_count"] == 12 and len(panel["pending"]) == 8
    assert len(queries) == 1


def test_comment_admin_pages_keep_the_strict_style_policy(client, editor):
    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert re.search(r"(^|; )style-src 'self'(;|$)", response["Content-Security-Policy"])
