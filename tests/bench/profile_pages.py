"""Where an uncached page's time goes: SQL, templates, the rest of Python.

Renders pages in this process through the WSGI handler (production settings, DEBUG off,
page cache off) after a warm-up, and for each reports the mean wall time a request, the SQL
time and query count (a database execute wrapper), the time inside template rendering
(`Template.render` of the top-level template), each template's own time (its includes and
the slots' templates counted where they are), and cProfile's top functions by own time.
Fragments (FRAGMENT_CACHE) are kept as in production with REDIS_URL; `--no-fragments`
renders every part on every request, as a page-cache miss does right after a change.

    .venv/bin/python tests/bench/profile_pages.py                  # the SQLite demo
    .venv/bin/python tests/bench/profile_pages.py --database-url postgres://postgres@127.0.0.1:5432/h8_load
    .venv/bin/python tests/bench/profile_pages.py --pages article --top 40

Uses the database bench_numbers.py built (run it first, or `--quick` for the SQLite demo).
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_numbers import django_environment  # noqa: E402

AREAS = [
    ("django/template", "templates"),
    ("django/db", "ORM and SQL"),
    ("sqlite3", "ORM and SQL"),
    ("psycopg", "ORM and SQL"),
    ("redis", "cache client"),
    ("django/core/cache", "cache client"),
    ("gettext", "translation"),
    ("django/utils/translation", "translation"),
    ("django/urls", "URL reversing"),
    ("urllib", "URL reversing"),
    ("django/utils/html", "escaping"),
    ("html/__init__", "escaping"),
    ("asgiref", "thread-locals"),
    ("django/middleware", "middleware"),
    ("django/test", "test client"),
    ("site-packages", "other libraries"),
    ("/work/main/", "Oversight code"),
]


def area_of(filename: str) -> str:
    for fragment, area in AREAS:
        if fragment in filename:
            return area
    return "builtins and stdlib"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/oversight-numbers.sqlite3")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--pages", default="article,home,inspection")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-fragments", action="store_true", help="FRAGMENT_CACHE=0")
    args = parser.parse_args(argv)

    os.environ.update(django_environment(args.database_url, args.redis_url, "0"))
    os.environ["FRAGMENT_CACHE"] = "0" if args.no_fragments else "1"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.db import connection
    from django.template import Template
    from django.test import Client

    from blog.models import Article
    from inspections.models import Inspection

    article = (
        Article.objects.published().filter(slug="north-london-probation-inspection-2016").first()
        or Article.objects.published().first()
    )
    urls = {
        "article": article.get_absolute_url(),
        "home": "/",
        "inspection": Inspection.objects.published().order_by("pk").first().get_absolute_url(),
        "feed": "/feed/",
        "tag": "/tags/probation/",
    }
    sql = {"seconds": 0.0, "queries": 0}

    def timed(execute, query, params, many, context):
        started = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            sql["seconds"] += time.perf_counter() - started
            sql["queries"] += 1

    rendering = {"seconds": 0.0, "depth": 0}
    original_render = Template.render

    def render(self, context):  # the outermost render only: nested ones are inside it
        rendering["depth"] += 1
        started = time.perf_counter()
        try:
            return original_render(self, context)
        finally:
            rendering["depth"] -= 1
            if not rendering["depth"]:
                rendering["seconds"] += time.perf_counter() - started

    Template.render = render
    own = {"on": False, "seconds": {}, "stack": []}
    original_inner = Template._render

    def inner(self, context):  # every template, its own time less the templates it renders
        if not own["on"]:
            return original_inner(self, context)
        own["stack"].append(0.0)
        started = time.perf_counter()
        try:
            return original_inner(self, context)
        finally:
            spent = time.perf_counter() - started
            nested = own["stack"].pop()
            own["seconds"][self.name] = own["seconds"].get(self.name, 0.0) + spent - nested
            if own["stack"]:
                own["stack"][-1] += spent

    Template._render = inner
    client = Client()
    for name in args.pages.split(","):
        url = urls[name]
        for _ in range(5):
            assert client.get(url).status_code == 200, url
        sql.update(seconds=0.0, queries=0)
        rendering["seconds"] = 0.0
        with connection.execute_wrapper(timed):
            started, cpu = time.perf_counter(), time.process_time()
            for _ in range(args.requests):
                client.get(url)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        n = args.requests
        in_templates = rendering["seconds"]
        own.update(on=True, seconds={})
        for _ in range(args.requests):
            client.get(url)
        own["on"] = False
        by_template = sorted(own["seconds"].items(), key=lambda item: -item[1])
        print(
            f"\n## {name} {url}: {cpu / n * 1000:.2f} ms CPU a request ({wall / n * 1000:.2f} ms"
            f" wall); SQL {sql['queries'] / n:.1f} queries {sql['seconds'] / n * 1000:.2f} ms"
            f" wall; templates (SQL run from them included) {in_templates / n * 1000:.2f}"
            " ms wall"
        )
        print(
            "templates by own time, ms wall a request: "
            + ", ".join(f"{t} {seconds / n * 1000:.2f}" for t, seconds in by_template[:10])
        )
        profile = cProfile.Profile(time.process_time)
        profile.enable()
        for _ in range(args.requests):
            client.get(url)
        profile.disable()
        stats = pstats.Stats(profile, stream=io.StringIO())
        total = sum(row[2] for row in stats.stats.values())
        areas = {}
        for (filename, _line, _function), row in stats.stats.items():
            area = area_of(filename)
            areas[area] = areas.get(area, 0.0) + row[2]
        print(
            "own CPU time by area (cProfile, process time): "
            + ", ".join(
                f"{area} {seconds / total:.0%}"
                for area, seconds in sorted(areas.items(), key=lambda item: -item[1])
            )
        )
        ours = sorted(
            (
                (row[3], f"{Path(filename).relative_to(ROOT)}:{function}")
                for (filename, _line, function), row in stats.stats.items()
                if filename.startswith(str(ROOT))
                and "/.venv/" not in filename
                and "/tests/" not in filename
                and "middleware" not in function
            ),
            reverse=True,
        )
        print(
            "Oversight functions by cumulative share (SQL and templates they run included): "
            + ", ".join(f"{name} {seconds / total:.0%}" for seconds, name in ours[: args.top // 2])
        )
        out = io.StringIO()
        stats.stream = out
        stats.sort_stats("tottime").print_stats(args.top)
        print("\n".join(out.getvalue().splitlines()[4:]))
    Template.render = original_render
    Template._render = original_inner
    return 0


if __name__ == "__main__":
    sys.exit(main())
