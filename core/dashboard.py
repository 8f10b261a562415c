"""Admin dashboard panels: the admin index shows what each installed app says is waiting.

An app's `admin.py` registers a panel: a name, an order, a template it owns
(`admin/<app>/_dashboard_panel.html`) and `build(request) -> dict | None`, the panel's
context, or None when the user may not see it. The admin site renders the panels that
answer, in order; each template sees only its context, as `panel`. An app that is not
installed never has its `admin.py` imported, so its panel is absent.

A builder costs a fixed number of queries, however much content is waiting.
"""

import bisect
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet, Window
from django.db.models.functions import TruncDate, TruncMonth
from django.http import HttpRequest
from django.utils import timezone

# Rows a panel lists before it links to the full admin list.
PANEL_ROWS = 8

Builder = Callable[[HttpRequest], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    build: Builder
    order: int = 100


@dataclass(frozen=True)
class ShownPanel:
    name: str
    template: str
    context: dict[str, Any]


_panels: dict[str, Panel] = {}


def register_panel(name: str, *, build: Builder, template: str, order: int = 100) -> None:
    """Show `template` on the admin index with the context `build(request)` returns."""
    _panels[name] = Panel(name=name, template=template, build=build, order=order)


def unregister_panel(name: str) -> None:
    _panels.pop(name, None)


def registered_panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))


def panels_for(request: HttpRequest) -> list[ShownPanel]:
    """The panels `request.user` may see, in order, each with its context."""
    shown = []
    for panel in registered_panels():
        context = panel.build(request)
        if context is not None:
            shown.append(ShownPanel(name=panel.name, template=panel.template, context=context))
    return shown


def head_and_count(queryset: QuerySet, rows: int = PANEL_ROWS) -> tuple[list, int]:
    """The first `rows` objects of `queryset` and how many it holds in all, in one query."""
    head = list(queryset.annotate(panel_total=Window(Count("pk")))[:rows])
    return head, (head[0].panel_total if head else 0)


# Charts: each app says what it counts over time; the admin index draws them as small bar
# charts (SVG drawn here, no script, no inline style) with the totals beside them.

CHART_DAYS = 90
CHART_WEEKS_BEFORE = CHART_DAYS // 7  # 12 full weeks, then this one: 84 to 90 days
CHART_MONTHS = 12
CHART_WIDTH, CHART_HEIGHT, CHART_GAP = 260, 80, 2


@dataclass(frozen=True)
class Series:
    """One coloured set of bars: a count per period, and the admin list behind it.

    `link` is that list's address with its filters; `date_field` the list's date filter, so
    each bar links to its own period (`<date_field>__gte` / `__lt`); "" when the list has
    none for this date.
    """

    label: str
    counts: dict[datetime.date, int]
    link: str
    date_field: str


@dataclass(frozen=True)
class Chart:
    title: str
    series: list[Series]
    period: str = "week"  # or "month"


ChartBuilder = Callable[[HttpRequest], Chart | None]


@dataclass(frozen=True)
class RegisteredChart:
    name: str
    build: ChartBuilder
    order: int = 100


_charts: dict[str, RegisteredChart] = {}


def register_chart(name: str, *, build: ChartBuilder, order: int = 100) -> None:
    """Draw the chart `build(request)` returns (None: not for this user) on the admin index.

    A builder costs a fixed number of queries (one a series, or one for all), however many
    rows it counts: `daily_counts` and `monthly_counts` group in the database.
    """
    _charts[name] = RegisteredChart(name=name, build=build, order=order)


def unregister_chart(name: str) -> None:
    _charts.pop(name, None)


def chart_since(period: str = "week") -> datetime.datetime:
    """Where a chart starts: the Monday 12 full weeks before this one (91 days or fewer,
    about 90), or the first day of the month 11 months back."""
    today = timezone.localdate()
    if period == "month":
        month = today.month - (CHART_MONTHS - 1)
        year = today.year + (month - 1) // 12
        start = datetime.date(year, (month - 1) % 12 + 1, 1)
    else:
        start = today - datetime.timedelta(days=today.weekday() + 7 * CHART_WEEKS_BEFORE)
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time()))


