"""The shipped nginx site in front of gunicorn: a page (micro-cached for anonymous readers),
a static file and an uploaded file, through real nginx and gunicorn processes."""

import http.client
import os
import shutil
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bench import nginx_site
from tests.bench.loadgen import Server

ROOT = Path(__file__).resolve().parents[2]
HOST = nginx_site.HOST

pytestmark = pytest.mark.skipif(
    not shutil.which("nginx") or os.geteuid() != 0,
    reason="needs Debian's nginx (and root, to read the test's private folders)",
)


def fetch(port: int, path: str) -> tuple[int, dict, bytes]:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=context)
    try:
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture
def site(tmp_path):
    static_root, media_root = tmp_path / "static", tmp_path / "media"
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "0",
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(media_root),
        "SITE_URL": f"https://{HOST}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_PROXY_SSL_HEADER": "1",
        "TWO_FACTOR_REQUIRED": "",
        "REDIS_URL": "",
    }
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
        )
    (media_root / "files").mkdir(parents=True)
    (media_root / "files" / "notes.html").write_bytes(b"<script>alert(1)</script>")
    server_env = {**env, "ALLOWED_HOSTS": f"127.0.0.1,{HOST}"}
    with Server(
        server_env, workers=1, settings_module="config.settings", ready_path="/healthz"
    ) as app:
        port, nginx = nginx_site.start(
            tmp_path, app_port=app.port, static_root=static_root, media_root=media_root
        )
        try:
            yield port, static_root
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def test_a_page_a_static_file_and_an_upload_through_nginx(site):
    port, static_root = site
    status, headers, body = fetch(port, "/")
    assert status == 200 and b"<main" in body
    assert "set-cookie" not in headers
    assert headers["x-cache"] in {"MISS", "EXPIRED", "BYPASS"}
    status, headers, _body = fetch(port, "/")
    assert status == 200 and headers["x-cache"] == "HIT"  # the micro-cache served it

    hashed = next(static_root.glob("css/site.*.css")).name
    status, headers, body = fetch(port, f"/static/css/{hashed}")
    assert status == 200 and b"{" in body
    assert "immutable" in headers["cache-control"]

    status, headers, _body = fetch(port, "/media/files/notes.html")
    assert status == 200
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert headers["content-disposition"] == "attachment"
