import os

import pytest
from django.core.cache import cache
from django.db import connection


def pytest_collection_modifyitems(config, items):
    """Skip PostgreSQL-only and browser tests where they cannot run, unless CI requires them."""
    if os.environ.get("REQUIRE_POSTGRES") == "1" and connection.vendor != "postgresql":
        pytest.exit("REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL", 2)
    skip_postgres = connection.vendor != "postgresql"
    skip_browser = os.environ.get("REQUIRE_BROWSER") != "1" and not os.path.exists(
        os.environ.get("CHROMIUM", "/usr/bin/chromium")
    )
    for item in items:
        if "postgres" in item.keywords and skip_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "browser" in item.keywords and skip_browser:
            item.add_marker(pytest.mark.skip(reason="needs Chromium at /usr/bin/chromium"))


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The production storage needs `collectstatic` first; tests render templates without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
