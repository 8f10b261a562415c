"""The production-like environment every benchmark runs Django in (DEBUG off, plain http)."""

import os
from pathlib import Path


def bench_environment(database_url: str, **overrides: str) -> None:
    """Set the environment a benchmark's Django reads; call before django.setup()."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "SECRET_KEY": "benchmark-only-secret-key",
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "testserver",
            "SITE_URL": "https://bench.example",
            "LOG_LEVEL": "ERROR",
            "STATIC_ROOT": os.environ.get("STATIC_ROOT", "/tmp/oversight-bench-static"),
            **overrides,
        }
    )
    Path(os.environ["STATIC_ROOT"]).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns if absent


def fresh_database() -> None:
    """An empty, migrated database for a benchmark run (after django.setup())."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
    else:
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)
