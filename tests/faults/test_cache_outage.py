"""Redis stops while the site runs: reading goes on, limited forms refuse politely, and
everything recovers when Redis returns. A real redis-server process, started here."""

import logging
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches

import core.cache
from comments.forms import form_token
from comments.views import post_url
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisProcess:
    def __init__(self, port: int):
        self.port = port
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis(settings, monkeypatch):
    server = RedisProcess(free_port())
    server.start()
    monkeypatch.setattr(core.cache, "COOLDOWN", 0.2)
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "KEY_PREFIX": "fault-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield server
    if server.process.poll() is None:
        server.stop()


def subscribe(client, email="reader@example.net"):
    return client.post("/subscribe/", {"email": email, "frequency": "daily"})


def test_reading_goes_on_and_limits_fail_safe_while_redis_is_down(client, redis, caplog):
    article = ArticleFactory(published=True, title="Caseloads in the north")
    assert client.get("/").status_code == 200
    assert subscribe(client).status_code == 200
    assert client.get("/healthz").json()["cache"] == "ok"

    redis.stop()
    caplog.set_level(logging.ERROR, logger="core.cache")
    for url in ["/", "/articles/", article.get_absolute_url(), "/subscribe/", "/feed/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Caseloads in the north" in client.get("/").content.decode()

    refused = subscribe(client, "another@example.net")
    assert refused.status_code == 503
    assert "Please try again in a minute" in refused.content.decode()
    assert refused["Retry-After"] == "60"

    comment = client.post(
        post_url(article),
        {
            "name": "Ada",
            "email": "ada@example.net",
            "body": "Too many cases.",
            "started": form_token(article, when=time.time() - 60),
            "homepage": "",
        },
    )
    assert comment.status_code == 503
    assert "Please try again in a minute" in comment.content.decode()

    login = client.post("/admin/login/", {"username": "someone", "password": "wrong"})
    assert "Logging in is paused for a minute" in login.content.decode()

    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded" and health.json()["cache"] == "unreachable"

    outage_lines = [r for r in caplog.records if "Cache unreachable" in r.getMessage()]
    assert len(outage_lines) == 1, "the outage is logged once, not per request"

    redis.start()
    time.sleep(0.3)  # past the cooldown
    assert client.get("/healthz").json()["status"] == "ok"
    assert subscribe(client, "third@example.net").status_code == 200
    caches["default"].set("probe", "back", 30)
    assert caches["default"].get("probe") == "back"
