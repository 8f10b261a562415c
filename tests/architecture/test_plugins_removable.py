"""Removing a plug-in from INSTALLED_APPS leaves a working site (no comment sections, etc.).

Each configuration runs tests/without_plugins/ in a fresh process, since installed apps,
URLs and template slots are fixed when Django starts.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "removed",
    ["comments", "comments,subscriptions,sharing,search,privacy"],
    ids=["comments", "all"],
)
def test_reading_pages_work_with_plugins_uninstalled(removed):
    # The inner run needs neither PostgreSQL nor the browser, whatever the outer run requires.
    env = {key: value for key, value in os.environ.items() if not key.startswith("REQUIRE_")}
    env = {
        **env,
        "OVERSIGHT_REMOVE_APPS": removed,
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--ds=tests.without_plugins.settings",
            "-m",
            "not browser",
            "tests/without_plugins/",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "skipped" not in result.stdout, result.stdout[-2000:]
