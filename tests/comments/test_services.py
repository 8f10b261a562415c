import datetime
import hmac
from hashlib import sha256

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from comments.models import Comment
from comments.services import (
    CommentsClosed,
    DuplicateComment,
    InvalidParent,
    Outcome,
    comment_moderate,
    comment_notifications_stop,
    comment_submit,
    ip_hash,
    moderator_emails,
)
from core.throttle import RateLimited
from tests.comments.factories import CommentFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(article):
    def submit(**overrides):
        arguments = {
            "target": article,
            "parent": None,
            "name": "Ada Reader",
            "email": "ada@example.net",
            "website": "",
            "body": "Caseloads have doubled.",
            "notify_replies": False,
            "ip_address": "203.0.113.9",
            "user_agent": "Mozilla/5.0",
            "seconds_on_form": 60.0,
            "honeypot": "",
        }
        arguments.update(overrides)
        return comment_submit(**arguments)

    return submit


def test_first_comment_from_an_address_is_held(submit):
    submission = submit()
    assert submission.outcome is Outcome.HELD
    assert submission.comment.status == Comment.Status.PENDING


def test_returning_commenter_with_an_approved_comment_is_published_at_once(submit, article):
    CommentFactory(email="ada@example.net", approved=True)
    submission = submit()
    assert submission.outcome is Outcome.PUBLISHED
    assert submission.comment.status == Comment.Status.APPROVED


def test_trusting_returning_commenters_can_be_switched_off(submit, settings):
    settings.COMMENTS_TRUST_RETURNING = False
    CommentFactory(email="ada@example.net", approved=True)
    assert submit().outcome is Outcome.HELD


def test_only_approved_comments_earn_trust(submit):
    CommentFactory(email="ada@example.net")
    CommentFactory(email="ada@example.net", spam=True)
    assert submit().outcome is Outcome.HELD


def test_ip_address_is_stored_only_as_a_keyed_hash(submit, settings):
    comment = submit(ip_address="203.0.113.9").comment
    assert "203.0.113.9" not in str(vars(comment))
    key = sha256(b"comments.ip-address" + settings.SECRET_KEY.encode()).digest()
    assert comment.ip_hash == hmac.new(key, b"203.0.113.9", sha256).hexdigest()
    assert ip_hash("203.0.113.9") != ip_hash("203.0.113.10")
    assert ip_hash("") == ""


def test_user_agent_is_stored_truncated(submit):
    assert submit(user_agent="x" * 900).comment.user_agent == "x" * 500


def test_honeypot_hits_are_dropped(submit):
    submission = submit(honeypot="http://spam.example")
    assert submission.outcome is Outcome.DROPPED
    assert submission.comment is None
    assert not Comment.objects.exists()


@pytest.mark.parametrize("seconds", [None, 0.4, 2.9])
def test_submissions_faster_than_the_minimum_are_stored_as_spam(submit, seconds):
    submission = submit(seconds_on_form=seconds)
    assert submission.outcome is Outcome.SPAM
    assert submission.comment.status == Comment.Status.SPAM
    assert submission.comment.spam_reason


