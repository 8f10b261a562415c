"""The Numbers of issue 13: the public pages under wrk, as ratios to a one-line view.

Builds the demo on SQLite and, on PostgreSQL, the demo plus 10,000 articles, 2,000 tags,
100,000 comments, 5,000 inspections and 200,000 findings (bulk inserts, then the search index
and VACUUM ANALYZE). For each database it starts gunicorn with the shipped configuration
(deploy/gunicorn.conf.py, DEBUG off, 2 sync workers, no recycling so memory shows) three times:
with the full-page cache off ("uncached": every request rendered, fragments kept per content
version as in production), with fragments off too ("cold": what the first reader after a
change pays, every fragment rendered; at the fewest connections only), and with the
full-page cache on ("cached", Redis, warmed first). Each time wrk drives the hello view and
home, an article, a tag page, an inspection, /feed/ and a search for `--seconds` at each of
`--connections`, and the table gives req/s, the ratio to the hello view of the same server at
the same connections (the mean of a hello run before and one after the pages), p50/p99 (wrk
--latency), the workers' CPU time per request (from /proc, before and after) and the same
ratio by CPU time (hello's CPU ms a request over the page's: what the ratio would be on a
machine with nothing else running, as a busy shared machine skews req/s), and each worker's
RSS after the run.
Last, Debian's nginx with the shipped site (deploy/nginx/oversight.conf) in front of the
cached server: its micro-cache against nginx serving a static copy of the same page from the
same server block, keep-alive, TLS.

    make bench-load                                          # everything, about 15 minutes
    .venv/bin/python tests/bench/bench_numbers.py --reuse    # keep a PostgreSQL build
    .venv/bin/python tests/bench/bench_numbers.py --quick    # SQLite demo, 2 s a point

Needs wrk (Debian: `apt-get install wrk`); PostgreSQL and Redis on 127.0.0.1 for the full
run; nginx for the last part (skipped without it). The databases named are emptied and
rebuilt (unless `--reuse` finds the PostgreSQL one complete); Redis database 8 is flushed.
Talks only to 127.0.0.1 and stops by itself.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import nginx_site  # noqa: E402
from tests.bench.bench_pages import build_database as build_articles_and_tags  # noqa: E402
from tests.bench.loadgen import Server, get  # noqa: E402

PAGES = ["home", "article", "tag page", "inspection", "/feed/", "search"]
HELLO, HELLO_AGAIN = "hello view", "hello view, again"
STATIC_ROOT = "/tmp/oversight-numbers-static"
NGINX_HOST = nginx_site.HOST
FULL = {"articles": 10_000, "tags": 2_000, "comments": 100_000, "inspections": 5_000}
FULL_FINDINGS = 200_000
SEARCH_WORDS = "caseloads"
BATCH = 5_000


# ---------------------------------------------------------------------------------------
# Building a database (runs in a child process: one Django setup per database)


def django_environment(
    database_url: str, redis_url: str = "", page_cache: str = "0", fragment_cache: str = ""
) -> dict:
    """What the builder and the servers run with: production settings, plain http."""
    return {
        "DJANGO_SETTINGS_MODULE": "tests.bench.load_settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "benchmark-only-secret-key",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_PROXY_SSL_HEADER": "1",  # nginx sets X-Forwarded-Proto in the last part
        "ALLOWED_HOSTS": f"127.0.0.1,localhost,{NGINX_HOST}",
        "SITE_URL": f"https://{NGINX_HOST}",
        "LOG_LEVEL": "ERROR",
        "STATIC_ROOT": STATIC_ROOT,
        "TASKS_BACKEND": "database",
        "TWO_FACTOR_REQUIRED": "",
        "REDIS_URL": redis_url,
        "PAGE_CACHE": page_cache,
        # Empty: the settings' default (fragments kept when Redis is there); "0": none kept.
        **({"FRAGMENT_CACHE": fragment_cache} if fragment_cache else {}),
    }


def ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def complete(sizes: dict, findings: int) -> bool:
    """Whether the database already holds a finished build of these sizes."""
    from django.db import DatabaseError

    from blog.models import Article
    from inspections.models import Finding
    from search.models import SearchDocument

    try:
        return (
            Article.objects.count() >= sizes["articles"]
            and Finding.objects.count() >= findings
            and SearchDocument.objects.exists()
        )
    except DatabaseError:
        return False


def publish_fields(model, when) -> dict:
    """Public-state fields a model has (inspections gain a workflow in a later change)."""
    names = {field.name for field in model._meta.get_fields()}
    fields = {}
    if "status" in names:
        fields["status"] = "published"
    if "live_at" in names:
        fields["live_at"] = when
    return fields


def build_generated(sizes: dict, findings: int) -> None:
    """Bulk rows on top of bench_pages' articles and tags and the demo: comments on the
    articles, inspections with their organisation rows and findings."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from blog.models import Article
    from comments.models import Comment
    from inspections.models import (
        Finding,
        InspectedOrganisation,
        Inspection,
        Organisation,
        Programme,
        RatingLevel,
        Theme,
    )

    now = timezone.now()
    articles = list(
        Article.objects.filter(slug__startswith="analysis-").values_list("pk", flat=True)
    )
    article_type = ContentType.objects.get_for_model(Article)
    Comment.objects.bulk_create(
        (
            Comment(
                content_type=article_type,
                object_id=articles[n % len(articles)],
                name=f"Reader {n}",
                email=f"reader{n}@example.net",
                body="Caseloads have doubled since 2014, and the reports say so.",
                status=Comment.Status.APPROVED,
                created=now - datetime.timedelta(minutes=n),
            )
            for n in range(sizes["comments"])
        ),
        batch_size=BATCH,
    )

    programme = Programme.objects.select_related("inspectorate").order_by("pk").first()
    themes = list(Theme.objects.filter(programme=programme)) or list(Theme.objects.all())
    levels = list(RatingLevel.objects.all())
    organisations = list(Organisation.objects.all())
    start = datetime.date(2014, 6, 1)
    inspections = Inspection.objects.bulk_create(
        (
            Inspection(
                title=f"An inspection of probation services, number {n}",
                slug=f"generated-inspection-{n}",
                inspectorate=programme.inspectorate,
                programme=programme,
                area=f"Area {n % 200}",
                published_on=start + datetime.timedelta(days=n % 3000),
                summary="Inspectors found caseloads too high, and supervision too infrequent.",
                **publish_fields(Inspection, now - datetime.timedelta(days=1)),
            )
            for n in range(sizes["inspections"])
        ),
        batch_size=BATCH,
    )
    InspectedOrganisation.objects.bulk_create(
        (
            InspectedOrganisation(
                inspection_id=inspection.pk,
                organisation=organisations[n % len(organisations)],
                overall_rating=levels[n % len(levels)] if levels else None,
            )
            for n, inspection in enumerate(inspections)
        ),
        batch_size=BATCH,
    )
    Finding.objects.bulk_create(
        (
            Finding(
                inspection_id=inspections[n % len(inspections)].pk,
                organisation=organisations[n % len(organisations)] if n % 5 else None,
                theme=themes[n % len(themes)],
                polarity=Finding.Polarity.CONCERN if n % 3 else Finding.Polarity.STRENGTH,
                text=f"Finding {n}: caseloads were too high, and risk was not always assessed.",
                order=n // len(inspections),
            )
            for n in range(findings)
        ),
        batch_size=BATCH,
    )