def _periods(period: str) -> list[datetime.date]:
    start = chart_since(period).date()
    if period == "month":
        return [_add_months(start, n) for n in range(CHART_MONTHS)]
    return [start + datetime.timedelta(weeks=n) for n in range(CHART_WEEKS_BEFORE + 1)]


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def daily_counts(queryset: QuerySet, field: str, **counts: Count) -> dict[str, dict]:
    """{name: {day: n}} for each of `counts`, over the rows of `queryset` dated `field` since
    the chart's start, in one query."""
    rows = (
        queryset.filter(**{f"{field}__gte": chart_since("week")})
        .annotate(chart_day=TruncDate(field))
        .order_by()
        .values("chart_day")
        .annotate(**counts)
    )
    result: dict[str, dict] = {name: {} for name in counts}
    for row in rows:
        for name in counts:
            result[name][row["chart_day"]] = row[name]
    return result


def monthly_counts(queryset: QuerySet, field: str) -> dict[datetime.date, int]:
    """{first day of month: n} over the rows of `queryset` dated `field`, in one query."""
    rows = (
        queryset.filter(**{f"{field}__gte": chart_since("month")})
        .annotate(chart_month=TruncMonth(field))
        .order_by()
        .values("chart_month")
        .annotate(n=Count("pk"))
    )
    return {_as_date(row["chart_month"]): row["n"] for row in rows}


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _bucket(counts: dict[datetime.date, int], starts: list[datetime.date]) -> list[int]:
    totals = [0] * len(starts)
    for day, n in counts.items():
        index = bisect.bisect_right(starts, _as_date(day)) - 1
        if index >= 0:
            totals[index] += n
    return totals


def _period_link(series: Series, start: datetime.date, end: datetime.date) -> str:
    if not series.date_field:
        return series.link
    joiner = "&" if "?" in series.link else "?"

    def moment(day: datetime.date) -> str:  # the admin's own date filters send aware times
        return str(timezone.make_aware(datetime.datetime.combine(day, datetime.time())))

    return (
        series.link
        + joiner
        + urlencode(
            {f"{series.date_field}__gte": moment(start), f"{series.date_field}__lt": moment(end)}
        )
    )


def chart_drawing(chart: Chart) -> dict[str, Any]:
    """Everything the template needs to draw `chart`: bars with their box, value and link."""
    starts = _periods(chart.period)
    ends = [*starts[1:], _add_months(starts[-1], 1) if chart.period == "month" else
            starts[-1] + datetime.timedelta(weeks=1)]  # fmt: skip
    values = [_bucket(series.counts, starts) for series in chart.series]
    top = max([1, *(v for row in values for v in row)])
    slot = CHART_WIDTH / len(starts)
    bar = max(1.0, (slot - CHART_GAP) / max(1, len(chart.series)))
    date_format = "%b %Y" if chart.period == "month" else "%d %b"
    bars = []
    for s_index, (series, row) in enumerate(zip(chart.series, values, strict=True)):
        for p_index, value in enumerate(row):
            height = round(value / top * (CHART_HEIGHT - 4), 1)
            bars.append(
                {
                    "series": s_index,
                    "x": round(p_index * slot + s_index * bar, 1),
                    "y": round(CHART_HEIGHT - height, 1),
                    "width": round(bar, 1),
                    "height": max(height, 0.5 if value else 0),
                    "value": value,
                    "label": f"{series.label}, {starts[p_index].strftime(date_format)}",
                    "link": _period_link(series, starts[p_index], ends[p_index]),
                }
            )
    return {
        "title": chart.title,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "first": starts[0],
        "period": chart.period,
        "series": [
            {
                "index": index,
                "label": series.label,
                "total": sum(row),
                "latest": row[-1],
                "link": _period_link(series, starts[0], ends[-1]),
            }
            for index, (series, row) in enumerate(zip(chart.series, values, strict=True))
        ],
    }


def charts_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The charts `request.user` may see, in order, drawn."""
    drawn = []
    for registered in sorted(_charts.values(), key=lambda c: (c.order, c.name)):
        chart = registered.build(request)
        if chart is not None:
            drawn.append(chart_drawing(chart))
    return drawn
