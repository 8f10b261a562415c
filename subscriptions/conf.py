"""The subscriptions app's settings, with defaults, read at call time (tests override them)."""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Confirmation links expire after this many days.
    "SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS": 7,
    # Confirmation (or "you are already subscribed") emails per address per calendar day.
    "SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY": 3,
    # Subscribe requests per client IP address and per email address, per window, counted in
    # the shared cache.
    "SUBSCRIPTIONS_RATE_LIMIT_IP": 10,
    "SUBSCRIPTIONS_RATE_LIMIT_ADDRESS": 5,
    "SUBSCRIPTIONS_RATE_WINDOW_SECONDS": 3600,
    # Where the client address is read: REMOTE_ADDR, or HTTP_X_FORWARDED_FOR behind a proxy.
    "SUBSCRIPTIONS_CLIENT_IP_HEADER": "REMOTE_ADDR",
    # Deliveries one worker claims and sends over one SMTP connection.
    "SUBSCRIPTIONS_BATCH_SIZE": 200,
    # Send tasks queued at once for a digest: about the number of workers you run.
    "SUBSCRIPTIONS_SEND_PARALLELISM": 4,
    # Retries: the first after RETRY_SECONDS, doubling up to RETRY_MAX_SECONDS, and the
    # delivery is marked failed after MAX_ATTEMPTS.
    "SUBSCRIPTIONS_MAX_ATTEMPTS": 10,
    "SUBSCRIPTIONS_RETRY_SECONDS": 60,
    "SUBSCRIPTIONS_RETRY_MAX_SECONDS": 6 * 60 * 60,
    # A claimed delivery whose worker has not finished it after this long is claimed again.
    "SUBSCRIPTIONS_CLAIM_TIMEOUT_SECONDS": 15 * 60,
    # Permanent refusals (SMTP 5xx) in a row before an address is suppressed.
    "SUBSCRIPTIONS_BOUNCE_LIMIT": 3,
    # Articles published longer ago than this are never announced as new (imports, edits).
    "SUBSCRIPTIONS_NEW_ARTICLE_MAX_AGE_DAYS": 8,
    # Tags offered on the subscribe and manage forms: the most used ones.
    "SUBSCRIPTIONS_TAG_CHOICES": 40,
    # The List-Id header; empty: "<SITE_NAME> newsletter <newsletter.<SITE_URL host>>".
    "SUBSCRIPTIONS_LIST_ID": "",
}


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
