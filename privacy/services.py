"""Readers' data requests: the emailed link, the download, the erasure, and the purge.

Every plug-in that keeps something about an address registers it in core.personal_data;
this module only walks the registry, so it never names comments or subscriptions.
"""

import dataclasses
import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.email import Email, email_headers, email_queue
from core.personal_data import personal_data_sources, retention_cutoff
from core.site import absolute_url
from core.throttle import rate_limit
from privacy.models import DataRequest

logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Held:
    """What one plug-in holds about an address, and what erasing it would do."""

    label: str
    line: str
    on_erase: str


def data_summary(*, email: str) -> list[Held]:
    """What each plug-in that holds something about `email` holds."""
    held = []
    for source in personal_data_sources():
        line = source.describe(email)
        if line:
            held.append(Held(str(source.label), line, str(source.on_erase)))
    return held


def data_request_send(*, email: str, ip_address: str) -> None:
    """Email `email` a link to the data held about it, when anything is held.

    The caller learns nothing: an address we know nothing about gets no email, and nothing
    about it is stored. Raises core.throttle.RateLimited, doing nothing, past
    PRIVACY_RATE_LIMIT_IP requests from one IP address or PRIVACY_RATE_LIMIT_ADDRESS for
    one address (known or not) in PRIVACY_RATE_WINDOW_SECONDS.
    """
    email = email.strip()
    message = _("Too many requests. Please try again in an hour.")
    window = settings.PRIVACY_RATE_WINDOW_SECONDS
    rate_limit(
        "privacy.ip",
        ip_address,
        limit=settings.PRIVACY_RATE_LIMIT_IP,
        window=window,
        message=message,
    )
    rate_limit(
        "privacy.address",
        email.lower(),
        limit=settings.PRIVACY_RATE_LIMIT_ADDRESS,
        window=window,
        message=message,
    )
    if not data_summary(email=email):
        return
    with transaction.atomic():
        request = DataRequest.objects.create(email=email)
        data_link_send(request=request)


def data_link_send(*, request: DataRequest) -> None:
    """Queue the email with `request`'s link to its address."""
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "link_url": absolute_url(request.get_absolute_url()),
        "hours": settings.PRIVACY_LINK_MAX_AGE_HOURS,
    }
    email_queue(
        Email.from_templates(
            "privacy_link", context, to=request.email, headers=email_headers(automatic=True)
        )
    )


def data_export(*, email: str) -> dict[str, Any]:
    """Everything held about `email`, by plug-in, as JSON-able data."""
    export: dict[str, Any] = {
        "address": email,
        "site": settings.SITE_URL,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
    }
    for source in personal_data_sources():
        export[source.key] = source.export(email)
    return export


def data_erase(*, email: str) -> dict[str, dict[str, int]]:
    """Erase or anonymise everything held about `email`, in one transaction; what each
    plug-in did. Open data requests for the address go too, so their links stop working."""
    email = email.strip()
    with transaction.atomic():
        done = {source.key: source.erase(email) for source in personal_data_sources()}
        done["privacy"] = {"requests": DataRequest.objects.with_email(email).delete()[0]}
    # The log names no one: it is kept longer than the data was.
    logger.info("Erased a reader's data on request: %s", done)
    return done


def data_purge(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> tuple[datetime.datetime, dict[str, int]]:
    """Blank IP-address hashes and user agents older than PRIVACY_RETENTION_DAYS and delete
    data requests whose link has expired; (the cut-off, rows changed per plug-in).
    With `dry_run` nothing is kept: the counts say what a real run would change."""
    now = now or timezone.now()
    before = retention_cutoff(now)
    with transaction.atomic():
        done = {
            source.key: source.purge(before)
            for source in personal_data_sources()
            if source.purge is not None
        }
        done["privacy"] = DataRequest.objects.expired(now).delete()[0]
        if dry_run:
            transaction.set_rollback(True)
    return before, done
