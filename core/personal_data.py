"""The personal-data registry: what each plug-in keeps about a reader's email address.

Plug-ins that store something about a reader (comments, subscriptions) register a
PersonalData source in their `AppConfig.ready()`. The privacy plug-in asks the registry to
describe, export and erase everything held about one address, to purge the technical data
(IP-address hashes, user agents) older than PRIVACY_RETENTION_DAYS, and to write the
privacy page, so no plug-in needs to know the others exist.

A source's callables take an address as the reader typed it; they match it in any letter
case. `erase` runs inside the caller's transaction and must leave threads and other
readers' data intact. The registry is filled at start-up from code and never changes while
the site runs.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Holding:
    """One line of the privacy page: what is kept, why, and for how long."""

    what: str
    why: str
    kept: str


@dataclass(frozen=True)
class PersonalData:
    """What one plug-in holds about an email address, and how to hand it over or erase it.

    - `describe(email)`: one line for the reader ("3 comments"); "" when nothing is held.
    - `export(email)`: everything held, as JSON-able data.
    - `erase(email)`: remove or anonymise it; what was done, as {action: count}.
    - `purge(before)`: blank IP-address hashes and user agents stored before `before`;
      how many rows changed (None when the source keeps no such data).
    - `notice()`: the privacy page's lines, worded from the live settings.
    - `on_erase`: what erasure does, for the reader about to ask for it.
    """

    key: str
    label: str
    describe: Callable[[str], str]
    export: Callable[[str], Any]
    erase: Callable[[str], dict[str, int]]
    notice: Callable[[], list[Holding]]
    purge: Callable[[datetime.datetime], int] | None = None
    on_erase: str = ""
    order: int = 100


_sources: dict[str, PersonalData] = {}


def register_personal_data(source: PersonalData) -> None:
    """Add (or replace, by key) a source of personal data."""
    _sources[source.key] = source


def unregister_personal_data(key: str) -> None:
    _sources.pop(key, None)


def personal_data_sources() -> list[PersonalData]:
    """The registered sources, in page order."""
    return sorted(_sources.values(), key=lambda source: (source.order, source.key))


def retention_days() -> int:
    """How many days IP-address hashes and user agents are kept (PRIVACY_RETENTION_DAYS)."""
    return settings.PRIVACY_RETENTION_DAYS


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    """Technical data stored before this moment is due to be purged."""
    return (now or timezone.now()) - datetime.timedelta(days=retention_days())
