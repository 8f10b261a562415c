import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(
        not shutil.which("wrk"), reason="needs wrk (Debian: apt-get install wrk) to drive gunicorn"
    ),
]


def test_numbers_harness_serves_the_demo_and_prints_its_table(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PAGE_CACHE"}
    }
    result = subprocess.run(
        [
            sys.executable,
            "tests/bench/bench_numbers.py",
            "--quick",
            "--seconds=1",
            "--redis-url=",
            "--pages=article,home",
            f"--sqlite-url=sqlite:///{tmp_path / 'numbers.sqlite3'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    table = result.stdout
    assert "| database | mode | page | conns | req/s | × hello |" in table
    for page in ("hello view", "article", "home"):
        row = next(line for line in table.splitlines() if f"| uncached | {page} | 8 |" in line)
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert float(cells[4].replace(",", "")) > 0, row  # req/s
        assert cells[-1] == "0", row  # no errors, no 5xx
    assert "worker RSS after the run" in table
    assert "uncached article ≥ 0.06× hello" in table