def build(database_url: str, full: bool, reuse: bool) -> dict:
    """Build (or reuse) the database; collect static files; name the pages to drive."""
    os.environ.update(django_environment(database_url))
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from taggit.models import Tag

    from blog.models import Article
    from inspections.models import Inspection
    from tests.bench.benchenv import fresh_database

    started = time.monotonic()
    sizes = FULL if full else {"articles": 0}
    findings = FULL_FINDINGS if full else 0
    call_command("collectstatic", "--no-input", verbosity=0)
    if reuse and full and complete(sizes, findings):
        call_command("migrate", "--no-input", verbosity=0)
        built = "reused"
    else:
        if full:  # a fresh database with the articles and tags, then the demo on top
            build_articles_and_tags(sizes["articles"], sizes["tags"])
        else:
            fresh_database()
        call_command("load_demo", verbosity=0)
        if full:
            build_generated(sizes, findings)
        call_command("rebuild_search_index", verbosity=0)
        built = "built"
    with connection.cursor() as cursor:
        # VACUUM too on PostgreSQL: a settled table (autovacuum's work, which may be off on a
        # test server) has its visibility map, so counts can read the index alone.
        cursor.execute("VACUUM (ANALYZE)" if connection.vendor == "postgresql" else "ANALYZE")
    article = (
        Article.objects.published().filter(slug="north-london-probation-inspection-2016").first()
        or Article.objects.published().order_by("pk").first()
    )
    inspection = Inspection.objects.published().order_by("pk").first()
    tag = (
        Tag.objects.annotate(uses=Count("blog_taggedarticle_items"))
        .order_by("-uses", "slug")
        .first()
    )
    counts = {
        "articles": Article.objects.count(),
        "inspections": Inspection.objects.count(),
        "findings": _count("inspections", "Finding"),
        "comments": _count("comments", "Comment"),
        "tags": Tag.objects.count(),
    }
    return {
        "built": built,
        "seconds": round(time.monotonic() - started, 1),
        "vendor": connection.vendor,
        "counts": counts,
        "pages": {
            "home": "/",
            "article": article.get_absolute_url(),
            "tag page": f"/tags/{tag.slug}/",
            "inspection": inspection.get_absolute_url(),
            "/feed/": "/feed/",
            "search": f"/search/?q={SEARCH_WORDS}",
        },
    }


