"""The shipped nginx site in front of gunicorn: a page (micro-cached for anonymous readers),
a static file and an uploaded file, through real nginx and gunicorn processes."""

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bench.loadgen import Server, free_port

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "oversight.conf"
HOST = "oversight.example.org"

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
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key)]
        + ["-out", str(certificate), "-days", "1", "-subj", f"/CN={HOST}"],
        check=True,
        capture_output=True,
    )
    server_env = {**env, "ALLOWED_HOSTS": f"127.0.0.1,{HOST}"}
    with Server(
        server_env, workers=1, settings_module="config.settings", ready_path="/healthz"
    ) as app:
        port = free_port()
        live = f"/etc/letsencrypt/live/{HOST}"
        text = (
            SITE.read_text()
            .replace("listen 80;", f"listen {free_port()};")
            .replace("listen [::]:80;", "")
            .replace("listen 443 ssl http2;", f"listen {port} ssl http2;")
            .replace("listen [::]:443 ssl http2;", "")
            .replace(f"{live}/fullchain.pem", str(certificate))
            .replace(f"{live}/privkey.pem", str(key))
            .replace("/var/cache/nginx/oversight", str(tmp_path / "cache"))
            .replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{app.port};")
            .replace("/srv/oversight/staticfiles/", f"{static_root}/")
            .replace("/srv/oversight/media/", f"{media_root}/")
        )
        (tmp_path / "site.conf").write_text(text)
        main = tmp_path / "nginx.conf"
        main.write_text(
            f"user root;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
            "events {}\n"
            f"http {{ access_log off; include /etc/nginx/mime.types;"
            f" client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;"
            f" include {tmp_path}/site.conf; }}\n"
        )
        nginx = subprocess.Popen(["nginx", "-c", str(main), "-g", "daemon off;"])
        try:
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.1)
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
