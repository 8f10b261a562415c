"""Read replicas (core/db.py): anonymous GETs read from a replica until they write; posts,
signed-in readers, commands and anything after a write use the primary."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import router
from django.http import HttpResponse
from django.test import RequestFactory

from blog.models import Article
from core.db import replica_reads_middleware

ROOT = Path(__file__).resolve().parents[2]


def route_reads_during(request, *, write_first: bool = False) -> list[str]:
    """Where reads go while the middleware serves `request` (the view only asks the router)."""
    seen = []

    def view(request):
        if write_first:
            router.db_for_write(Article)
        seen.append(router.db_for_read(Article))
        seen.append(router.db_for_read(Article))
        return HttpResponse()

    replica_reads_middleware(view)(request)
    return seen


@pytest.fixture
def replica_router(settings):
    settings.DATABASE_REPLICAS = ["replica_0"]
    from core.db import ReplicaRouter

    routing = ReplicaRouter()
    original = router.routers
    router.__dict__["routers"] = [routing]
    yield routing
    router.__dict__["routers"] = original


def test_anonymous_get_reads_from_the_replica(replica_router):
    assert route_reads_during(RequestFactory().get("/")) == ["replica_0", "replica_0"]


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(replica_router):
    assert route_reads_during(RequestFactory().get("/"), write_first=True) == ["default"] * 2


def test_a_form_post_reads_from_the_primary(replica_router):
    assert route_reads_during(RequestFactory().post("/comments/")) == ["default", "default"]


def test_a_signed_in_reader_reads_their_own_writes_from_the_primary(replica_router, settings):
    request = RequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    assert route_reads_during(request) == ["default", "default"]


def test_outside_a_request_everything_uses_the_primary(replica_router):
    assert replica_router.db_for_read(Article) == "default"
    assert replica_router.db_for_write(Article) == "default"


def test_migrations_run_only_on_the_primary(replica_router):
    assert replica_router.allow_migrate("default", "blog")
    assert not replica_router.allow_migrate("replica_0", "blog")


def test_without_replicas_reads_use_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    from core.db import ReplicaRouter

    assert ReplicaRouter().db_for_read(Article) == "default"


PROBE = r"""
import json, django
django.setup()
from django.db import connections
from django.test import Client
from django.utils import timezone
from django.contrib.auth import get_user_model
from blog.models import Article

author = get_user_model().objects.create_user("probe-author")
article = Article.objects.create(
    title="Replica probe", slug="replica-probe", body="<p>Read me.</p>", author=author,
    status=Article.Status.PUBLISHED, published_at=timezone.now(),
)
queries = {"default": 0, "replica_0": 0}

def counter(alias):
    def wrapper(execute, sql, params, many, context):
        queries[alias] += 1
        return execute(sql, params, many, context)
    return wrapper

client = Client()
results = {}
for label, call in [
    ("anonymous_get", lambda: client.get(article.get_absolute_url())),
    ("post", lambda: client.post("/subscribe/", {"email": "not-an-address"},
                                 HTTP_ORIGIN="https://oversight.example")),
]:
    for alias in queries:
        queries[alias] = 0
    with connections["default"].execute_wrapper(counter("default")), \
         connections["replica_0"].execute_wrapper(counter("replica_0")):
        status = call().status_code
    results[label] = {"status": status, **queries}
print(json.dumps(results))
"""


def test_a_replica_alias_pointing_at_the_primary_serves_public_reads(tmp_path):
    database = f"sqlite:///{tmp_path / 'primary.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DATABASE_REPLICA_URLS": database,
        "PAGE_CACHE": "0",
        "REDIS_URL": "",
        "DEBUG": "1",  # static files without a collectstatic manifest; routing is the same
        "SITE_URL": "https://oversight.example",
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    migrate = [sys.executable, "manage.py", "migrate", "--no-input", "-v0"]
    subprocess.run(migrate, cwd=ROOT, env=env, check=True, timeout=300)
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        timeout=120,
        capture_output=True,
        text=True,
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    results = json.loads(probe.stdout.strip().splitlines()[-1])

    page = results["anonymous_get"]
    assert page["status"] == 200
    assert page["replica_0"] > 0 and page["default"] == 0

    form = results["post"]
    assert form["status"] in {200, 400}  # the form answers with its error, from the primary
    assert form["replica_0"] == 0 and form["default"] > 0