def _count(app: str, model: str) -> int:
    from django.apps import apps

    return apps.get_model(app, model).objects.count()


def build_in_child(database_url: str, full: bool, reuse: bool) -> dict:
    command = [sys.executable, __file__, "--build-only", database_url]
    command += ["--full"] if full else []
    command += ["--reuse"] if reuse else []
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env={**os.environ}, check=False
    )
    if result.returncode:
        raise RuntimeError(f"building {database_url} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------
# Serving and measuring


class Gunicorn(Server):
    """loadgen's Server, started with deploy/gunicorn.conf.py; its workers' CPU and memory."""

    def __init__(self, env: dict, workers: int, log: Path):
        super().__init__(env, workers=workers, settings_module=env["DJANGO_SETTINGS_MODULE"])
        self.env.update(
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_THREADS="1",
            GUNICORN_MAX_REQUESTS="0",  # no recycling: memory after the run is real
        )
        self.log = log

    def __enter__(self) -> "Gunicorn":
        command = [
            sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
            "config.wsgi:application",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=log
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            try:
                if get(self.port, "/bench/hello/")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(child) for child in children.read_text().split()]

    def cpu_seconds(self) -> float:
        """CPU time of the workers so far, counting any that exited (the master's reaped
        children) — user + system."""
        ticks = os.sysconf("SC_CLK_TCK")
        used = sum(int(value) for value in _stat_fields(self.process.pid)[16:18])  # cutime, cstime
        for pid in self.worker_pids():
            try:
                used += sum(int(value) for value in _stat_fields(pid)[14:16])  # utime, stime
            except FileNotFoundError:
                continue
        return used / ticks

    def worker_rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes


def _stat_fields(pid: int) -> list[str]:
    """/proc/PID/stat as numbered in proc(5) from 1 (the name may hold spaces)."""
    text = Path(f"/proc/{pid}/stat").read_text()
    return ["", "", "", *text[text.rindex(")") + 2 :].split()]


@dataclass
class Point:
    rate: float
    p50: float
    p99: float
    requests: int
    bad: int  # non-2xx/3xx answers plus socket errors
    cpu_ms: float | None = None


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url: str, connections: int, seconds: float, headers: dict | None = None) -> Point:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds:g}s"]
    command += ["--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)", output, re.MULTILINE))
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Point(
        rate=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50=_ms(latency["50"]),
        p99=_ms(latency["99"]),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        bad=(int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(int(n) for n in errors.groups()) if errors else 0),
    )


def measure(server: Gunicorn, url: str, connections: int, seconds: float) -> Point:
    before = server.cpu_seconds()
    point = wrk(url, connections, seconds)
    used = server.cpu_seconds() - before
    point.cpu_ms = used * 1000 / point.requests if point.requests else 0.0
    return point


def flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def connections_for(mode: str, args) -> list[int]:
    """Cold runs only at the fewest connections: they are there to show the render cost."""
    return [min(args.connections)] if mode == "cold" else args.connections


def run_server(database: dict, mode: str, args, log: Path) -> dict:
    """One gunicorn run: hello and every page at every connection count."""
    env = django_environment(
        database["url"],
        args.redis_url,
        "1" if mode == "cached" else "0",
        "0" if mode == "cold" else "",
    )
    if args.redis_url:
        flush_redis(args.redis_url)
    with Gunicorn(env, args.workers, log) as server:
        base = f"http://127.0.0.1:{server.port}"
        for path in database["pages"].values():  # each answers, and the cached run is warm
            for _ in range(3):
                status, _body = get(server.port, path)
                assert status == 200, (path, status)
        results = {}
        for connections in connections_for(mode, args):
            # The hello view before and after the pages: the floor is their mean, so load
            # that comes and goes on a shared machine weighs on both sides alike.
            hello = f"{base}/bench/hello/"
            results[(HELLO, connections)] = measure(server, hello, connections, args.seconds)
            for name, path in database["pages"].items():
                results[(name, connections)] = measure(
                    server, base + path, connections, args.seconds
                )
            results[(HELLO_AGAIN, connections)] = measure(server, hello, connections, args.seconds)
        rss = server.worker_rss_mb()
        first = next(iter(database["pages"].values()))
        cached_header = _header(server.port, first, "X-Page-Cache")
    return {"points": results, "rss": rss, "cache_header": cached_header}


