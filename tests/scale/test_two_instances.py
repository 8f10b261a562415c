"""Two app servers on different ports sharing PostgreSQL and Redis, as behind a load
balancer: a change is seen fresh through both (page cache included), and rate limits hold
across both. Real gunicorn processes started here."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

from blog.models import Article
from tests.bench.loadgen import Server, get
from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (shared cache)"),
]


def post(port: int, path: str, data: dict) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": settings.SITE_URL,  # what a browser sends with a form of this site
        }
        connection.request("POST", path, body=urlencode(data), headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@pytest.fixture
def two_servers():
    from django.db import connection

    database = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
        "REDIS_URL": os.environ["REDIS_URL"],
        "PAGE_CACHE": "1",
        "DEBUG": "0",
        "TASKS_BACKEND": "database",
        "TWO_FACTOR_REQUIRED": "",
        "STATIC_ROOT": "/tmp/oversight-two-instances-static",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
    )
    kwargs = {"workers": 1, "settings_module": "config.settings", "ready_path": "/healthz"}
    with Server(env, **kwargs) as one, Server(env, **kwargs) as two:
        yield one.port, two.port


def page(port: int, path: str) -> str:
    status, body = get(port, path)
    assert status == 200, (port, path, status)
    return body.decode()


def test_a_change_is_seen_fresh_through_both_servers(two_servers):
    one, two = two_servers
    article = ArticleFactory(published=True, title="First title", slug="shared")
    for port in (one, two):
        assert "First title" in page(port, "/")  # now cached in the shared cache
        assert "First title" in page(port, "/articles/shared/")

    article.title = "Corrected title"
    article.save()
    for port in (two, one):
        assert "Corrected title" in page(port, "/")
        assert "Corrected title" in page(port, "/articles/shared/")

    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    article.refresh_from_db()
    article.save()  # unpublishing through a save, as the admin does
    for port in (one, two):
        assert "Corrected title" not in page(port, "/")
        assert get(port, "/articles/shared/")[0] == 404


def test_rate_limits_hold_across_both_servers(two_servers):
    one, two = two_servers
    limit = settings.SUBSCRIPTIONS_RATE_LIMIT_IP
    answers = [
        post((one, two)[n % 2], "/subscribe/", {"email": f"r{n}@example.net", "frequency": "daily"})
        for n in range(limit + 1)
    ]
    assert answers[:limit] == [200] * limit
    assert answers[limit] == 429  # counted once, whichever server took each request
