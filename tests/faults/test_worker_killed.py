"""A task worker killed outright (SIGKILL) in the middle of a digest: after a restart every
subscriber has the digest, and at most SUBSCRIPTIONS_SENT_FLUSH of them twice. Real
processes: `manage.py db_worker` on the test database, a real SMTP server in this process."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from subscriptions.models import Delivery
from subscriptions.tasks import send_deliveries
from tests.factories import ArticleFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
READERS = 40


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("flush", [1, 10])
def test_a_killed_worker_resends_at_most_one_flush_group(settings, smtp_server, flush):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    readers = SubscriberFactory.create_batch(READERS)
    ArticleFactory(published=True, title="Killed mid-batch")
    call_command("send_digests", stdout=StringIO())
    smtp_server.delay = 0.05  # about two seconds for the whole batch

    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
        "EMAIL_URL": f"smtp://127.0.0.1:{settings.EMAIL_PORT}",
        "TASKS_BACKEND": "database",
        "SUBSCRIPTIONS_SENT_FLUSH": str(flush),
        "SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS": "1",
        "REDIS_URL": "",
    }
    worker = start_worker(env)
    try:
        assert wait_for(lambda: len(smtp_server.messages) >= READERS // 3, 60)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert Delivery.objects.exclude(status=Delivery.Status.SENT).exists(), "killed too late"

    time.sleep(1.5)  # the dead worker's claim times out
    send_deliveries.enqueue()  # what `send_digests`' sweep does for deliveries left behind
    worker = start_worker(env)
    try:
        finished = wait_for(
            lambda: not Delivery.objects.exclude(status=Delivery.Status.SENT).exists(), 60
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)
    assert finished

    received = Counter(message["To"] for message in smtp_server.messages)
    assert set(received) == {reader.email for reader in readers}  # nobody missed
    doubled = sum(count - 1 for count in received.values())
    assert doubled <= flush, f"{doubled} sent twice with groups of {flush}"