def _header(port: int, path: str, name: str) -> str:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.getheader(name) or "-"
    finally:
        connection.close()


# ---------------------------------------------------------------------------------------
# nginx: the shipped micro-cache against a static copy of the same page


def nginx_run(database: dict, args, log: Path) -> dict:
    """The article and home through nginx's micro-cache and as static copies, keep-alive."""
    if not shutil.which("nginx"):
        return {"skipped": "nginx is not installed (Debian: apt-get install nginx-light)"}
    env = django_environment(database["url"], args.redis_url, "1")
    workdir = Path(tempfile.mkdtemp(prefix="oversight-numbers-nginx-"))
    try:
        if args.redis_url:
            flush_redis(args.redis_url)
        with Gunicorn(env, args.workers, log) as app:
            pages = {
                name: path
                for name, path in database["pages"].items()
                if name in ("article", "home")
            }
            copies = workdir / "copies"
            copies.mkdir()
            for name, path in pages.items():
                status, body = get(app.port, path)
                assert status == 200, (path, status)
                (copies / f"{name}.html").write_bytes(body)
            port, process = nginx_site.start(
                workdir,
                app_port=app.port,
                static_root=Path(STATIC_ROOT),
                media_root=workdir / "media",
                extra=f"    location /numbers-static/ {{\n        alias {copies}/;\n    }}\n\n",
            )
            try:
                base = f"https://127.0.0.1:{port}"
                headers = {"Host": NGINX_HOST}
                results = {}
                for name, path in pages.items():
                    _warm_through_nginx(port, path)
                    cached = wrk(base + path, args.nginx_connections, args.seconds, headers)
                    static = wrk(
                        f"{base}/numbers-static/{name}.html",
                        args.nginx_connections,
                        args.seconds,
                        headers,
                    )
                    results[name] = (cached, static)
            finally:
                process.terminate()
                process.wait(timeout=10)
        return {"results": results}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _warm_through_nginx(port: int, path: str) -> str:
    import http.client
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    state = ""
    for _ in range(3):
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
        try:
            connection.request("GET", path, headers={"Host": NGINX_HOST})
            response = connection.getresponse()
            response.read()
            state = response.getheader("X-Cache", "")
        finally:
            connection.close()
    return state


