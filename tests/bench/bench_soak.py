"""Soak: the production configuration under sustained load with writes, and its memory.

Starts gunicorn (DEBUG off) on PostgreSQL + Redis with ARTICLES articles and COMMENTS
approved comments (plus the demo's inspections), then for SECONDS drives CONNECTIONS
concurrent connections over the public pages while also posting comments and
subscriptions. Reports req/s (and as a ratio to a one-line Django view served by the same
processes in the same run), p50/p99, 5xx and connection errors, and the servers' memory
after the first minute and at the end. Talks only to 127.0.0.1; stops by itself.

    .venv/bin/python tests/bench/bench_soak.py                       # 5 minutes, full size
    .venv/bin/python tests/bench/bench_soak.py --seconds 20 --articles 500 --comments 2000
    .venv/bin/python tests/bench/bench_soak.py --check               # exit 1 on a miss

Needs PostgreSQL and Redis on 127.0.0.1 (the database named by --database-url is emptied).
"""

import argparse
import itertools
import os
import random
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.benchenv import fresh_database  # noqa: E402
from tests.bench.loadgen import (  # noqa: E402
    Report,
    Server,
    drive,
    get,
    hello_floor,
    load_run_setup,
)

FORM_FIELD = re.compile(r'name="(csrfmiddlewaretoken|started)" value="([^"]+)"')


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def load(articles: int, comments: int) -> list[str]:
    """Demo content plus generated articles and comments; the article slugs."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from taggit.models import Tag

    from blog.models import Article, AuthorProfile, Category, TaggedArticle
    from comments.models import Comment

    fresh_database()
    call_command("load_demo", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    user = get_user_model().objects.create(username="soak", first_name="Soak", last_name="Test")
    AuthorProfile.objects.create(user=user, display_name="Soak Writer", bio="Writes a lot.")
    category = Category.objects.create(name="Soak", slug="soak")
    tags = Tag.objects.bulk_create([Tag(name=f"Soak {n}", slug=f"soak-{n}") for n in range(200)])
    now = timezone.now()
    body = "<p>" + "Inspectors found that caseloads were too high in many teams. " * 30 + "</p>"
    rows = [
        Article(
            title=f"Soak article {n}",
            slug=f"soak-{n}",
            author=user,
            category=category,
            standfirst="What the inspectors found.",
            body=body,
            status=Article.Status.PUBLISHED,
            published_at=now - datetime.timedelta(hours=n),
            reading_time=3,
        )
        for n in range(articles)
    ]
    created = Article.objects.bulk_create(rows, batch_size=1000)
    TaggedArticle.objects.bulk_create(
        [
            TaggedArticle(content_object=article, tag=tag)
            for article in created
            for tag in random.Random(article.pk).sample(tags, 3)
        ],
        batch_size=5000,
    )
    article_type = ContentType.objects.get_for_model(Article)
    pks = [article.pk for article in created]
    chooser = random.Random(7)
    Comment.objects.bulk_create(
        [
            Comment(
                content_type=article_type,
                object_id=chooser.choice(pks),
                name=f"Reader {n}",
                email=f"reader{n}@example.net",
                body="Caseloads have doubled since 2014, and the reports say so.",
                status=Comment.Status.APPROVED,
                created=now - datetime.timedelta(minutes=n),
            )
            for n in range(comments)
        ],
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return [article.slug for article in created]


class Traffic:
    """What each simulated reader asks for next: mostly pages, some comments and sign-ups."""

    def __init__(self, port: int, slugs: list[str], connections: int, write_share: float):
        from inspections.models import Inspection

        self.slugs = slugs
        self.inspections = list(Inspection.objects.values_list("slug", flat=True))
        self.write_share = write_share
        self.counter = itertools.count()
        self.kinds: dict[int, str] = {}
        self.lock = threading.Lock()
        # Each reader opens one article's comment form before the clock starts (the form
        # refuses submissions younger than a few seconds, as a real reader's would be).
        self.forms = [self.open_form(port, random.choice(slugs)) for _ in range(connections)]
        self.signup = self.open_form(port, None)

    @staticmethod
    def open_form(port: int, slug: str | None) -> dict:
        path = f"/articles/{slug}/" if slug else "/subscribe/"
        status, body = get(port, path)
        assert status == 200, (path, status)
        fields = dict(FORM_FIELD.findall(body.decode()))
        # A CSRF token only where the form carries one (the cookie-free policy needs none).
        form = {
            "path": path,
            "csrf": fields.get("csrfmiddlewaretoken", ""),
            "started": fields.get("started"),
            "origin": os.environ["SITE_URL"],
        }
        article = re.search(r'action="(/comments/post/[^"]+)"', body.decode())
        form["action"] = article.group(1) if article else "/subscribe/"
        return form

    def __call__(self, number: int):
        n = next(self.counter)
        roll = random.random()
        if roll < self.write_share / 2:
            form = self.forms[number]
            data = {
                "started": form["started"],
                "name": f"Soak reader {number}",
                "email": f"soak{number}@example.net",
                "body": f"Comment {n}: the caseload figures match what we see.",
                "homepage": "",
            }
            return self.post(form, data, "comment")
        if roll < self.write_share:
            data = {
                "email": f"soak-{n}@example.net",
                "frequency": "daily",
            }
            return self.post(self.signup, data, "subscribe")
        path = random.choice(
            [
                "/",
                "/articles/",
                f"/articles/{random.choice(self.slugs)}/",
                f"/articles/{random.choice(self.slugs)}/",
                f"/articles/{random.choice(self.slugs)}/",
                f"/tags/soak-{random.randrange(200)}/",
                "/inspections/",
                f"/inspections/{random.choice(self.inspections)}/",
                "/feed/",
                f"/?page={random.randrange(1, 50)}",
            ]
        )
        return ("GET", path, None, {})

    @staticmethod
    def post(form: dict, data: dict, kind: str):
        if form["csrf"]:
            data = {**data, "csrfmiddlewaretoken": form["csrf"]}
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            # A browser posting a form of this site says where it comes from.
            "Origin": form["origin"],
            "Referer": form["origin"] + form["path"],
        }
        if form["csrf"]:
            headers["Cookie"] = f"csrftoken={form['csrf']}"
        return ("POST", form["action"], urlencode(data).encode(), headers)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/oversight_soak"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--floor-seconds", type=float, default=20)
    parser.add_argument("--write-share", type=float, default=0.1)
    parser.add_argument("--check", action="store_true", help="exit 1 on any 5xx, error or leak")
    args = parser.parse_args(argv)

    if args.database_url.startswith("postgres"):
        ensure_database(args.database_url)
    server_env = load_run_setup(args.database_url, REDIS_URL=args.redis_url)
    from django.core.cache import cache

    started = time.monotonic()
    slugs = load(args.articles, args.comments)
    cache.clear()
    took = time.monotonic() - started
    print(f"loaded {args.articles} articles, {args.comments} comments in {took:.0f} s")

    with Server(server_env, workers=args.workers) as server:
        floor = hello_floor(server.port, connections=args.connections, seconds=args.floor_seconds)
        traffic = Traffic(server.port, slugs, args.connections, args.write_share)
        time.sleep(4)  # the comment forms must be a few seconds old
        rss = {}
        soak_started = time.monotonic()

        def tick(now: float) -> None:
            if "first minute" not in rss and now - soak_started >= min(60, args.seconds / 2):
                rss["first minute"] = server.rss_mb()

        report: Report = drive(
            server.port, traffic, connections=args.connections, seconds=args.seconds, on_tick=tick
        )
        rss["end"] = server.rss_mb()

    from comments.models import Comment
    from subscriptions.models import Subscriber

    stored_comments = Comment.objects.filter(name__startswith="Soak reader").count()
    stored_subscribers = Subscriber.objects.filter(email__startswith="soak-").count()
    growth = (rss["end"] - rss["first minute"]) / rss["first minute"] * 100
    print(
        f"\n{args.connections} connections, {args.workers} gunicorn workers, {args.seconds:.0f} s"
    )
    print(floor.line("hello view (framework floor)"))
    print(report.line("soak: pages + comments + sign-ups", floor.rate))
    print(f"statuses: {dict(sorted(report.statuses.items()))}   errors: {dict(report.errors)}")
    print(f"stored during the run: {stored_comments} comments, {stored_subscribers} subscribers")
    print(
        f"server RSS: {rss['first minute']:.1f} MB after the first minute, {rss['end']:.1f} MB at"
        f" the end ({growth:+.1f}%)"
    )
    missed = report.server_errors or sum(report.errors.values()) or growth > 20
    if args.check and missed:
        print("target missed: 5xx, connection errors or memory growth over 20%")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
