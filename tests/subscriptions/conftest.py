import asyncio
import email
import re
import socket
import threading
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.test import TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


class RecordingHandler:
    """An SMTP server's handler that keeps what it accepts; tests script its refusals."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.connections = 0
        self.data_reply: str | None = None  # e.g. "451 4.3.0 Try later" refuses every message
        self.rcpt_replies: dict[str, str] = {}  # address -> reply, e.g. "550 5.1.1 No such user"
        self.delay = 0.0  # seconds to take over each message, so concurrent senders overlap
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.rcpt_replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.data_reply:
            return self.data_reply
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that Django's SMTP backend sends to."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield handler
    finally:
        controller.stop()


def run_tasks(limit: int = 500) -> int:
    """Run every task that is ready, as `manage.py db_worker` would, in this test's
    transaction; tasks queued by tasks run too. Fails the test if a task failed."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        with TestCase.captureOnCommitCallbacks(execute=True):
            task_result = DBTaskResult.objects.ready().first()
            if task_result is None:
                break
            task_result.claim(worker.worker_id)
            worker.run_task(task_result)
        ran += 1
    failed = DBTaskResult.objects.failed().first()
    assert failed is None, failed.traceback
    return ran


def link(text: str, kind: str) -> str:
    """The site path of the first /subscribe/<kind>/<token>/ link in `text`."""
    match = re.search(rf"https://oversight\.example(/subscribe/{kind}/[^/\s\"]+/)", text)
    assert match, f"no {kind} link in:\n{text}"
    return match.group(1)


def parts(message) -> tuple[str, str]:
    """(plain text, HTML) of a multipart/alternative message."""
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (task enqueues) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
