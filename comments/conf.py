"""The comments app's settings, with defaults, read at call time (tests override them)."""

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Models readers may comment on: "app_label.model" -> {"queryset": the manager method
    # listing the public objects, "date_field": the field the closing clock starts from,
    # "feed": the route of the per-object comment feed, reversed with the object's slug}.
    "COMMENTS_TARGETS": {},
    "COMMENTS_CLOSE_AFTER_DAYS": 180,  # 0 keeps threads open for ever
    "COMMENTS_TRUST_RETURNING": True,
    "COMMENTS_MIN_SUBMIT_SECONDS": 3,
    "COMMENTS_RATE_LIMIT": 5,
    "COMMENTS_RATE_WINDOW_SECONDS": 600,
    "COMMENTS_MAX_LINKS": 3,
    "COMMENTS_MAX_LENGTH": 5000,
    "COMMENTS_MAX_DEPTH": 3,
    "COMMENTS_NOTIFY_EMAILS": [],
    "COMMENTS_CLIENT_IP_HEADER": "REMOTE_ADDR",
    "COMMENTS_COOKIE_MAX_AGE": 60 * 60 * 24 * 365,
}


def setting(name: str) -> Any:
    return getattr(settings, name, DEFAULTS[name])
