"""The serving configuration in deploy/ parses and says what the README says."""

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_the_gunicorn_config_is_python_with_the_expected_settings():
    tree = ast.parse((DEPLOY / "gunicorn.conf.py").read_text())
    names = {
        target.id for node in tree.body if isinstance(node, ast.Assign) for target in node.targets
    }
    assert {"bind", "workers", "timeout", "max_requests", "forwarded_allow_ips"} <= names


def test_every_systemd_unit_names_the_project_and_its_environment_file():
    units = list((DEPLOY / "systemd").glob("*.service"))
    assert {u.name for u in units} >= {
        "oversight-web.service",
        "oversight-worker@.service",
        "oversight-digests.service",
        "oversight-purge.service",
    }
    for unit in units:
        text = unit.read_text()
        assert "EnvironmentFile=/etc/oversight/env" in text, unit.name
        assert "NoNewPrivileges=yes" in text, unit.name
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        assert (DEPLOY / "systemd" / timer.name.replace(".timer", ".service")).exists()


def test_nginx_shares_only_public_pages_and_sandboxes_uploads():
    text = (DEPLOY / "nginx" / "oversight.conf").read_text()
    assert "proxy_no_cache $oversight_not_shared" in text
    assert "$cookie_sessionid" in text and "$cookie_comment_author" in text
    assert "Content-Security-Policy \"default-src 'none'; sandbox\"" in text
    assert "X-Content-Type-Options nosniff" in text


@pytest.mark.skipif(not shutil.which("nginx"), reason="needs nginx to check the syntax")
def test_the_nginx_site_passes_nginx_t(tmp_path):
    certificate = tmp_path / "cert.pem"
    key = tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key)]
        + ["-out", str(certificate), "-days", "1", "-subj", "/CN=oversight.example.org"],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "oversight.conf").read_text()
    site = site.replace(
        "/etc/letsencrypt/live/oversight.example.org/fullchain.pem", str(certificate)
    )
    site = site.replace("/etc/letsencrypt/live/oversight.example.org/privkey.pem", str(key))
    site = site.replace("/var/cache/nginx/oversight", str(tmp_path / "cache"))
    (tmp_path / "site.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{ access_log off; include /etc/nginx/mime.types; include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run(["nginx", "-t", "-c", str(main)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
