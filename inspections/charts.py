"""Chart geometry: plain data in, SVG coordinates out. No ORM, no templates, no JavaScript.

Templates draw the shapes with presentation attributes only (no `style`), so the charts pass
the Content-Security-Policy. Colour is never the only signal: every bar carries its series
label and its value as text, and the page repeats the data as a table.
"""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

# Each passes 4.5:1 against white, so white numbers inside the bars and the bars against
# the page both meet WCAG 2.2 AA (tests/inspections/test_charts.py checks it).
PALETTE = ("#12355b", "#a4421a", "#0b5f73", "#5b3a8c", "#6b4e00", "#8a1c4a")
INK = "#1b1f24"
INK_SOFT = "#4a5561"
GRID = "#8a96a3"
PAPER = "#ffffff"

WIDTH = 640
TICKS = (0, 25, 50, 75, 100)
FONT = 13
CHAR_WIDTH = FONT * 0.56  # a generous average glyph width for system sans-serif fonts


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"
    fill: str = INK


@dataclass(frozen=True)
class Datum:
    value: Decimal | None
    approximate: bool = False


@dataclass(frozen=True)
class Group:
    """One measure: its label and a value per series (None when there is no figure)."""

    label: str
    values: tuple[Datum, ...]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    series: int
    value: Text
    value_inside: bool
    series_label: tuple[Text, ...]
    missing: bool = False


@dataclass(frozen=True)
class Gridline:
    x: float
    y1: float
    y2: float
    dashed: bool


@dataclass(frozen=True)
class BarGroup:
    label: tuple[Text, ...]
    bars: tuple[Bar, ...]
    gridlines: tuple[Gridline, ...]


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float
    size: float
    colour: str
    label: Text


@dataclass(frozen=True)
class BarChart:
    width: float
    height: float
    title: str
    description: str
    legend: tuple[LegendItem, ...]
    groups: tuple[BarGroup, ...]
    axis_labels: tuple[Text, ...]
    plot_x: float
    plot_width: float


def wrap(text: str, width_px: float, *, max_lines: int | None = None) -> list[str]:
    """Split `text` into lines that fit `width_px` at the chart font (SVG text cannot wrap)."""
    chars = max(8, int(width_px / CHAR_WIDTH))
    lines = textwrap.wrap(text, chars) or [""]
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: chars - 1].rstrip() + "…"
    return lines


