"""The WSGI entry point gunicorn loads (config.wsgi)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wsgi_application_moves_what_it_loaded_out_of_the_collectors_way():
    # In a process of its own: freezing is process-wide.
    program = (
        "import gc; import config.wsgi as wsgi; "
        "print(callable(wsgi.application), gc.get_freeze_count() > 10000)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", program], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]
