"""Page load: the busiest public pages served by gunicorn (DEBUG off), as ratios to a
one-line Django view served by the same processes in the same run.

For each page, `--seconds` of closed-loop load from `--connections` connections: req/s,
the ratio to the hello view, p50/p99, 5xx. With `--redis-url` the run is repeated with the
full-page cache (PAGE_CACHE) off ("cold": every request rendered) and on ("warm").

    .venv/bin/python tests/bench/bench_load.py                            # SQLite, cold
    .venv/bin/python tests/bench/bench_load.py \\
        --database-url postgres://postgres@127.0.0.1:5432/oversight_load \\
        --redis-url redis://127.0.0.1:6379/13                            # cold and warm

Talks only to 127.0.0.1; stops by itself. The database named is emptied.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_soak import ensure_database, load  # noqa: E402
from tests.bench.loadgen import Server, drive, get, hello_floor, load_run_setup  # noqa: E402


def pages(slugs: list[str]) -> dict[str, str]:
    from inspections.models import Inspection

    inspection = Inspection.objects.order_by("pk").values_list("slug", flat=True).first()
    return {
        "article page": f"/articles/{slugs[len(slugs) // 2]}/",
        "home": "/",
        "inspection": f"/inspections/{inspection}/",
        "/feed/": "/feed/",
    }


def measure(server: Server, targets: dict[str, str], args) -> list[str]:
    for path in targets.values():  # every page answers before it is timed
        status, _body = get(server.port, path)
        assert status == 200, (path, status)
    floor = hello_floor(server.port, connections=args.connections, seconds=args.seconds)
    lines = [floor.line("hello view (framework floor)")]
    for name, path in targets.items():
        report = drive(
            server.port,
            lambda _n, path=path: ("GET", path, None, {}),
            connections=args.connections,
            seconds=args.seconds,
        )
        lines.append(report.line(name, floor.rate))
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/oversight-load.sqlite3")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    if args.database_url.startswith("postgres"):
        ensure_database(args.database_url)
    server_env = load_run_setup(args.database_url, REDIS_URL=args.redis_url, PAGE_CACHE="0")
    started = time.monotonic()
    slugs = load(args.articles, args.comments)
    targets = pages(slugs)
    print(
        f"loaded {args.articles} articles, {args.comments} comments in "
        f"{time.monotonic() - started:.0f} s; {args.connections} connections, "
        f"{args.workers} gunicorn workers, {args.seconds:.0f} s a page"
    )
    runs = [("cold (no page cache)", "0")]
    if args.redis_url:
        runs.append(("warm (page cache on)", "1"))
    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    for label, page_cache in runs:
        with Server({**server_env, "PAGE_CACHE": page_cache}, workers=args.workers) as s:
            print(f"\n{database}{' + Redis' if args.redis_url else ''}, {label}")
            for line in measure(s, targets, args):
                print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
