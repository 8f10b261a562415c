"""Digest benchmark: one daily digest to SUBSCRIBERS active subscribers, sent by WORKERS
`manage.py db_worker` processes to a local SMTP sink (aiosmtpd that counts and discards).

Loads the subscribers and a few articles into a fresh database, runs `send_digests` (timed:
recording the digest and one delivery row per subscriber), starts the workers, and waits
until no delivery is waiting. Prints messages per second and each worker's peak RSS.
Targets: >= 500 messages/s in total and < 150 MB per worker (--check fails the run below
them).

    .venv/bin/python tests/bench/bench_digest.py --database-url postgres://postgres@127.0.0.1/bench
    .venv/bin/python tests/bench/bench_digest.py                  # SQLite file in /tmp
    .venv/bin/python tests/bench/bench_digest.py --subscribers 300   # quick smoke
"""

import argparse
import atexit
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.benchenv import bench_environment  # noqa: E402

TARGET_RATE = 500  # messages per second, all workers together
TARGET_RSS_MB = 150  # peak resident memory of one worker


def configure_environment(database_url: str, smtp_port: int, batch_size: int, workers: int):
    bench_environment(
        database_url,
        LOG_LEVEL="WARNING",
        TASKS_BACKEND="database",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        SUBSCRIPTIONS_BATCH_SIZE=str(batch_size),
        SUBSCRIPTIONS_SEND_PARALLELISM=str(workers * 2),
    )


class Sink:
    """Counts messages and the time of the first and last; keeps nothing."""

    def __init__(self):
        self.count = 0
        self.first = self.last = 0.0

    async def handle_DATA(self, server, session, envelope):
        now = time.perf_counter()
        self.count += 1
        self.first = self.first or now
        self.last = now
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build_database(subscribers: int) -> None:
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from blog.models import Article, AuthorProfile, Category
    from subscriptions.models import Subscriber

    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
    else:
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # one writer, many readers: what SQLite needs
            cursor.execute("PRAGMA journal_mode=WAL")

    user = get_user_model().objects.create(username="writer", first_name="Sam")
    AuthorProfile.objects.create(user=user, display_name="Sam Writer", bio="Writes.")
    category = Category.objects.create(name="Analysis", slug="analysis")
    now = timezone.now()
    # Built with bulk_create: no save signals, so no announcement tasks.
    Article.objects.bulk_create(
        Article(
            title=f"What the inspectors found, part {n}",
            slug=f"findings-{n}",
            author=user,
            category=category,
            standfirst="Caseloads were too high and supervision too thin, the report says.",
            body="<p>Findings.</p>",
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=n + 1),
        )
        for n in range(4)
    )
    batch = []
    for n in range(subscribers):
        batch.append(
            Subscriber(
                email=f"reader{n}@bench.example",
                status=Subscriber.Status.ACTIVE,
                frequency=Subscriber.Frequency.DAILY,
                confirmed_at=now,
            )
        )
        if len(batch) == 5000:
            Subscriber.objects.bulk_create(batch)
            batch = []
    Subscriber.objects.bulk_create(batch)


def peak_rss_kb() -> int:
    """VmHWM (peak resident set) of this process, from /proc; ru_maxrss elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def worker_main() -> None:
    """One `manage.py db_worker`, reporting its peak memory as JSON when it is stopped."""
    import django

    django.setup()
    from django.core.management import call_command

    atexit.register(lambda: print(json.dumps({"pid": os.getpid(), "rss_kb": peak_rss_kb()})))
    call_command("db_worker", interval=0.05, reload=False, startup_delay=False, verbosity=0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "sqlite:////tmp/oversight-bench-digest.sqlite3"),
    )
    parser.add_argument("--timeout", type=float, default=1800, help="give up after (seconds)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker_main()
        return 0

    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    configure_environment(args.database_url, controller.port, args.batch_size, args.workers)
    import logging

    import django

    django.setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from subscriptions.models import Delivery

    started = time.perf_counter()
    build_database(args.subscribers)
    print(
        f"loaded {args.subscribers} subscribers on {connection.vendor} "
        f"in {time.perf_counter() - started:.1f}s"
    )
    started = time.perf_counter()
    call_command("send_digests", stdout=open(os.devnull, "w"))  # noqa: SIM115
    queued = Delivery.objects.count()
    print(f"send_digests queued {queued} deliveries in {time.perf_counter() - started:.1f}s")
    connection.close()

    started = time.perf_counter()
    cpu_before = time.process_time()
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _n in range(args.workers)
    ]
    try:
        while True:
            time.sleep(0.2)
            if not Delivery.objects.waiting().exists():
                break
            if any(worker.poll() is not None for worker in workers):
                raise RuntimeError("a worker died")
            failed = DBTaskResult.objects.filter(status="FAILED").first()
            if failed is not None:
                raise RuntimeError(f"a task failed:\n{failed.traceback}")
            if time.perf_counter() - started > args.timeout:
                raise RuntimeError(f"not finished after {args.timeout}s")
        wall = time.perf_counter() - started
        sink_cpu = time.process_time() - cpu_before
    finally:
        reports = []
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in workers:
            out, _err = worker.communicate(timeout=60)
            reports += [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        controller.stop()

    sent = Delivery.objects.filter(status="sent").count()
    per_worker = {}
    for claim in Delivery.objects.filter(status="sent").values_list("claim", flat=True).iterator():
        pid = claim.split(":")[1]
        per_worker[pid] = per_worker.get(pid, 0) + 1
    rate = sink.count / (sink.last - sink.first) if sink.count > 1 else 0.0
    print(f"sent {sent} of {queued}; the SMTP sink received {sink.count}")
    print(
        f"{args.workers} workers: {rate:.0f} messages/s (first to last message), "
        f"{sink.count / wall:.0f} messages/s including worker start-up ({wall:.1f}s)"
    )
    print(f"the SMTP sink (and this process's polling) used {sink_cpu:.1f}s of CPU")
    for report in reports:
        print(
            f"worker {report['pid']}: {per_worker.get(str(report['pid']), 0)} messages, "
            f"peak RSS {report['rss_kb'] / 1024:.1f} MB"
        )
    peak = max((report["rss_kb"] for report in reports), default=0) / 1024
    ok_rate, ok_rss = rate >= TARGET_RATE, 0 < peak < TARGET_RSS_MB
    print(
        f"targets: >= {TARGET_RATE} messages/s {'met' if ok_rate else 'MISSED'}; "
        f"< {TARGET_RSS_MB} MB per worker {'met' if ok_rss else 'MISSED'}"
    )
    if sent != queued or sink.count != queued:
        print("FAIL: not every delivery was sent exactly once")
        return 1
    if args.check and not (ok_rate and ok_rss):
        return 1
    return 0


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
