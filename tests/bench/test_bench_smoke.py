import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.bench


def test_page_benchmark_runs_end_to_end_on_a_small_archive(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "tests/bench/bench_pages.py",
            "--articles=300",
            "--tags=60",
            "--requests=10",
            f"--database-url=sqlite:///{tmp_path / 'bench.sqlite3'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "STATIC_ROOT": str(tmp_path / "static")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "/feed/" in result.stdout
    assert "median ms" in result.stdout