def test_minimum_time_is_a_setting(submit, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    assert submit(seconds_on_form=0.01).outcome is Outcome.HELD


def test_too_many_links_are_spam_even_for_trusted_commenters(submit, settings):
    settings.COMMENTS_MAX_LINKS = 3
    CommentFactory(email="ada@example.net", approved=True)
    three = " ".join(f"https://example.org/{n}" for n in range(3))
    assert submit(body=three).outcome is Outcome.PUBLISHED
    submission = submit(body=three + " www.example.com")
    assert submission.outcome is Outcome.SPAM
    assert submission.comment.spam_reason == "4 links"


def test_rate_limit_per_ip_address_through_the_cache(submit, settings):
    settings.COMMENTS_RATE_LIMIT = 5
    for n in range(5):
        submit(body=f"Comment {n}")
    with pytest.raises(RateLimited):
        submit(body="One too many")
    assert submit(body="Another address", ip_address="198.51.100.1").comment
    assert Comment.objects.count() == 6


def test_rate_limit_window_expires(submit, settings, time_machine):
    settings.COMMENTS_RATE_LIMIT = 1
    settings.COMMENTS_RATE_WINDOW_SECONDS = 600
    # Redis expires keys on its own clock; the window logic is checked on a local cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    time_machine.move_to(timezone.now(), tick=False)
    submit(body="First")
    with pytest.raises(RateLimited):
        submit(body="Second")
    time_machine.shift(datetime.timedelta(seconds=601))
    assert submit(body="Third").comment


def test_duplicate_comment_on_the_same_target_within_a_day_is_refused(submit, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    submit()
    with pytest.raises(DuplicateComment):
        submit()
    assert submit(email="someone.else@example.net").comment
    time_machine.shift(datetime.timedelta(days=1, seconds=1))
    assert submit().comment
    assert Comment.objects.count() == 3


def test_closed_threads_refuse_comments(submit, article):
    article.comments_open = False
    with pytest.raises(CommentsClosed):
        submit()
    assert not Comment.objects.exists()


def test_reply_must_be_to_an_approved_comment_on_the_same_target(submit, article):
    elsewhere = CommentFactory(approved=True)
    held = CommentFactory(target=article)
    for parent in (elsewhere, held):
        with pytest.raises(InvalidParent):
            submit(parent=parent)
    assert Comment.objects.count() == 2


def test_editors_who_may_moderate_are_told_about_held_comments(
    submit, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@example.org"]
    UserFactory(username="boss", email="boss@example.org", is_staff=True, is_superuser=True)
    moderator = UserFactory(username="mod", email="mod@example.org", is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="change_comment"))
    UserFactory(username="author", email="author@example.org", is_staff=True)
    UserFactory(username="reader", email="reader@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        comment = submit(body="Please moderate me.").comment

    assert sorted(m.to[0] for m in mailoutbox) == [
        "boss@example.org",
        "desk@example.org",
        "mod@example.org",
    ]
    message = mailoutbox[0]
    assert "Probation caseloads" in message.subject
    assert "Please moderate me." in message.body
    assert f"/admin/comments/comment/{comment.pk}/change/" in message.body
    assert "ada@example.net" not in message.body + message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"


def test_no_editor_email_for_published_or_spam_comments(
    submit, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@example.org"]
    CommentFactory(email="ada@example.net", approved=True)
    with django_capture_on_commit_callbacks(execute=True):
        submit()
        submit(email="bot@example.net", seconds_on_form=0)
    assert mailoutbox == []


def test_moderator_emails_leave_out_inactive_and_non_staff():
    UserFactory(
        username="gone", email="gone@example.org", is_staff=True, is_superuser=True, is_active=False
    )
    UserFactory(username="su", email="su@example.org", is_superuser=True)
    assert moderator_emails() == []


def test_mail_failure_does_not_lose_the_comment(
    submit, settings, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@example.org"]

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit()
    assert Comment.objects.filter(pk=submission.comment.pk).exists()
    assert "Could not send" in caplog.text


def test_moderation_changes_status_and_reports_how_many_changed(article):
    pending = CommentFactory.create_batch(3, target=article)
    CommentFactory(target=article, approved=True)

    changed = comment_moderate(comments=Comment.objects.all(), status=Comment.Status.APPROVED)

    assert changed == 3
    assert Comment.objects.approved().count() == 4
    assert comment_moderate(comments=pending[:1], status=Comment.Status.REMOVED) == 1


def test_approving_a_reply_emails_the_parent_author_once(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    parent = CommentFactory(
        target=article, approved=True, notify_replies=True, email="ada@example.net", name="Ada"
    )
    reply = CommentFactory(
        target=article, parent=parent, name="Bo", email="bo@example.net", body="I agree."
    )

    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comments=[reply], status=Comment.Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comments=[reply], status=Comment.Status.REMOVED)
        comment_moderate(comments=[reply], status=Comment.Status.APPROVED)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ada@example.net"]
    assert "Probation caseloads" in message.subject
    html = message.alternatives[0][0]
    for part in (message.body, html, message.subject):
        assert "bo@example.net" not in part
    assert "I agree." in message.body and "I agree." in html
    assert f"https://oversight.example/articles/caseloads/#comment-{reply.pk}" in message.body
    stop_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop_url.startswith("https://oversight.example/comments/replies/stop/")
    assert stop_url in message.body and stop_url in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    reply.refresh_from_db()
    assert reply.reply_notified_at is not None


def test_published_reply_from_a_trusted_commenter_emails_at_once(
    submit, article, mailoutbox, django_capture_on_commit_callbacks
):
    parent = CommentFactory(target=article, approved=True, notify_replies=True)
    CommentFactory(email="ada@example.net", approved=True)
    with django_capture_on_commit_callbacks(execute=True):
        submit(parent=parent)
    assert [m.to for m in mailoutbox] == [[parent.email]]


@pytest.mark.parametrize(
    "parent_kwargs",
    [
        {"notify_replies": False},
        {"notify_replies": True, "email": "bo@example.net"},  # replying to oneself
    ],
)
def test_no_reply_email_when_not_asked_for_or_replying_to_oneself(
    article, mailoutbox, django_capture_on_commit_callbacks, parent_kwargs
):
    parent = CommentFactory(target=article, approved=True, **parent_kwargs)
    reply = CommentFactory(target=article, parent=parent, email="bo@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comments=[reply], status=Comment.Status.APPROVED)
    assert mailoutbox == []


def test_stopping_notifications_covers_every_comment_from_that_address(article):
    mine = CommentFactory.create_batch(2, email="ada@example.net", notify_replies=True)
    theirs = CommentFactory(email="bo@example.net", notify_replies=True)

    assert comment_notifications_stop(comment=mine[0]) == 2

    assert not Comment.objects.filter(email="ada@example.net", notify_replies=True).exists()
    theirs.refresh_from_db()
    assert theirs.notify_replies


def test_created_defaults_to_now(submit):
    assert abs((submit().comment.created - timezone.now()).total_seconds()) < 5
