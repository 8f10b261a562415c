"""Concurrency on PostgreSQL: several cron runs and workers at once never send twice."""

import threading
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from subscriptions.models import Delivery, Digest
from tests.factories import ArticleFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_threads(*targets) -> list[str]:
    """Run each target in its own thread (own database connection), all released at once;
    returns the tracebacks of any that raised."""
    barrier = threading.Barrier(len(targets))
    errors: list[str] = []

    def run(target):
        try:
            barrier.wait()
            target()
        except BaseException as error:  # reported to the test
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return errors


def send_digests() -> None:
    call_command("send_digests", stdout=StringIO())


def worker(name: str):
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=name,
        excluded_queue_names=[],
    ).run


def test_two_workers_at_once_send_each_subscriber_the_digest_exactly_once(settings, smtp_server):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 7
    settings.SUBSCRIPTIONS_SEND_PARALLELISM = 4
    smtp_server.delay = 0.002
    readers = SubscriberFactory.create_batch(150)
    ArticleFactory(published=True, title="One digest only")

    # Two cron runs at the same moment, then a third: one digest.
    assert run_in_threads(send_digests, send_digests) == []
    send_digests()
    assert Digest.objects.count() == 1
    assert Delivery.objects.count() == 150

    assert run_in_threads(worker("worker-a"), worker("worker-b")) == []

    received = Counter(message["To"] for message in smtp_server.messages)
    assert sorted(received) == sorted(reader.email for reader in readers)
    assert set(received.values()) == {1}
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    workers = {
        wid for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for wid in ids
    }
    assert {"worker-a", "worker-b"} <= workers, "both workers should have shared the queue"

    # Everything again, at once: nothing more is sent.
    assert run_in_threads(send_digests, send_digests, worker("worker-c"), worker("worker-d")) == []
    assert len(smtp_server.messages) == 150


def test_claims_skip_rows_locked_by_another_worker(settings):
    from django.db import transaction

    from subscriptions.services import digest_prepare
    from subscriptions.services.sending import _claim

    SubscriberFactory.create_batch(10)
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    first_rows: list[int] = []
    claimed_meanwhile: list[int] = []
    locked = threading.Event()
    release = threading.Event()

    def hold_five():
        with transaction.atomic():
            rows = list(
                Delivery.objects.select_for_update().order_by("pk").values_list("pk", flat=True)[:5]
            )
            first_rows.extend(rows)
            locked.set()
            release.wait(timeout=30)

    def claim_while_locked():
        locked.wait(timeout=30)
        claimed_meanwhile.extend(d.pk for d in _claim(batch_size=10, claim="other"))
        release.set()

    assert run_in_threads(hold_five, claim_while_locked) == []
    assert len(claimed_meanwhile) == 5
    assert not set(claimed_meanwhile) & set(first_rows)
