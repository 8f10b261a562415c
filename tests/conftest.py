import asyncio
import email
import os
import socket
import threading
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from hypothesis import settings as hypothesis_settings


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only and browser tests where they cannot run, unless CI requires them."""
    if os.environ.get("REQUIRE_POSTGRES") == "1" and connection.vendor != "postgresql":
        pytest.exit("REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL", 2)
    skip_postgres = connection.vendor != "postgresql"
    skip_browser = os.environ.get("REQUIRE_BROWSER") != "1" and not os.path.exists(
        os.environ.get("CHROMIUM", "/usr/bin/chromium")
    )
    for item in items:
        if "postgres" in item.keywords and skip_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "browser" in item.keywords and skip_browser:
            item.add_marker(pytest.mark.skip(reason="needs Chromium at /usr/bin/chromium"))


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The production storage needs `collectstatic` first; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    from core.pagecache import pages_here

    cache.clear()
    pages_here.clear()
    yield
    cache.clear()
    pages_here.clear()


# Email through a real SMTP server, and tasks run as `manage.py db_worker` runs them.


class RecordingHandler:
    """An SMTP server's handler that keeps what it accepts; tests script its refusals."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.connections = 0
        self.data_reply: str | None = None  # e.g. "451 4.3.0 Try later" refuses every message
        self.rcpt_replies: dict[str, str] = {}  # address -> reply, e.g. "550 5.1.1 No such user"
        self.delay = 0.0  # seconds to take over each message, so concurrent senders overlap
        self.rcpt_delay = 0.0  # seconds before answering RCPT: a server too slow to use
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
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


@pytest.fixture
def run_tasks():
    """Run every task that is ready, as `manage.py db_worker` would, in this test's
    transaction; tasks queued by tasks run too. Fails the test if a task failed."""

    def run(limit: int = 500) -> int:
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

    return run


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on."""
    return free_port()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (task enqueues) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def fragment_cache(settings):
    """Fragments of anonymous pages kept between requests, as with REDIS_URL (empty at first)."""
    from core.pagecache import fragments

    settings.FRAGMENT_CACHE = True
    fragments.clear()
    yield
    fragments.clear()


@pytest.fixture
def write_files():
    """Write {filename: bytes} into a folder; returns {filename: path}."""

    def write(directory, files: dict[str, bytes]) -> dict:
        directory.mkdir(parents=True, exist_ok=True)
        paths = {}
        for filename, content in files.items():
            paths[filename] = directory / filename
            paths[filename].write_bytes(content)
        return paths

    return write


@pytest.fixture
def empty_the_database():
    """Empty every table, as Django's own test teardown does (no post_migrate effects)."""

    def empty() -> None:
        if connection.vendor == "postgresql":
            # Inside the test's transaction PostgreSQL refuses to TRUNCATE tables with
            # foreign-key checks still deferred; run them now, then defer again.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    return empty


@pytest.fixture
def one_signing_second(monkeypatch):
    """Signed links carry the second they were made in: a test that signs a link again to
    look for it in a page or an email freezes that clock, or a second boundary fails it."""
    import time
    from types import SimpleNamespace

    from django.core import signing

    now = time.time()
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: now))


# Generated-input tests: a fixed seed and a modest count by default (CI); more, random
# cases locally with HYPOTHESIS_PROFILE=deep.
hypothesis_settings.register_profile("ci", derandomize=True, max_examples=75, deadline=None)
hypothesis_settings.register_profile("deep", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
