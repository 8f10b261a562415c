"""Progress of a long command: a bar with counts, rate and time left on a terminal, a plain
line every few seconds otherwise (logs, cron mail, CI)."""

import time
from typing import TextIO


class ProgressReporter:
    """Call with (stage, done, total) as work advances; `finish()` ends the bar's line."""

    def __init__(self, stream: TextIO, *, interval: float = 10.0, width: int = 30):
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.interval = 0.1 if self.tty else interval
        self.width = width
        self.stage = ""
        self.started = self.last = time.monotonic()
        self.open_line = False
        self.reported: tuple[str, int] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != self.stage:
            self.finish()
            if self.stage:  # the first stage started with the reporter; a later one now
                self.started = now
            self.stage, self.last = stage, 0.0
        finished = done >= total
        if finished and self.reported == (stage, done):
            return
        if now - self.last < self.interval and not finished:
            return
        self.last, self.reported = now, (stage, done)
        line = self.line(stage, done, total, now - self.started)
        if self.tty:
            self.stream.write("\r" + line + " " * 4)
            self.open_line = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def line(self, stage: str, done: int, total: int, elapsed: float) -> str:
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate and total >= done else 0.0
        unit = "B" if stage == "reading" else ""
        figures = f"{_number(done)}{unit}/{_number(total)}{unit}"
        if self.tty and total:
            filled = int(self.width * min(done, total) / total)
            bar = "█" * filled + "·" * (self.width - filled)
            return f"{stage:<10} {bar} {figures} {_number(rate)}{unit}/s, {left:.0f}s left"
        percent = f"{100 * done / total:.0f}%" if total else ""
        return f"{stage}: {figures} {percent} ({_number(rate)}{unit}/s, about {left:.0f}s left)"

    def finish(self) -> None:
        if self.open_line:
            self.stream.write("\n")
            self.stream.flush()
            self.open_line = False


def _number(value: float) -> str:
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}"
