"""Presentation helpers for inspection pages: dates at their known precision, percentages."""

import datetime
from decimal import Decimal

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html

from inspections.charts import format_percent
from inspections.models import DatePrecision, Finding

register = template.Library()


@register.simple_tag
def precise_date(value: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    """A <time> element showing the day, or only the month when that is all that is known."""
    if value is None:
        return ""
    if precision == DatePrecision.MONTH:
        return format_html(
            '<time datetime="{}">{}</time>', value.strftime("%Y-%m"), date_format(value, "F Y")
        )
    return format_html(
        '<time datetime="{}">{}</time>', value.isoformat(), date_format(value, "j F Y")
    )


@register.simple_tag
def date_range(
    start: datetime.date | None, end: datetime.date | None, precision: str = DatePrecision.DAY
) -> str:
    """Two <time> elements joined by a dash; either end may be missing."""
    parts = [precise_date(day, precision) for day in (start, end) if day]
    if len(parts) == 2 and start == end:
        parts = parts[:1]
    return format_html("{} – {}", *parts) if len(parts) == 2 else (parts[0] if parts else "")


@register.filter
def percent(value: Decimal | None, approximate: bool = False) -> str:
    """48.00 → “48%”; pass True for an approximate figure (“≈33%”)."""
    if value is None:
        return ""
    return format_percent(value, approximate=bool(approximate))


POLARITY_ICONS = {
    Finding.Polarity.STRENGTH: "✓",
    Finding.Polarity.CONCERN: "✗",
    Finding.Polarity.MIXED: "±",
    Finding.Polarity.CONTEXT: "i",
}


@register.filter
def polarity_icon(polarity: str) -> str:
    """A symbol for a finding's polarity; pages show it beside the polarity's name, never alone."""
    return POLARITY_ICONS.get(polarity, "•")
