"""Digest benchmark: a day's newsletters for SUBSCRIBERS active subscribers who follow ~10
things each (over 2,000 organisations and 500 tags, plus inspectorates and authors), sent by
WORKERS `manage.py db_worker` processes to a local SMTP sink (aiosmtpd that counts and
discards).

Loads the subscribers (one in five reading Welsh), their follows and a day's news (5
articles, 20 inspections with ratings and findings) into a fresh database (then ANALYZE on
PostgreSQL), runs
`send_digests` in a process of its own (timed, with its peak RSS: announcing the 25 items to
"each" subscribers and recording the daily digest, one delivery row per email), starts the
workers, and waits until no delivery is waiting. Prints messages per second and each
worker's peak RSS. Targets: preparing < 60 s and < 300 MB; sending >= 500 messages/s in
total and < 150 MB per worker (--check fails the run below them).

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
TARGET_PREPARE_SECONDS = 60  # send_digests: announcements and the daily digest
TARGET_PREPARE_RSS_MB = 300
WELSH_EVERY = 5  # one subscriber in five reads Welsh: each email is rendered per language


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


# The mix: ~10 follows a subscriber over ORGANISATIONS organisations and TAGS tags (popular
# ones followed more), a few inspectorates and authors; most subscribers take only what
# they follow; daily, "each" and weekly in a fixed proportion.
ORGANISATIONS = 2000
TAGS = 500
INSPECTORATES = 5
AUTHORS = 20
NEW_ARTICLES = 5
NEW_INSPECTIONS = 20
FREQUENCIES = [("daily", 0.6), ("each", 0.25), ("weekly", 0.15)]
EVERYTHING_SHARE = 0.2


def _skewed(rng, n: int) -> int:
    """An index in [0, n), small ones (the popular) much more often (roughly Zipf)."""
    return min(int(n * rng.random() ** 2.5), n - 1)


def build_database(subscribers: int, *, seed: int = 17) -> dict:
    """A fresh database: SUBSCRIBERS with their follows, and a day's news (NEW_ARTICLES
    articles, NEW_INSPECTIONS inspections with ratings and findings) not yet announced."""
    import datetime
    import random

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone
    from taggit.models import Tag

    from blog.models import Article, AuthorProfile, Category
    from inspections.models import (
        Finding,
        InspectedOrganisation,
        Inspection,
        Inspectorate,
        Organisation,
        RatingLevel,
        RatingScale,
    )
    from subscriptions.models import Follow, Subscriber
    from tests.bench.benchenv import fresh_database

    rng = random.Random(seed)
    fresh_database()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # one writer, many readers: what SQLite needs
            cursor.execute("PRAGMA journal_mode=WAL")

    now = timezone.now()
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"writer{n}", first_name="Sam") for n in range(AUTHORS)
    )
    AuthorProfile.objects.bulk_create(
        AuthorProfile(user=user, display_name=f"Sam Writer {n}", bio="Writes.")
        for n, user in enumerate(users)
    )
    category = Category.objects.create(name="Analysis", slug="analysis")
    tags = Tag.objects.bulk_create(Tag(name=f"topic {n}", slug=f"topic-{n}") for n in range(TAGS))
    bodies = Inspectorate.objects.bulk_create(
        Inspectorate(name=f"HM Inspectorate {n}", slug=f"hmi-{n}") for n in range(INSPECTORATES)
    )
    scale = RatingScale.objects.create(inspectorate=bodies[0], name="Four", slug="four")
    levels = RatingLevel.objects.bulk_create(
        RatingLevel(scale=scale, label=label, slug=label.lower().replace(" ", "-"), rank=rank)
        for rank, label in enumerate(
            ["Inadequate", "Requires improvement", "Good", "Outstanding"], start=1
        )
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {n}", slug=f"organisation-{n}")
        for n in range(ORGANISATIONS)
    )

    # The day's news, saved with bulk_create: no save signals, so send_digests announces it.
    articles = Article.objects.bulk_create(
        Article(
            title=f"What the inspectors found, part {n}",
            slug=f"findings-{n}",
            author=users[n % AUTHORS],
            category=category,
            standfirst="Caseloads were too high and supervision too thin, the report says.",
            body="<p>Findings.</p>",
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=n + 1),
        )
        for n in range(NEW_ARTICLES)
    )
    for article in articles:
        article.tags.add(*{tags[_skewed(rng, TAGS)] for _n in range(3)})
    today = timezone.localdate()
    inspection_fields = {
        "published_on": today,
        "status": Inspection.Status.PUBLISHED,
        "live_at": now - datetime.timedelta(hours=2),
    }
    inspections = Inspection.objects.bulk_create(
        Inspection(
            title=f"Inspection of probation services, number {n}",
            slug=f"inspection-{n}",
            inspectorate=bodies[n % INSPECTORATES],
            summary="Work to protect the public was not good enough.",
            **inspection_fields,
        )
        for n in range(NEW_INSPECTIONS)
    )
    inspected, findings = [], []
    for inspection in inspections:
        inspection.tags.add(*{tags[_skewed(rng, TAGS)] for _n in range(2)})
        for organisation in rng.sample(organisations, rng.randint(1, 3)):
            inspected.append(
                InspectedOrganisation(
                    inspection=inspection,
                    organisation=organisation,
                    overall_rating=rng.choice(levels),
                )
            )
            findings += [
                Finding(
                    inspection=inspection,
                    organisation=organisation,
                    polarity=rng.choice(["strength", "concern"]),
                    text=f"Finding {k}: caseloads were too high in {organisation.name}.",
                    order=k,
                )
                for k in range(5)
            ]
    InspectedOrganisation.objects.bulk_create(inspected)
    Finding.objects.bulk_create(findings)

    frequencies = [value for value, _share in FREQUENCIES]
    weights = [share for _value, share in FREQUENCIES]
    tag_links = Subscriber.tags.through
    counts = {"subscribers": 0, "tag follows": 0, "other follows": 0}
    chunk = 5000
    for start in range(0, subscribers, chunk):
        batch = Subscriber.objects.bulk_create(
            Subscriber(
                email=f"reader{n}@bench.example",
                status=Subscriber.Status.ACTIVE,
                frequency=rng.choices(frequencies, weights)[0],
                everything=rng.random() < EVERYTHING_SHARE,
                confirmed_at=now,
                language="cy" if n % WELSH_EVERY == 0 else "",
            )
            for n in range(start, min(start + chunk, subscribers))
        )
        links, follows = [], []
        for subscriber in batch:
            for tag_index in {_skewed(rng, TAGS) for _n in range(rng.randint(2, 8))}:
                links.append(tag_links(subscriber_id=subscriber.pk, tag_id=tags[tag_index].pk))
            chosen = {
                ("organisation", organisations[_skewed(rng, ORGANISATIONS)].pk)
                for _n in range(rng.randint(1, 7))
            }
            if rng.random() < 0.5:
                chosen.add(("inspectorate", rng.choice(bodies).pk))
            if rng.random() < 0.5:
                chosen.add(("author", rng.choice(users).pk))
            follows += [
                Follow(subscriber_id=subscriber.pk, kind=kind, target_id=pk) for kind, pk in chosen
            ]
        tag_links.objects.bulk_create(links, batch_size=5000)
        Follow.objects.bulk_create(follows, batch_size=5000)
        counts["subscribers"] += len(batch)
        counts["tag follows"] += len(links)
        counts["other follows"] += len(follows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


def prepare_main() -> None:
    """`send_digests` in a process of its own, reporting its time and peak memory."""
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("send_digests", stdout=open(os.devnull, "w"))  # noqa: SIM115
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "rss_kb": peak_rss_kb()}))


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
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker_main()
        return 0
    if args.prepare:
        prepare_main()
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
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from subscriptions.models import Delivery

    started = time.perf_counter()
    counts = build_database(args.subscribers)
    print(
        f"loaded {counts['subscribers']} subscribers ({counts['tag follows']} tag follows, "
        f"{counts['other follows']} other follows), {NEW_ARTICLES} new articles and "
        f"{NEW_INSPECTIONS} new inspections on {connection.vendor} "
        f"in {time.perf_counter() - started:.1f}s"
    )
    connection.close()
    prepared = subprocess.run(
        [sys.executable, __file__, "--prepare"], cwd=ROOT, capture_output=True, text=True
    )
    if prepared.returncode:
        raise RuntimeError(f"send_digests failed:\n{prepared.stderr}")
    report = json.loads(prepared.stdout.strip().splitlines()[-1])
    queued = Delivery.objects.count()
    digest_emails = Delivery.objects.filter(digest__isnull=False).count()
    prepare_rss = report["rss_kb"] / 1024
    print(
        f"send_digests queued {queued} deliveries ({digest_emails} daily digests, "
        f"{queued - digest_emails} 'each' alerts) in {report['seconds']:.1f}s, "
        f"peak RSS {prepare_rss:.1f} MB"
    )
    ok_prepare = report["seconds"] < TARGET_PREPARE_SECONDS and prepare_rss < TARGET_PREPARE_RSS_MB
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
        f"targets: preparing < {TARGET_PREPARE_SECONDS} s and < {TARGET_PREPARE_RSS_MB} MB "
        f"{'met' if ok_prepare else 'MISSED'}; "
        f">= {TARGET_RATE} messages/s {'met' if ok_rate else 'MISSED'}; "
        f"< {TARGET_RSS_MB} MB per worker {'met' if ok_rss else 'MISSED'}"
    )
    if sent != queued or sink.count != queued:
        print("FAIL: not every delivery was sent exactly once")
        return 1
    if args.check and not (ok_rate and ok_rss and ok_prepare):
        return 1
    return 0


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
