import datetime
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.email import (
    Email,
    email_deliver,
    email_headers,
    email_queue,
    email_retry_at,
    render_email,
)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def make_due() -> None:
    """Make every queued retry due now (the clock is not moved: the SMTP server runs on it)."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)


def an_email(to: str = "ada@example.net", **headers) -> Email:
    return Email(
        to=to,
        subject="Hello",
        text="Plain words.",
        html="<p>Plain words.</p>",
        headers=email_headers(**headers),
    )


def test_one_renderer_gives_a_one_line_subject_the_bodies_can_show(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {
                            "emails/note_subject.txt": (
                                "{% autoescape off %}\n  A note\n  for {{ name }}\n"
                                "{% endautoescape %}"
                            ),
                            "emails/note.txt": "{{ subject|safe }}: hello {{ name|safe }}",
                            "emails/note.html": "<h1>{{ subject }}</h1><p>{{ name }}</p>",
                        },
                    )
                ]
            },
        }
    ]
    subject, text, html = render_email("note", {"name": "Ada & Bo"})
    assert subject == "A note for Ada & Bo"
    assert text == "A note for Ada & Bo: hello Ada & Bo"  # text templates autoescape off
    assert html == "<h1>A note for Ada &amp; Bo</h1><p>Ada &amp; Bo</p>"


def test_headers_give_one_click_unsubscribe_a_list_id_and_a_message_id():
    headers = email_headers(
        unsubscribe_url="https://oversight.example/stop/abc/",
        list_id="Oversight newsletter <newsletter.oversight.example>",
        automatic=True,
    )
    assert re.fullmatch(r"<[^@>]+@oversight\.example>", headers["Message-ID"])
    assert headers["List-Unsubscribe"] == "<https://oversight.example/stop/abc/>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Id"] == "Oversight newsletter <newsletter.oversight.example>"
    assert headers["Auto-Submitted"] == "auto-generated"
    assert set(email_headers()) == {"Message-ID"}


def test_list_unsubscribe_headers_are_written_in_one_place():
    writers = {
        str(path.relative_to(django_settings.BASE_DIR))
        for path in Path(django_settings.BASE_DIR).glob("*/**/*.py")
        if not path.is_relative_to(django_settings.BASE_DIR / "tests")
        and ".venv" not in path.parts
        and "List-Unsubscribe-Post" in path.read_text()
    }
    assert writers == {"core/email.py"}


def test_retries_back_off_doubling_to_a_ceiling_then_give_up(settings, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    settings.EMAIL_MAX_ATTEMPTS = 8
    settings.EMAIL_RETRY_SECONDS = 60
    settings.EMAIL_RETRY_MAX_SECONDS = 1000
    delays = [(email_retry_at(n) - timezone.now()).total_seconds() for n in range(1, 8)]
    assert delays == [60, 120, 240, 480, 960, 1000, 1000]
    assert email_retry_at(8) is None


@pytest.mark.django_db
def test_a_queued_email_is_sent_by_a_task_after_commit(smtp_server, run_tasks, on_commit):
    with on_commit():
        email_queue(an_email(unsubscribe_url="https://oversight.example/stop/abc/"))
        assert not DBTaskResult.objects.exists()  # nothing before the commit
    assert DBTaskResult.objects.get().task_path == "core.tasks.send_email"

    run_tasks()
    [message] = smtp_server.messages
    assert message["To"] == "ada@example.net"
    assert message.get_all("List-Unsubscribe") == ["<https://oversight.example/stop/abc/>"]
    assert message.get_all("List-Unsubscribe-Post") == ["List-Unsubscribe=One-Click"]


@pytest.mark.django_db
def test_a_refused_email_is_retried_with_backoff_until_it_goes(
    smtp_server, run_tasks, on_commit, caplog
):
    smtp_server.data_reply = "451 4.3.0 Mailbox busy, try again later"
    with on_commit():
        email_queue(an_email())
    run_tasks()
    assert smtp_server.messages == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"][1] == 2  # the second attempt
    assert retry.run_after > timezone.now() + datetime.timedelta(seconds=55)
    assert "451" in caplog.text and "trying again" in caplog.text
    assert run_tasks() == 0  # not due yet

    smtp_server.data_reply = None
    make_due()
    run_tasks()
    assert [m["To"] for m in smtp_server.messages] == ["ada@example.net"]
    assert not DBTaskResult.objects.filter(status="READY").exists()


@pytest.mark.django_db
def test_a_server_that_is_down_is_retried_then_given_up(
    settings, run_tasks, on_commit, closed_port, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 5
    settings.EMAIL_MAX_ATTEMPTS = 3
    with on_commit():
        email_queue(an_email())
    for _attempt in range(3):
        assert run_tasks() == 1
        make_due()
    assert run_tasks() == 0
    assert DBTaskResult.objects.count() == 3
    assert "attempt 3" in caplog.text and "giving up" in caplog.text


@pytest.mark.django_db
def test_a_permanent_refusal_is_not_retried(smtp_server, run_tasks, on_commit, caplog):
    smtp_server.rcpt_replies = {"gone@example.net": "550 5.1.1 No such user here"}
    with on_commit():
        email_queue(an_email("gone@example.net"))
    run_tasks()
    assert DBTaskResult.objects.count() == 1
    assert "550" in caplog.text


def test_with_the_immediate_backend_a_failure_is_logged_not_raised(settings, monkeypatch, caplog):
    settings.TASKS = IMMEDIATE

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with caplog.at_level(logging.WARNING, logger="core.email"):
        assert email_deliver(an_email()) is False
    assert "Could not send" in caplog.text and "giving up" in caplog.text
    assert mail.outbox == []


# Comment notifications: queued like every other email, retried after an SMTP failure.


@pytest.mark.django_db
def test_comment_notices_are_queued_and_retried_after_an_smtp_failure(
    settings, smtp_server, run_tasks, on_commit
):
    from comments.models import Comment
    from comments.services import comment_moderate
    from tests.comments.factories import CommentFactory

    parent = CommentFactory(approved=True, notify_replies=True, email="ada@example.net")
    reply = CommentFactory(target=parent.target, parent=parent, email="bo@example.net")
    smtp_server.data_reply = "421 4.7.0 Try again later"

    with on_commit():
        comment_moderate(comments=[reply], status=Comment.Status.APPROVED)
    assert [t.task_path for t in DBTaskResult.objects.all()] == ["core.tasks.send_email"]
    run_tasks()
    assert smtp_server.messages == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the retry

    smtp_server.data_reply = None
    make_due()
    run_tasks()
    [notice] = smtp_server.messages
    assert notice["To"] == "ada@example.net"
    assert notice["Auto-Submitted"] == "auto-generated"
    [stop] = notice.get_all("List-Unsubscribe")
    assert stop.strip().startswith("<https://oversight.example/comments/replies/stop/")


@pytest.mark.django_db
def test_held_comment_notices_are_queued_one_per_moderator(
    settings, smtp_server, run_tasks, on_commit
):
    from comments.services import Outcome, comment_submit
    from tests.factories import ArticleFactory

    settings.COMMENTS_NOTIFY_EMAILS = ["desk@example.org", "editor@example.org"]
    with on_commit():
        submission = comment_submit(
            target=ArticleFactory(published=True),
            parent=None,
            name="Ada",
            email="ada@example.net",
            website="",
            body="Please moderate me.",
            notify_replies=False,
            ip_address="203.0.113.5",
            user_agent="",
            seconds_on_form=60,
            honeypot="",
        )
    assert submission.outcome is Outcome.HELD
    assert DBTaskResult.objects.filter(task_path="core.tasks.send_email").count() == 2
    assert smtp_server.messages == []  # not sent in the request

    run_tasks()
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "desk@example.org",
        "editor@example.org",
    ]
