"""Open-data export benchmark: stream every finding as CSV through the WSGI application.

Builds INSPECTIONS inspections, FINDINGS findings and SCORES scores with bulk_create in a
fresh database (in a child process), then, in this process, requests
/inspections/data/findings.csv (and .json) from config.wsgi's application and consumes the
streamed response as a WSGI server would. It reports rows per second and memory: VmRSS is
sampled from /proc/self/status after every chunk, and the peak minus the baseline taken just
before the request is the export's own growth; ru_maxrss is the process's high-water mark.
Targets: more than 50,000 rows/s and less than 100 MB of memory.

    .venv/bin/python tests/bench/bench_exports.py                   # SQLite file in /tmp
    .venv/bin/python tests/bench/bench_exports.py --database-url postgres://postgres@127.0.0.1/bench
    .venv/bin/python tests/bench/bench_exports.py --inspections 40 --findings 2000 --scores 400
"""

import argparse
import datetime
import gc
import io
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.benchenv import bench_environment, fresh_database  # noqa: E402

TARGET_ROWS_PER_SECOND = 50_000
TARGET_MEMORY_MB = 100
BATCH = 5_000


def configure_environment(database_url: str) -> None:
    bench_environment(database_url)


def build_database(inspections: int, findings: int, scores: int) -> None:
    from taggit.models import Tag

    from inspections.models import (
        Finding,
        InspectedOrganisation,
        Inspection,
        Inspectorate,
        Measure,
        Operator,
        Organisation,
        Programme,
        RatingLevel,
        RatingScale,
        Score,
        TaggedFinding,
        TaggedInspection,
        Theme,
    )

    fresh_database()

    hmip = Inspectorate.objects.create(
        name="HM Inspectorate of Probation", slug="hmi-probation", short_name="HMI Probation"
    )
    scale = RatingScale.objects.create(inspectorate=hmip, name="Four-point scale", slug="hmip-4")
    levels = [
        RatingLevel.objects.create(scale=scale, label=label, slug=label.lower(), rank=rank)
        for rank, label in enumerate(["Inadequate", "Improve", "Good", "Outstanding"], start=1)
    ]
    programme = Programme.objects.create(
        inspectorate=hmip, name="Standards", slug="standards", rating_scale=scale
    )
    themes = Theme.objects.bulk_create(
        [Theme(programme=programme, code=f"{n}.1", name=f"Standard {n}") for n in range(1, 21)]
    )
    operators = Operator.objects.bulk_create(
        [Operator(name=f"Operator {n}", slug=f"operator-{n}") for n in range(10)]
    )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Community Rehabilitation Company {n}",
                slug=f"crc-{n}",
                kind=Organisation.Kind.CRC,
                operator=operators[n % len(operators)],
                area=f"Area {n}",
            )
            for n in range(200)
        ]
    )
    per_inspection = max(1, scores // max(1, inspections))
    measures = Measure.objects.bulk_create(
        [
            Measure(programme=programme, code=f"{n}.1", name=f"Measure {n}", slug=f"m-{n}", order=n)
            for n in range(per_inspection)
        ]
    )
    start = datetime.date(2014, 6, 1)
    Inspection.objects.bulk_create(
        (
            Inspection(
                title=f"An inspection of probation services, number {n}",
                slug=f"inspection-{n}",
                inspectorate=hmip,
                programme=programme,
                area=f"Area {n % 200}",
                published_on=start + datetime.timedelta(days=n % 3000),
                status=Inspection.Status.PUBLISHED,
                live_at=datetime.datetime(2014, 1, 1, tzinfo=datetime.UTC),
                summary="Inspectors found caseloads too high, and supervision too infrequent.",
            )
            for n in range(inspections)
        ),
        batch_size=BATCH,
    )
    inspection_ids = list(Inspection.objects.order_by("pk").values_list("pk", flat=True))
    InspectedOrganisation.objects.bulk_create(
        (
            InspectedOrganisation(
                inspection_id=pk,
                organisation=organisations[n % len(organisations)],
                overall_rating=levels[n % len(levels)],
            )
            for n, pk in enumerate(inspection_ids)
        ),
        batch_size=BATCH,
    )
    Finding.objects.bulk_create(
        (
            Finding(
                inspection_id=inspection_ids[n % len(inspection_ids)],
                organisation=organisations[n % len(organisations)] if n % 5 else None,
                theme=themes[n % len(themes)],
                polarity=Finding.Polarity.CONCERN if n % 3 else Finding.Polarity.STRENGTH,
                text=f"Finding {n}: caseloads were too high, and “risk” was not always assessed.",
                order=n // len(inspection_ids),
            )
            for n in range(findings)
        ),
        batch_size=BATCH,
    )
    Score.objects.bulk_create(
        (
            Score(
                inspection_id=inspection_ids[n // per_inspection % len(inspection_ids)],
                organisation=organisations[n // per_inspection % len(organisations)],
                measure=measures[n % per_inspection],
                percentage=Decimal(n % 10_000) / 100,
                rating=levels[n % len(levels)] if n % 2 else None,
            )
            for n in range(scores)
        ),
        batch_size=BATCH,
    )
    tags = Tag.objects.bulk_create([Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(50)])
    TaggedInspection.objects.bulk_create(
        (
            TaggedInspection(content_object_id=pk, tag=tags[n % len(tags)])
            for n, pk in enumerate(inspection_ids)
        ),
        batch_size=BATCH,
    )
    finding_ids = Finding.objects.order_by("pk").values_list("pk", flat=True)
    TaggedFinding.objects.bulk_create(
        (
            TaggedFinding(content_object_id=pk, tag=tags[n % len(tags)])
            for n, pk in enumerate(finding_ids.iterator(chunk_size=BATCH))
            if n % 4 == 0
        ),
        batch_size=BATCH,
    )


def rss_mb() -> float:
    """This process's resident memory now (VmRSS), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def stream(application, path: str) -> dict:
    """GET `path` from the WSGI application, consuming the body chunk by chunk."""
    environ = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    gc.collect()
    baseline = peak = rss_mb()
    started = time.perf_counter()
    body = application(environ, lambda s, headers, exc_info=None: status.append(s))
    size = lines = chunks = 0
    try:
        for chunk in body:
            size += len(chunk)
            lines += chunk.count(b"\n")
            chunks += 1
            peak = max(peak, rss_mb())
    finally:
        if hasattr(body, "close"):
            body.close()
    elapsed = time.perf_counter() - started
    assert status and status[0].startswith("200"), status
    return {
        "path": path,
        "lines": lines,
        "bytes": size,
        "chunks": chunks,
        "seconds": elapsed,
        "baseline_mb": baseline,
        "peak_mb": peak,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=5_000)
    parser.add_argument("--findings", type=int, default=200_000)
    parser.add_argument("--scores", type=int, default=50_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "sqlite:////tmp/oversight-bench-exports.sqlite3"),
    )
    parser.add_argument("--min-rows-per-second", type=float, default=None, help="fail below")
    parser.add_argument("--max-memory-mb", type=float, default=None, help="fail above")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    configure_environment(args.database_url)

    if args.build_only:
        import django

        django.setup()
        build_database(args.inspections, args.findings, args.scores)
        return 0

    # Build in a child process, so this process's memory figures are the export's alone.
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "--build-only", *(argv if argv is not None else sys.argv[1:])],
        check=True,
    )
    built = time.perf_counter() - started

    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    application = get_wsgi_application()
    print(
        f"built {args.inspections:,} inspections, {args.findings:,} findings and "
        f"{args.scores:,} scores on {connection.vendor} in {built:.1f}s"
    )
    stream(application, "/inspections/data/findings.csv?inspection=inspection-0")  # warm up
    results = [
        stream(application, "/inspections/data/findings.csv"),
        stream(application, "/inspections/data/findings.json"),
    ]
    failed = False
    print(f"{'export':34} {'rows':>9} {'MB':>7} {'s':>6} {'rows/s':>9} {'RSS +MB':>8}")
    for result in results:
        rows = result["lines"] - (1 if result["path"].endswith(".csv") else 2)
        assert rows == args.findings, (result["path"], rows)
        result["rate"] = rows / result["seconds"]
        result["growth"] = result["peak_mb"] - result["baseline_mb"]
        print(
            f"{result['path']:34} {rows:9,} {result['bytes'] / 1e6:7.1f} "
            f"{result['seconds']:6.2f} {result['rate']:9,.0f} {result['growth']:8.1f}"
        )
    print(
        f"memory: RSS {results[0]['baseline_mb']:.1f} MB before the first export, peak "
        f"{max(r['peak_mb'] for r in results):.1f} MB during them; ru_maxrss {max_rss_mb():.1f} MB"
    )
    csv_result = results[0]
    for label, ok in [
        (
            f"findings CSV > {TARGET_ROWS_PER_SECOND:,} rows/s",
            csv_result["rate"] > TARGET_ROWS_PER_SECOND,
        ),
        (f"peak RSS growth < {TARGET_MEMORY_MB} MB", csv_result["growth"] < TARGET_MEMORY_MB),
        (f"ru_maxrss < {TARGET_MEMORY_MB} MB", max_rss_mb() < TARGET_MEMORY_MB),
    ]:
        print(f"target: {label}: {'met' if ok else 'MISSED'}")
    if args.min_rows_per_second is not None and csv_result["rate"] < args.min_rows_per_second:
        print(f"FAIL: {csv_result['rate']:,.0f} rows/s < {args.min_rows_per_second:,.0f}")
        failed = True
    if args.max_memory_mb is not None and csv_result["growth"] > args.max_memory_mb:
        print(f"FAIL: RSS grew {csv_result['growth']:.1f} MB > {args.max_memory_mb} MB")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
