"""Search benchmark: index build time and size, and server time of ten kinds of query.

Loads ARTICLES articles and FINDINGS findings (on FINDINGS / 100 inspections) written from a
vocabulary with a long tail, builds the index with `rebuild_search_index`, then times
`/search/` for each query type through Django's test client (server time: routing, queries,
template rendering; no network).

    .venv/bin/python tests/bench/bench_search.py                    # SQLite file in /tmp
    .venv/bin/python tests/bench/bench_search.py --database-url postgres://postgres@127.0.0.1/bench
    .venv/bin/python tests/bench/bench_search.py --articles 300 --findings 3000 --requests 5
    .venv/bin/python tests/bench/bench_search.py --reuse    # time the queries on the last build
"""

import argparse
import datetime
import os
import random
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.bench_pages import measure  # noqa: E402
from tests.bench.benchenv import bench_environment, fresh_database  # noqa: E402

COMMON_TEXT = """
    probation inspection service staff work people case cases management risk quality court
    public protection supervision report community offender offenders assessment planning
    delivery leadership partnership services sentence plan officers area team
"""
COMMON = COMMON_TEXT.split()
DOMAIN_TEXT = """
    caseloads caseload safeguarding domestic abuse victims housing accommodation employment
    training education substance misuse mental health women youth prison release
    resettlement licence recall breach enforcement interventions programmes unpaid reviews
    oversight contract contracts provider providers governance budget workforce recruitment
    retention vacancies agency sickness morale training caseworkers london merseyside durham
    cumbria lancashire kent wales yorkshire midlands northumbria
"""
DOMAIN = DOMAIN_TEXT.split()
# A long tail: the n-th domain word (in a fixed shuffled order) is 1/n as frequent as the first.
DOMAIN_WEIGHTS = [
    1 / rank for rank in random.Random(7).sample(range(1, len(DOMAIN) + 1), len(DOMAIN))
]
RARE = [f"zeolith{n}" for n in range(50)]  # each in a handful of documents
AUTHORS = ["Priya Raman", "Tom Hughes", "Ada Jones", "Sam Okafor", "Lee Wong"]
RATINGS = ["Outstanding", "Good", "Requires improvement", "Inadequate"]


def sentence(rng: random.Random, words: int) -> str:
    picked = []
    for _ in range(words):
        roll = rng.random()
        if roll < 0.55:
            picked.append(rng.choice(COMMON))
        elif roll < 0.998:
            picked.append(rng.choices(DOMAIN, DOMAIN_WEIGHTS)[0])
        else:
            picked.append(rng.choice(RARE))
    return " ".join(picked).capitalize() + "."