# ---------------------------------------------------------------------------------------
# Report


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def table(databases: list[dict], runs: dict, args) -> list[str]:
    lines = [
        "| database | mode | page | conns | req/s | × hello | p50 ms | p99 ms | CPU ms/req "
        "| × hello by CPU | bad |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for database in databases:
        for mode in args.modes:
            run = runs.get((database["label"], mode))
            if not run:
                continue
            points = run["points"]
            for connections in connections_for(mode, args):
                rate, cpu = hello_mean(points, connections)
                for name in [HELLO, *database["pages"], HELLO_AGAIN]:
                    point = points[(name, connections)]
                    ratio = point.rate / rate if rate else float("nan")
                    by_cpu = cpu / point.cpu_ms if point.requests and point.cpu_ms else 0.0
                    latency = f"{point.p50:.1f} | {point.p99:.1f}" if point.requests else "— | —"
                    lines.append(
                        f"| {database['label']} | {mode} | {name} | {connections} "
                        f"| {point.rate:,.1f} | {ratio:.3f}× | {latency} "
                        f"| {point.cpu_ms:.2f} | {by_cpu:.3f}× | {point.bad} |"
                    )
    return lines


def summary(databases: list[dict], runs: dict, args) -> list[str]:
    """One row a page: cold and uncached at the fewest connections (ratio, by CPU, CPU ms),
    cached at the most (ratio, p99) — the short table for the README."""
    low, high = min(args.connections), max(args.connections)
    columns, header = [], ["page"]
    for database in databases:
        for mode in args.modes:
            if (database["label"], mode) in runs:
                columns.append((database, mode))
                connections = high if mode == "cached" else low
                header.append(f"{database['label']}, {mode}, {connections} conns")
    lines = ["| " + " | ".join(header) + " |", "| --- |" + " ---: |" * len(columns)]
    pages = [HELLO, *dict.fromkeys(name for db in databases for name in db["pages"])]
    for name in pages:
        cells = [name]
        for database, mode in columns:
            points = runs[(database["label"], mode)]["points"]
            connections = high if mode == "cached" else low
            point = points.get((name, connections))
            rate, cpu = hello_mean(points, connections)
            if point is None:
                cells.append("")
            elif name == HELLO:
                cells.append(f"{rate:,.0f} req/s, {cpu:.2f} ms CPU")
            elif mode != "cached":
                by_cpu = cpu / point.cpu_ms if point.cpu_ms else 0.0
                cells.append(f"{point.rate / rate:.3f}× (CPU {by_cpu:.3f}×, {point.cpu_ms:.1f} ms)")
            else:
                cells.append(f"{point.rate / rate:.2f}×, p99 {point.p99:.0f} ms")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def hello_mean(points: dict, connections: int) -> tuple[float, float]:
    """The hello view's req/s and CPU ms a request: the mean of before and after."""
    before, after = points[(HELLO, connections)], points[(HELLO_AGAIN, connections)]
    cpu = [p.cpu_ms for p in (before, after) if p.requests]
    return (before.rate + after.rate) / 2, sum(cpu) / len(cpu) if cpu else float("nan")


def targets(databases: list[dict], runs: dict, nginx: dict | None, args) -> list[str]:
    """The issue's targets, each met or missed, from this run's figures."""
    checks = []

    def ratio(label, mode, name, connections):
        points = runs[(label, mode)]["points"]
        return points[(name, connections)].rate / hello_mean(points, connections)[0]

    low, high = min(args.connections), max(args.connections)
    for database in databases:
        label, pages = database["label"], database["pages"]
        if (label, "uncached") in runs:
            for name, floor in (("article", 0.06), ("home", 0.05), ("inspection", 0.05)):
                for connections in args.connections if name in pages else []:
                    value = ratio(label, "uncached", name, connections)
                    points = runs[(label, "uncached")]["points"]
                    page_cpu = points[(name, connections)].cpu_ms
                    by_cpu = hello_mean(points, connections)[1] / page_cpu if page_cpu else 0.0
                    checks.append(
                        (
                            f"{label} uncached {name} ≥ {floor}× hello ({connections} conns)",
                            value >= floor,
                            f"{value:.3f}× (by CPU time {by_cpu:.3f}×)",
                        )
                    )
        if (label, "cached") in runs:
            points = runs[(label, "cached")]["points"]
            for name in ("article", "home", "inspection", "/feed/"):
                if name not in pages:
                    continue
                value = ratio(label, "cached", name, high)
                p99 = points[(name, high)].p99
                checks.append(
                    (
                        f"{label} cached {name} ≥ 0.5× hello, p99 < 30 ms ({high} conns)",
                        value >= 0.5 and p99 < 30,
                        f"{value:.3f}×, p99 {p99:.1f} ms",
                    )
                )
        for mode in args.modes:
            if (label, mode) in runs:
                rss = runs[(label, mode)]["rss"]
                checks.append(
                    (
                        f"{label} {mode}: each worker < 150 MB RSS after the run",
                        bool(rss) and max(rss) < 150,
                        ", ".join(f"{size:.0f} MB" for size in rss),
                    )
                )
    labels = [database["label"] for database in databases]
    if len(labels) == 2 and all((label, "uncached") in runs for label in labels):
        sqlite, postgres = labels
        for name in [name for name in ("article", "home", "inspection") if name in PAGES]:
            if (name, low) not in runs[(postgres, "uncached")]["points"]:
                continue
            lite = runs[(sqlite, "uncached")]["points"]
            big = runs[(postgres, "uncached")]["points"]
            # Each as a ratio to its own run's hello view: the two runs are minutes apart.
            share = ratio(postgres, "uncached", name, low) / ratio(sqlite, "uncached", name, low)
            by_cpu = lite[(name, low)].cpu_ms / big[(name, low)].cpu_ms
            checks.append(
                (
                    f"PostgreSQL {name} no more than 20% slower than the SQLite demo ({low} conns)",
                    share >= 0.8,
                    f"{share:.2f} of SQLite's ratio to hello (CPU per request {by_cpu:.2f})",
                )
            )
    if nginx and "results" in nginx:
        for name, (cached, static) in nginx["results"].items():
            value = cached.rate / static.rate
            checks.append(
                (
                    f"nginx micro-cache {name} ≥ 0.25× nginx static copy",
                    value >= 0.25,
                    f"{value:.3f}×",
                )
            )
    return [f"- [{'x' if met else ' '}] {text}: {figure}" for text, met, figure in checks]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build-only", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h8_load"),
        help="the PostgreSQL database to build at full size (emptied)",
    )
    parser.add_argument("--sqlite-url", default="sqlite:////tmp/oversight-numbers.sqlite3")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated")
    parser.add_argument(
        "--modes", default="cold,uncached,cached", help="comma-separated, of: %(default)s"
    )
    parser.add_argument("--connections", default="8,32", help="comma-separated")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated, of: %(default)s")
    parser.add_argument("--nginx-connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-nginx", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep a complete PostgreSQL build")
    parser.add_argument(
        "--quick", action="store_true", help="smoke: SQLite demo, 8 connections, 2 s a point"
    )
    args = parser.parse_args(argv)

    if args.build_only:
        print(json.dumps(build(args.build_only, args.full, args.reuse)))
        return 0
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    if args.quick:
        args.databases, args.connections, args.no_nginx = "sqlite", "8", True
        args.seconds = min(args.seconds, 2)
    args.connections = [int(n) for n in args.connections.split(",")]
    args.modes = [mode for mode in args.modes.split(",") if mode]
    if "cached" in args.modes and not args.redis_url:
        args.modes.remove("cached")
    started = time.monotonic()
    log = Path(tempfile.gettempdir()) / "oversight-numbers-gunicorn.log"
    print(f"load average at start: {load_average()}; {os.cpu_count()} CPUs; log {log}")

    databases = []
    for kind in args.databases.split(","):
        url = args.sqlite_url if kind == "sqlite" else args.database_url
        if kind == "postgres":
            ensure_postgres_database(url)
        info = build_in_child(url, full=kind == "postgres", reuse=args.reuse)
        label = "SQLite demo" if kind == "sqlite" else "PostgreSQL 10k"
        counts = ", ".join(f"{value:,} {name}" for name, value in info["counts"].items())
        print(f"{label}: {info['built']} in {info['seconds']} s ({counts})")
        chosen = [name for name in args.pages.split(",") if name]
        info["pages"] = {name: path for name, path in info["pages"].items() if name in chosen}
        databases.append({"label": label, "url": url, **info})

    runs = {}
    for database in databases:
        for mode in args.modes:
            runs[(database["label"], mode)] = run = run_server(database, mode, args, log)
            print(
                f"{database['label']} {mode}: done; X-Page-Cache {run['cache_header']};"
                f" load average {load_average()}"
            )
    nginx = None
    if not args.no_nginx and args.redis_url:
        nginx = nginx_run(databases[-1], args, log)

    print()
    print(
        f"gunicorn -c deploy/gunicorn.conf.py, {args.workers} sync workers, DEBUG off; wrk "
        f"{args.seconds:g} s a point; load average at the end {load_average()} on "
        f"{os.cpu_count()} CPUs shared with other work"
    )
    print()
    for line in table(databases, runs, args):
        print(line)
    print()
    for database in databases:
        for mode in args.modes:
            rss = runs[(database["label"], mode)]["rss"]
            sizes = ", ".join(f"{size:.1f}" for size in rss)
            print(f"- {database['label']}, {mode}: worker RSS after the run {sizes} MB")
    if nginx:
        print()
        if "skipped" in nginx:
            print(f"nginx: skipped, {nginx['skipped']}")
        else:
            print(
                f"nginx (shipped site, TLS, keep-alive, {args.nginx_connections} connections, "
                f"{databases[-1]['label']}):"
            )
            print()
            print("| page | micro-cache req/s | p99 ms | static copy req/s | p99 ms | ratio |")
            print("| --- | ---: | ---: | ---: | ---: | ---: |")
            for name, (cached, static) in nginx["results"].items():
                print(
                    f"| {name} | {cached.rate:,.1f} | {cached.p99:.1f} | {static.rate:,.1f} "
                    f"| {static.p99:.1f} | {cached.rate / static.rate:.3f}× |"
                )
    print()
    for line in summary(databases, runs, args):
        print(line)
    print()
    print("Targets:")
    for line in targets(databases, runs, nginx, args):
        print(line)
    print(f"\ntotal {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
