"""Running Python in a process of its own, for what a test must not do to its own process
(settings read at import, process-wide switches)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_python(script: str, **environment: str) -> subprocess.CompletedProcess:
    """`script` run by this Python in the project, with the project's settings (and
    `environment` on top of this process's); its output as text."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **environment}
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
