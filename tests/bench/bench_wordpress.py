"""WordPress import benchmark: a generated export of POSTS posts, COMMENTS comments and TAGS
tags, imported into a fresh database by `manage.py import_wordpress`.

Writes the export (WXR 1.2, streamed to a file), migrates a fresh database, then runs the
import in a child process that reports its own wall time and peak memory (ru_maxrss: the
process's high-water mark, Django and the parser included), and runs it a second time
(every item unchanged). Targets: under 2 minutes and under 300 MB.

    .venv/bin/python tests/bench/bench_wordpress.py                   # SQLite file in /tmp
    .venv/bin/python tests/bench/bench_wordpress.py --database-url postgres://postgres@127.0.0.1/bench
    .venv/bin/python tests/bench/bench_wordpress.py --posts 200 --comments 2000 --tags 50
"""

import argparse
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.benchenv import bench_environment  # noqa: E402

TARGET_SECONDS = 120
TARGET_MEMORY_MB = 300

HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Benchmark blog</title><link>https://bench-old.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench-old.example</wp:base_site_url>
<wp:base_blog_url>https://bench-old.example</wp:base_blog_url>
"""

PARAGRAPH = (
    "The inspectors found that caseloads were too high and that officers had too little "
    "time to see the people they supervise. Risk assessments were late in {n} cases."
)


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write_export(path: Path, posts: int, comments: int, tags: int, seed: int = 1) -> None:
    """Write a WXR 1.2 export with `posts` posts sharing `comments` comments and `tags` tags."""
    rng = random.Random(seed)
    start = datetime.datetime(2008, 1, 1, 9, 0)
    per_post, extra = divmod(comments, posts)
    comment_id = 1
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(1, 6):
            out.write(
                f"<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login>author{n}"
                f"</wp:author_login><wp:author_email>author{n}@bench-old.example"
                f"</wp:author_email><wp:author_display_name>Author {n}"
                "</wp:author_display_name></wp:author>\n"
            )
        for n in range(1, 21):
            out.write(
                f"<wp:category><wp:term_id>{n}</wp:term_id><wp:category_nicename>topic-{n}"
                f"</wp:category_nicename><wp:cat_name>Topic {n}</wp:cat_name></wp:category>\n"
            )
        for n in range(1, tags + 1):
            out.write(
                f"<wp:tag><wp:term_id>{1000 + n}</wp:term_id><wp:tag_slug>tag-{n}</wp:tag_slug>"
                f"<wp:tag_name>Tag {n}</wp:tag_name></wp:tag>\n"
            )
        for post in range(1, posts + 1):
            date = start + datetime.timedelta(hours=post * 11)
            slug = f"post-number-{post}"
            body = "\n\n".join(PARAGRAPH.format(n=rng.randint(2, 90)) for _ in range(6))
            if post > 1:
                link = f"https://bench-old.example/?p={post - 1}"
                body += f'\n\nSee <a href="{link}">the previous post</a>.'
            terms = f'<category domain="category" nicename="topic-{post % 20 + 1}">Topic</category>'
            for tag in rng.sample(range(1, tags + 1), min(3, tags)):
                terms += f'<category domain="post_tag" nicename="tag-{tag}">Tag {tag}</category>'
            thread = []
            first_in_post = comment_id
            for c in range(per_post + (1 if post <= extra else 0)):
                parent = rng.choice([0, 0, first_in_post + c - 1]) if c else 0
                when = date + datetime.timedelta(minutes=30 * (c + 1))
                thread.append(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>Reader {comment_id % 500}</wp:comment_author>"
                    f"<wp:comment_author_email>reader{comment_id % 500}@example.org"
                    "</wp:comment_author_email><wp:comment_author_IP>192.0.2.7"
                    f"</wp:comment_author_IP><wp:comment_date_gmt>{when:%Y-%m-%d %H:%M:%S}"
                    "</wp:comment_date_gmt><wp:comment_content>"
                    + cdata(f"A thoughtful comment, number {comment_id}.")
                    + "</wp:comment_content><wp:comment_approved>"
                    + rng.choice(["1", "1", "1", "0", "spam"])
                    + f"</wp:comment_approved><wp:comment_parent>{parent}</wp:comment_parent>"
                    "</wp:comment>\n"
                )
                comment_id += 1
            out.write(
                f"<item><title>{escape(f'Post number {post}')}</title>"
                f"<link>https://bench-old.example/{date:%Y/%m/%d}/{slug}/</link>"
                f"<dc:creator>author{post % 5 + 1}</dc:creator>"
                f'<guid isPermaLink="false">https://bench-old.example/?p={post}</guid>'
                f"<content:encoded>{cdata(body)}</content:encoded>"
                f"<excerpt:encoded>{cdata('A short summary.')}</excerpt:encoded>"
                f"<wp:post_id>{post}</wp:post_id>"
                f"<wp:post_date>{date:%Y-%m-%d %H:%M:%S}</wp:post_date>"
                f"<wp:post_date_gmt>{date:%Y-%m-%d %H:%M:%S}</wp:post_date_gmt>"
                "<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>"
                "<wp:post_type>post</wp:post_type>"
                f"{terms}{''.join(thread)}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


def child(export: str) -> None:
    """Run the import in this process and print its figures as JSON on the last line."""
    import django
    from django.core.management import call_command

    django.setup()
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        call_command("import_wordpress", export, verbosity=0, stdout=devnull, stderr=devnull)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb}))


def counts() -> dict[str, int]:
    import django

    django.setup()
    from django.contrib.redirects.models import Redirect
    from taggit.models import Tag

    from blog.models import Article
    from comments.models import Comment

    return {
        "articles": Article.objects.count(),
        "comments": Comment.objects.count(),
        "tags": Tag.objects.count(),
        "redirects": Redirect.objects.count(),
    }


def run_child(args: list[str]) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if result.returncode != 0:
        sys.exit(f"child failed:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--tags", type=int, default=2_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--counts", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="oversight-bench-wp-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    bench_environment(database_url, MEDIA_ROOT=str(workdir / "media"), TASKS_BACKEND="database")
    if args.child:
        child(args.child)
        return
    if args.counts:
        print(json.dumps(counts()))
        return

    export = workdir / "export.xml"
    started = time.perf_counter()
    write_export(export, args.posts, args.comments, args.tags)
    size_mb = export.stat().st_size / 1024 / 1024
    print(f"export: {args.posts:,} posts, {args.comments:,} comments, {args.tags:,} tags, "
          f"{size_mb:.1f} MB, written in {time.perf_counter() - started:.1f}s")  # fmt: skip
    env = {**os.environ}
    manage = [sys.executable, "manage.py"]
    if database_url.startswith("postgres"):
        subprocess.run([*manage, "flush", "--no-input"], cwd=ROOT, env=env, check=False)
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    passthrough = [f"--database-url={database_url}"]
    for label in ("first import", "second import (nothing changes)"):
        figures = run_child([*passthrough, f"--child={export}"])
        verdict = (
            "within target"
            if figures["seconds"] < TARGET_SECONDS and figures["peak_mb"] < TARGET_MEMORY_MB
            else "OVER TARGET"
        )
        print(f"{vendor} {label}: {figures['seconds']:.1f}s wall, "
              f"ru_maxrss {figures['peak_mb']:.0f} MB ({verdict}: "
              f"{TARGET_SECONDS}s, {TARGET_MEMORY_MB} MB)")  # fmt: skip
    print("in the database:", run_child([*passthrough, "--counts"]))


if __name__ == "__main__":
    main()
