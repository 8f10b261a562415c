import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.bench


def test_search_benchmark_runs_end_to_end_on_a_small_archive(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "tests/bench/bench_search.py",
            "--articles=100",
            "--findings=1000",
            "--requests=3",
            f"--database-url=sqlite:///{tmp_path / 'bench.sqlite3'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "STATIC_ROOT": str(tmp_path / "static")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "index build:" in result.stdout and "a very common word" in result.stdout
