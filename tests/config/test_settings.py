import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "SITE_URL": "https://oversight.example.org",
    "DATABASE_URL": "sqlite:////tmp/oversight-check-deploy.sqlite3",
}


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_a_malformed_site_url_is_refused_with_a_reason():
    result = run_manage("check", env={**PRODUCTION_ENV, "SITE_URL": "oversight.example.org"})
    assert result.returncode != 0
    assert "SITE_URL must be an absolute" in result.stderr


def test_media_storage_backend_and_options_come_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "MEDIA_STORAGE_BACKEND": "django.core.files.storage.InMemoryStorage",
        "MEDIA_STORAGE_OPTIONS": '{"base_url": "https://media.example.org/"}',
    }
    probe = (
        "from django.core.files.storage import storages; "
        "s = storages['default']; print(type(s).__name__, s.url('a.jpg'))"
    )
    shown = run_manage("shell", "-c", probe, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "InMemoryStorage https://media.example.org/a.jpg" in shown.stdout


def test_malformed_media_storage_options_are_refused_with_a_reason():
    result = run_manage("check", env={**PRODUCTION_ENV, "MEDIA_STORAGE_OPTIONS": "{bucket"})
    assert result.returncode != 0
    assert "MEDIA_STORAGE_OPTIONS is not valid JSON" in result.stderr
