"""The shipped nginx site (deploy/nginx/oversight.conf) run by Debian's nginx on spare ports,
in front of a gunicorn on this machine: for tests/scale/test_nginx.py and the benchmarks."""

import os
import socket
import subprocess
import time
from pathlib import Path

from tests.bench.loadgen import free_port

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "oversight.conf"
HOST = "oversight.example.org"


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and key for HOST, made in `folder`."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key)]
        + ["-out", str(cert), "-days", "1", "-subj", f"/CN={HOST}"],
        check=True,
        capture_output=True,
    )
    return cert, key


def start(
    folder: Path, *, app_port: int, static_root: Path, media_root: Path, extra: str = ""
) -> tuple[int, subprocess.Popen]:
    """nginx with the shipped site (TLS on a spare port, `extra` locations added to its
    server block), caches and temporary files in `folder`; its port and process."""
    cert, key = certificate(folder)
    port = free_port()
    live = f"/etc/letsencrypt/live/{HOST}"
    text = (
        SITE.read_text()
        .replace("listen 80;", f"listen {free_port()};")
        .replace("listen [::]:80;", "")
        .replace("listen 443 ssl http2;", f"listen {port} ssl http2;")
        .replace("listen [::]:443 ssl http2;", "")
        .replace(f"{live}/fullchain.pem", str(cert))
        .replace(f"{live}/privkey.pem", str(key))
        .replace("/var/cache/nginx/oversight", str(folder / "cache"))
        .replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{app_port};")
        .replace("/srv/oversight/staticfiles/", f"{static_root}/")
        .replace("/srv/oversight/media/", f"{media_root}/")
        .replace("    location / {", f"{extra}    location / {{", 1)
    )
    (folder / "site.conf").write_text(text)
    main = folder / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(
        f"{user}pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        "events {}\n"
        f"http {{ access_log off; include /etc/nginx/mime.types;"
        f" client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;"
        f" include {folder}/site.conf; }}\n"
    )
    process = subprocess.Popen(["nginx", "-c", str(main), "-g", "daemon off;"])
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {(folder / 'error.log').read_text()[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return port, process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("nginx did not start")
