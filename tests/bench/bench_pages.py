"""Page-speed benchmark: server time of the busiest public pages with a large archive.

Loads ARTICLES articles and TAGS tags (5 tags an article) into a fresh database, then times
`/`, an article, a tag page and `/feed/` through Django's test client (no network, so this is
server time: URL routing, queries, template rendering).

    .venv/bin/python tests/bench/bench_pages.py                    # SQLite file in /tmp
    .venv/bin/python tests/bench/bench_pages.py --database-url postgres://postgres@127.0.0.1/bench
    .venv/bin/python tests/bench/bench_pages.py --articles 500 --requests 20   # quick smoke
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.benchenv import bench_environment, fresh_database  # noqa: E402


def configure_environment(database_url: str) -> None:
    bench_environment(database_url)


def build_database(articles: int, tags: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone
    from taggit.models import Tag

    from blog.models import Article, AuthorProfile, Category, ResourcePack, TaggedArticle

    fresh_database()
    call_command("collectstatic", "--no-input", verbosity=0)

    users = [
        get_user_model().objects.create(
            username=f"author{n}", first_name="Author", last_name=str(n)
        )
        for n in range(5)
    ]
    for user in users:
        AuthorProfile.objects.create(user=user, display_name=f"Author {user.pk}", bio="Writes.")
    categories = [Category.objects.create(name=f"Category {n}", slug=f"c{n}") for n in range(8)]
    ResourcePack.objects.create(title="Featured pack", slug="featured", is_featured=True)
    tag_objects = Tag.objects.bulk_create(
        [Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(tags)]
    )
    paragraph = "<p>" + "Inspectors found that caseloads were too high in many teams. " * 8
    body = "<h2>Findings</h2>" + (paragraph + "</p>") * 12 + "<ul><li>One</li><li>Two</li></ul>"
    now = timezone.now()
    rng = random.Random(2016)
    batch = []
    for n in range(articles):
        batch.append(
            Article(
                title=f"Inspection analysis number {n}",
                slug=f"analysis-{n}",
                author=users[n % len(users)],
                category=categories[n % len(categories)],
                standfirst="What the inspectors found, and why it matters to the public.",
                body=body,
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(hours=n * 7 + 1),
                reading_time=4,
            )
        )
    Article.objects.bulk_create(batch, batch_size=1000)
    article_ids = list(Article.objects.values_list("pk", flat=True))
    links = []
    for article_id in article_ids:
        for tag in rng.sample(tag_objects, 5):
            links.append(TaggedArticle(content_object_id=article_id, tag_id=tag.pk))
    TaggedArticle.objects.bulk_create(links, batch_size=5000)


def measure(client, urls: list[str], label: str = "", warm_up: bool = True) -> dict:
    """Median and p95 server time of GETting `urls` in turn (after a warm-up pass)."""
    if warm_up:
        for url in urls[:5]:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
    timings = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return {
        "url": label or urls[0],
        "median_ms": statistics.median(timings),
        "p95_ms": timings[min(len(timings) - 1, int(len(timings) * 0.95))],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--tags", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "sqlite:////tmp/oversight-bench.sqlite3"),
    )
    parser.add_argument("--article-median-limit-ms", type=float, default=None)
    args = parser.parse_args(argv)

    configure_environment(args.database_url)
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from taggit.models import Tag

    from blog.models import Article

    started = time.perf_counter()
    build_database(args.articles, args.tags)
    print(
        f"loaded {args.articles} articles, {args.tags} tags on {connection.vendor} "
        f"in {time.perf_counter() - started:.1f}s"
    )
    middle = Article.objects.published()[args.articles // 2]
    busiest_tag = Tag.objects.order_by("slug").first()
    client = Client()
    results = [
        measure(client, [url] * args.requests)
        for url in ["/", middle.get_absolute_url(), f"/tags/{busiest_tag.slug}/", "/feed/"]
    ]
    # The same article again and again is the popular-article case (its navigation cached);
    # a different article on every request is the long tail, with nothing cached.
    spread = [
        a.get_absolute_url()
        for a in Article.objects.published()[:: max(1, args.articles // args.requests)]
    ]
    label = "(a different article each time)"
    results.append(measure(client, spread, label, warm_up=False))
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>10}")
    for row in results:
        print(f"{row['url']:40} {row['median_ms']:10.2f} {row['p95_ms']:10.2f}")
    limit = args.article_median_limit_ms
    if limit is not None and results[1]["median_ms"] > limit:
        print(f"FAIL: article median {results[1]['median_ms']:.2f} ms > {limit} ms")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