def format_percent(value: Decimal, *, approximate: bool = False) -> str:
    """48.00 → "48%", 33.50 → "33.5%"; approximate figures get a leading "≈"."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{'≈' if approximate else ''}{text}%"


def bar_chart(
    *,
    series: Sequence[str],
    groups: Sequence[Group],
    title: str,
    description: str,
    missing_label: str = "—",
) -> BarChart | None:
    """Horizontal bars, 0–100%, one group per measure and one bar per series within it.

    Bar lengths are proportional to the values. Returns None when no value is present.
    """
    if not any(d.value is not None for group in groups for d in group.values):
        return None

    label_width, plot_x, plot_width = 168.0, 176.0, 400.0
    bar_height, bar_gap, group_gap, line_height, small_line = 20.0, 6.0, 18.0, 17.0, 14.0

    ticks = [plot_x + plot_width * tick / 100 for tick in TICKS]
    legend, y = _legend(series, top=8.0)
    y += 12.0
    chart_groups = []
    for group in groups:
        label = []
        for line in wrap(group.label, WIDTH - 8):
            y += line_height
            label.append(Text(0, y, line))
        y += 8.0
        bars_top = y
        bars = []
        for index, (name, datum) in enumerate(zip(series, group.values, strict=True)):
            name_lines = wrap(name, label_width - 8, max_lines=2)
            row_height = max(bar_height, len(name_lines) * small_line + 4)
            centre = y + row_height / 2
            first_baseline = centre - (len(name_lines) - 1) * small_line / 2 + 4.5
            series_label = tuple(
                Text(label_width, first_baseline + n * small_line, line, "end", INK_SOFT)
                for n, line in enumerate(name_lines)
            )
            bar_y = centre - bar_height / 2
            colour = PALETTE[index % len(PALETTE)]
            if datum.value is None:
                value = Text(plot_x + 6, centre + 4.5, missing_label, fill=INK_SOFT)
                bar = Bar(plot_x, bar_y, 0, bar_height, colour, index, value, False, series_label)
                bars.append(replace(bar, missing=True))
            else:
                clamped = min(max(datum.value, Decimal(0)), Decimal(100))
                width = round(float(clamped) / 100 * plot_width, 1)
                text = format_percent(datum.value, approximate=datum.approximate)
                inside = width >= len(text) * CHAR_WIDTH + 12
                value = (
                    Text(plot_x + width - 6, centre + 4.5, text, "end", PAPER)
                    if inside
                    else Text(plot_x + width + 6, centre + 4.5, text)
                )
                bars.append(
                    Bar(
                        plot_x, bar_y, width, bar_height, colour, index, value, inside, series_label
                    )
                )
            y += row_height + bar_gap
        gridlines = tuple(
            Gridline(x, bars_top - 3, y - bar_gap + 3, dashed=n > 0) for n, x in enumerate(ticks)
        )
        chart_groups.append(BarGroup(tuple(label), tuple(bars), gridlines))
        y += group_gap - bar_gap
    plot_bottom = y
    axis_labels = tuple(
        Text(x, plot_bottom + 8, f"{tick}%", "middle", INK_SOFT)
        for tick, x in zip(TICKS, ticks, strict=True)
    )
    return BarChart(
        width=WIDTH,
        height=plot_bottom + 18,
        title=title,
        description=description,
        legend=legend,
        groups=tuple(chart_groups),
        axis_labels=axis_labels,
        plot_x=plot_x,
        plot_width=plot_width,
    )


def _legend(series: Sequence[str], *, top: float) -> tuple[tuple[LegendItem, ...], float]:
    items, x, y, size = [], 0.0, top, 14.0
    for index, name in enumerate(series):
        text = wrap(name, WIDTH / 2, max_lines=1)[0]
        item_width = size + 6 + len(text) * CHAR_WIDTH + 20
        if x and x + item_width > WIDTH:
            x, y = 0.0, y + size + 8
        colour = PALETTE[index % len(PALETTE)]
        items.append(LegendItem(x, y, size, colour, Text(x + size + 6, y + size - 2, text)))
        x += item_width
    return tuple(items), y + size


@dataclass(frozen=True)
class Event:
    """A dated point on a timeline: an inspection, with its rating (or an empty label)."""

    date: datetime.date
    date_label: str
    label: str
    rated: bool


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    r: float
    filled: bool
    lines: tuple[Text, ...]
    stem_y1: float
    stem_y2: float


@dataclass(frozen=True)
class Tick:
    x: float
    y1: float
    y2: float
    label: Text


@dataclass(frozen=True)
class Timeline:
    width: float
    height: float
    title: str
    description: str
    axis_y: float
    axis_x1: float
    axis_x2: float
    ticks: tuple[Tick, ...]
    markers: tuple[Marker, ...]


def timeline(*, events: Sequence[Event], title: str, description: str) -> Timeline | None:
    """Events placed by date along a year axis; labels sit above, stacked where they would touch.

    Returns None when there are no events.
    """
    if not events:
        return None
    events = sorted(events, key=lambda event: event.date)
    first_year, last_year = events[0].date.year, events[-1].date.year
    start, end = datetime.date(first_year, 1, 1), datetime.date(last_year + 1, 1, 1)
    axis_x1, axis_x2 = 24.0, WIDTH - 24.0
    label_half, line_height = 68.0, 15.0
    span = (end - start).days

    def x_of(day: datetime.date) -> float:
        return round(axis_x1 + (day - start).days / span * (axis_x2 - axis_x1), 1)

    placed = []  # (event, x, label lines, level)
    level_ends: list[float] = []
    for event in events:
        x = x_of(event.date)
        label_x = min(max(x, label_half), WIDTH - label_half)
        lines = [event.date_label, *wrap(event.label, 2 * label_half - 8, max_lines=2)]
        level = next(
            (n for n, right in enumerate(level_ends) if right + 8 <= label_x - label_half),
            len(level_ends),
        )
        if level == len(level_ends):
            level_ends.append(0.0)
        level_ends[level] = label_x + label_half
        placed.append((event, x, label_x, [line for line in lines if line], level))

    level_height = max(len(lines) for *_rest, lines, _level in placed) * line_height + 10
    axis_y = 12.0 + len(level_ends) * level_height + 14
    markers = []
    for event, x, label_x, lines, level in placed:
        bottom = axis_y - 20 - level * level_height
        texts = tuple(
            Text(label_x, bottom - (len(lines) - 1 - n) * line_height, line, "middle")
            for n, line in enumerate(lines)
        )
        markers.append(Marker(x, axis_y, 7.0, event.rated, texts, bottom + 5, axis_y - 7))
    years = range(first_year, last_year + 2)
    step = max(1, len(years) // 8)
    ticks = []
    for year in years[::step]:
        x = x_of(datetime.date(year, 1, 1))
        anchor = "start" if x <= axis_x1 else "end" if x >= axis_x2 else "middle"
        ticks.append(Tick(x, axis_y, axis_y + 8, Text(x, axis_y + 26, str(year), anchor, INK_SOFT)))
    return Timeline(
        width=WIDTH,
        height=axis_y + 36,
        title=title,
        description=description,
        axis_y=axis_y,
        axis_x1=axis_x1,
        axis_x2=axis_x2,
        ticks=tuple(ticks),
        markers=tuple(markers),
    )
