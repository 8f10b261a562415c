"""The progress of a long command: a bar on a terminal, plain lines in logs and cron mail."""

import io

import pytest

from core import progress as progress_module
from core.progress import ProgressReporter


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def clock(monkeypatch):
    """A monotonic clock the test moves by hand."""
    now = [1000.0]
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: now[0])

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


def test_on_a_terminal_one_line_is_redrawn_with_a_bar_counts_rate_and_time_left(clock):
    stream = Terminal()
    report = ProgressReporter(stream)

    clock(2)
    report("importing", 250, 800)
    clock(2)
    report("importing", 500, 800)
    report.finish()

    out = stream.getvalue()
    assert "\n" not in out.rstrip("\n")  # one line, redrawn with carriage returns
    assert out.count("\r") == 2
    last = out.rsplit("\r", 1)[1]
    assert "██████████████████············" in last  # 5/8 of a 30-wide bar
    assert "500/800" in last
    assert "125/s" in last  # 500 in 4 seconds since it began
    assert "2s left" in last  # 300 more at 125 a second
    assert out.endswith("\n")  # finish() ends the bar's line


def test_off_a_terminal_it_writes_a_plain_line_every_interval_and_the_last_one(clock):
    stream = io.StringIO()
    report = ProgressReporter(stream, interval=10)

    for done in range(1, 101):
        clock(0.5)
        report("importing", done, 100)  # 50 seconds in all
    report.finish()

    lines = stream.getvalue().splitlines()
    assert "\r" not in stream.getvalue() and "█" not in stream.getvalue()
    assert len(lines) == 6  # when the stage begins, every 10 seconds after (four), the end
    assert lines[0] == "importing: 1/100 1% (2/s, about 50s left)"
    assert lines[1] == "importing: 21/100 21% (2/s, about 40s left)"
    assert lines[-1] == "importing: 100/100 100% (2/s, about 0s left)"


def test_each_stage_starts_its_own_count_and_ends_the_bar_of_the_one_before(clock):
    stream = Terminal()
    report = ProgressReporter(stream)

    clock(1)
    report("reading", 2_500_000, 5_000_000)
    clock(1)
    report("importing", 10, 10)
    report("importing", 10, 10)  # the end is said once
    report.finish()

    out = stream.getvalue()
    reading, importing = out.strip("\n").split("\n")
    assert "2.5MB/5.0MB" in reading  # the first pass counts bytes
    assert importing.count("importing") == 1
    assert "10/10" in importing


def test_nothing_to_count_gives_no_division_by_zero(clock):
    stream = io.StringIO()
    report = ProgressReporter(stream)

    report("redirects", 0, 0)

    assert stream.getvalue() == "redirects: 0/0  (0/s, about 0s left)\n"
