"""PostgreSQL stops under a running production server: pages answer a styled 503 with
Retry-After (no traceback), /healthz names the database, and everything recovers when the
database returns. Real processes: a throwaway PostgreSQL cluster on a spare port and
gunicorn with DEBUG off, both started here."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        PG_BIN is None or not shutil.which("runuser") or os.geteuid() != 0,
        reason="needs PostgreSQL's server binaries and root (to run them as postgres)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}")


def fetch(url: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Cluster:
    def __init__(self, directory: Path, port: int):
        self.directory, self.port = directory, port

    def pg(self, *args: str) -> None:
        command = ["runuser", "-u", "postgres", "--", str(PG_BIN / args[0]), *args[1:]]
        subprocess.run(command, check=True, capture_output=True)

    def create(self) -> None:
        self.directory.mkdir()
        shutil.chown(self.directory, "postgres")
        self.pg("initdb", "-D", str(self.directory / "data"), "-A", "trust", "-U", "postgres")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        data, log = str(self.directory / "data"), str(self.directory / "log")
        self.pg("pg_ctl", "-D", data, "-o", options, "-w", "-l", log, "start")

    def stop(self) -> None:
        self.pg("pg_ctl", "-D", str(self.directory / "data"), "-m", "fast", "-w", "stop")


@pytest.fixture
def site():
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        cluster = Cluster(Path(tmp) / "pg", free_port())
        cluster.create()
        cluster.start()
        web_port = free_port()
        env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
        env.update(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{cluster.port}/postgres",
            DEBUG="0",
            SECRET_KEY="fault-test-key-not-secret-but-long-enough-for-django-checks",
            SITE_URL=f"http://127.0.0.1:{web_port}",
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            SESSION_COOKIE_SECURE="0",
            CSRF_COOKIE_SECURE="0",
            SECURE_HSTS_SECONDS="0",
            STATIC_ROOT=str(Path(tmp) / "static"),
            TASKS_BACKEND="immediate",
        )
        manage = [sys.executable, "manage.py"]
        for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"]):
            subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{web_port}"]
            + ["--workers", "1", "--timeout", "30"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(web_port)
            yield f"http://127.0.0.1:{web_port}", cluster
        finally:
            server.terminate()
            server.wait(timeout=10)
            with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
                cluster.stop()


def test_pages_answer_503_while_the_database_is_down_and_recover_by_themselves(site):
    base, cluster = site
    status, _, html = fetch(f"{base}/")
    assert status == 200 and "<main" in html

    cluster.stop()
    for path in ["/", "/articles/", "/inspections/", "/subscribe/"]:
        status, headers, html = fetch(f"{base}{path}")
        assert status == 503, path
        assert headers.get("Retry-After") == "30", path
        assert "Back in a moment" in html and "Traceback" not in html, path
    status, _, body = fetch(f"{base}/healthz")
    assert status == 503 and "database unreachable" in body

    cluster.start()
    deadline = time.monotonic() + 20
    while (status := fetch(f"{base}/")[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert status == 200
    assert fetch(f"{base}/healthz")[0] == 200
