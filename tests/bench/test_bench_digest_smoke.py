import re
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
        timeout=180,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "loaded 300 subscribers" in result.stdout
    queued = re.search(r"send_digests queued (\d+) deliveries \((\d+) daily digests", result.stdout)
    assert queued and int(queued[2]) > 0 and int(queued[1]) > int(queued[2])  # and alerts
    assert f"sent {queued[1]} of {queued[1]}; the SMTP sink received {queued[1]}" in result.stdout
    assert "messages/s" in result.stdout and "peak RSS" in result.stdout
    assert result.stdout.count("peak RSS") == 3  # send_digests and the two workers
