"""What every step of an import shares: WordPress's dates and text, fingerprints, and the
first pass's index of a post."""

import datetime
import hashlib
import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.html import strip_tags

from wordpress.models import ImportedItem

# Bump when the conversion changes, so a rerun converts every post again.
CONVERTER_VERSION = "1"
ZERO_DATE = "0000-00-00 00:00:00"
Kind = ImportedItem.Kind
Progress = Callable[[str, int, int], None]

NOT_IMPORTED_STATUSES = {
    "trash": "in the WordPress trash",
    "auto-draft": "an unsaved auto-draft",
    "inherit": "a revision",
}


def wp_datetime(gmt: str, local: str, zone: ZoneInfo) -> tuple[datetime.datetime | None, str]:
    """An aware datetime from WordPress's GMT date, else its local one in `zone`.

    Drafts carry `0000-00-00 00:00:00` as their GMT date; that (and an impossible date
    such as 30 February) falls back to the local date. Returns (None, why) when neither
    is a date.
    """
    problem = ""
    for value, tz in ((gmt, datetime.UTC), (local, zone)):
        if not value or value == ZERO_DATE:
            continue
        try:
            parsed = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
            return parsed.replace(tzinfo=tz).astimezone(datetime.UTC), ""
        except (ValueError, OverflowError):
            problem = problem or f"impossible date {value!r}"
    return None, problem


def plain_text(value: str) -> str:
    """HTML from WordPress as plain text: tags dropped, entities decoded."""
    return html.unescape(strip_tags(value or "")).strip()


def fingerprint(*parts) -> str:
    raw = json.dumps([CONVERTER_VERSION, *parts], default=str, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class PostIndex:
    """What the first pass keeps of a post or page (never its content)."""

    wp_id: int
    post_type: str
    status: str
    title: str
    post_name: str
    link: str
    guid: str
    parent: int
    local_date: datetime.datetime | None
    comment_count: int
