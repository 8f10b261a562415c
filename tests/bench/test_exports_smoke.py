import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.bench


def test_export_benchmark_streams_every_finding_end_to_end(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "tests/bench/bench_exports.py",
            "--inspections=40",
            "--findings=2000",
            "--scores=400",
            f"--database-url=sqlite:///{tmp_path / 'bench.sqlite3'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "STATIC_ROOT": str(tmp_path / "static")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "/inspections/data/findings.csv         2,000" in result.stdout
    assert "rows/s" in result.stdout and "ru_maxrss" in result.stdout
    assert not result.stderr, result.stderr
