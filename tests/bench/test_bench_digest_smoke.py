import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.bench


def test_digest_benchmark_sends_every_message_exactly_once_on_a_small_list(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "tests/bench/bench_digest.py",
            "--subscribers=300",
            "--workers=2",
            "--timeout=60",
            f"--database-url=sqlite:///{tmp_path / 'bench.sqlite3'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "sent 300 of 300; the SMTP sink received 300" in result.stdout
    assert "messages/s" in result.stdout
    assert result.stdout.count("peak RSS") == 2