def build_database(articles: int, findings: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone
    from taggit.models import Tag

    from blog.models import Article, AuthorProfile, Category, TaggedArticle
    from inspections.models import (
        Finding,
        InspectedOrganisation,
        Inspection,
        Inspectorate,
        Organisation,
        RatingLevel,
        RatingScale,
        Theme,
    )

    fresh_database()
    call_command("collectstatic", "--no-input", verbosity=0)
    rng = random.Random(2016)
    now = timezone.now()

    users = []
    for n, name in enumerate(AUTHORS):
        first, last = name.split()
        user = get_user_model().objects.create(username=f"a{n}", first_name=first, last_name=last)
        AuthorProfile.objects.create(user=user, display_name=name)
        users.append(user)
    categories = [Category.objects.create(name=f"Category {n}", slug=f"c{n}") for n in range(8)]
    tags = Tag.objects.bulk_create([Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(300)])
    Article.objects.bulk_create(
        (
            Article(
                title=sentence(rng, 7)[:-1],
                slug=f"analysis-{n}",
                author=users[n % len(users)],
                category=categories[n % len(categories)],
                standfirst=sentence(rng, 25),
                body="".join(f"<p>{sentence(rng, 20)}</p>" for _ in range(20)),
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(hours=n * 3 + 1),
            )
            for n in range(articles)
        ),
        batch_size=1000,
    )
    TaggedArticle.objects.bulk_create(
        (
            TaggedArticle(content_object_id=pk, tag_id=tag.pk)
            for pk in Article.objects.values_list("pk", flat=True)
            for tag in rng.sample(tags, 3)
        ),
        batch_size=5000,
    )

    inspectorates = [
        Inspectorate.objects.create(
            name=f"HM Inspectorate {n}", slug=f"hmi-{n}", short_name=f"HMI {n}"
        )
        for n in range(3)
    ]
    scale = RatingScale.objects.create(inspectorate=inspectorates[0], name="Four", slug="four")
    levels = [
        RatingLevel.objects.create(scale=scale, label=label, slug=f"r{rank}", rank=rank)
        for rank, label in enumerate(reversed(RATINGS), start=1)
    ]
    places = [word.capitalize() for word in DOMAIN[-10:]]
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"{places[n % 10]} service {n}", slug=f"org-{n}", area=places[n % 10])
        for n in range(100)
    )
    themes = [Theme.objects.create(code=f"t{n}", name=f"Theme {n}") for n in range(10)]
    inspections = max(1, findings // 100)
    Inspection.objects.bulk_create(
        (
            Inspection(
                title=f"An inspection of {organisations[n % 100].name}",
                slug=f"inspection-{n}",
                inspectorate=inspectorates[n % 3],
                area=organisations[n % 100].area,
                published_on=(now - datetime.timedelta(days=n)).date(),
                status=Inspection.Status.PUBLISHED,
                live_at=datetime.datetime(2014, 1, 1, tzinfo=datetime.UTC),
                summary=sentence(rng, 40),
            )
            for n in range(inspections)
        ),
        batch_size=1000,
    )
    inspection_ids = list(Inspection.objects.values_list("pk", flat=True))
    InspectedOrganisation.objects.bulk_create(
        (
            InspectedOrganisation(
                inspection_id=pk, organisation=organisations[n % 100], overall_rating=levels[n % 4]
            )
            for n, pk in enumerate(inspection_ids)
        ),
        batch_size=1000,
    )
    per_inspection = findings // len(inspection_ids)
    Finding.objects.bulk_create(
        (
            Finding(
                inspection_id=pk,
                organisation=organisations[n % 100],
                theme=themes[k % 10],
                polarity=rng.choice(["strength", "concern", "mixed"]),
                text=sentence(rng, 30),
                order=k,
            )
            for n, pk in enumerate(inspection_ids)
            for k in range(per_inspection)
        ),
        batch_size=5000,
    )


def index_size() -> list[tuple[str, int]]:
    """Bytes of the search tables and their indexes (the documents hold a copy of the text)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT CASE WHEN name LIKE 'search_fts%' THEN 'FTS5 index' ELSE 'documents, "
                "facets, vocabulary (tables and b-tree indexes)' END, SUM(pgsize) FROM dbstat "
                "WHERE name LIKE 'search_%' OR name LIKE 'searchdocument%' "
                "OR name LIKE 'searchfacet%' OR name LIKE 'searchterm%' "
                "OR name LIKE 'sqlite_autoindex_search_%' GROUP BY 1"
            )
        else:
            gin = ("searchdocument_vector", "searchdocument_pairs", "searchdocument_title_tokens")
            cursor.execute(
                "SELECT 'GIN index on the vector', pg_relation_size('searchdocument_vector') "
                "UNION ALL SELECT 'GIN index of adjacent word pairs', "
                "pg_relation_size('searchdocument_pairs') "
                "UNION ALL SELECT 'GIN index of titles and filter tokens', "
                "pg_relation_size('searchdocument_title_tokens') "
                "UNION ALL SELECT 'documents, facets, vocabulary (with vectors, TOAST, other "
                "indexes)', SUM(pg_total_relation_size(c.oid)) - "
                "(SELECT SUM(pg_relation_size(i)) FROM unnest(%s::regclass[]) AS i) "
                "FROM pg_class c WHERE c.relname IN ('search_searchdocument', "
                "'search_searchfacet', 'search_searchterm')",
                [list(gin)],
            )
        return [(label, int(size)) for label, size in cursor.fetchall()]


def queries() -> list[tuple[str, dict]]:
    from inspections.models import Inspectorate

    inspectorate = Inspectorate.objects.order_by("slug").first()
    return [
        ("one word", {"q": "caseloads"}),
        ("two words", {"q": "safeguarding housing"}),
        ("a phrase", {"q": '"domestic abuse"'}),
        ("an exclusion", {"q": "recall -london"}),
        ("a typo", {"q": "safegarding"}),
        ("a facet filter", {"q": "victims", "inspectorate": inspectorate.slug}),
        ("a rare word", {"q": "zeolith7"}),
        ("a very common word", {"q": "probation"}),
        ("an author name", {"q": "Priya Raman"}),
        ("a rating", {"q": '"requires improvement"'}),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--findings", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "sqlite:////tmp/oversight-bench-search.sqlite3"),
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the queries on the database a previous run built (no load, no index build)",
    )
    parser.add_argument("--only", default="", help="time only the queries whose label has this")
    args = parser.parse_args(argv)

    bench_environment(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from search.models import SearchDocument

    if not args.reuse:
        started = time.perf_counter()
        build_database(args.articles, args.findings)
        print(
            f"loaded {args.articles} articles and {args.findings} findings on "
            f"{connection.vendor} in {time.perf_counter() - started:.1f} s"
        )
        started = time.perf_counter()
        call_command("rebuild_search_index")  # ends with ANALYZE of the search tables
        build_seconds = time.perf_counter() - started
        print(f"index build: {build_seconds:.1f} s for {SearchDocument.objects.count()} documents")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # the content tables too, loaded by bulk inserts
    for label, size in index_size():
        print(f"index size: {label}: {size / 1_048_576:.1f} MiB")

    client = Client()
    rows = []
    for label, params in queries():
        if args.only not in label:
            continue
        url = f"/search/?{urlencode(params)}"
        rows.append({**measure(client, [url] * args.requests), "label": label, "url": url})
        # Past the counting cap the page says "1,000+ results".
        found = re.search(r"([\d,]+\+?) results? for", client.get(url).content.decode())
        rows[-1]["results"] = found.group(1).replace(",", "") if found else "0"
    print(f"{'query':22} {'address':52} {'results':>8} {'median ms':>10} {'p95 ms':>8}")
    for row in rows:
        print(
            f"{row['label']:22} {row['url']:52} {row['results']:>8} "
            f"{row['median_ms']:10.1f} {row['p95_ms']:8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
