"""Throttling: the client's address, one fixed-window rate limiter and a login-style lockout.

Everything is counted in Django's cache — Redis in production — so a limit holds across
processes and machines. Every entry is keyed `throttle:<scope>:<digest>`: the scope says
what is limited ("comments", "subscribe.ip", "login.user", …) and the digest is an
HMAC-SHA256 (keyed with SECRET_KEY) of the value counted, so no address or username is
stored in the cache in the clear.

Limits fail safe: while the shared cache cannot be reached nothing can be counted, so every
limited action is refused politely (ThrottleUnavailable, a 503) rather than let through.
"""

import contextlib
import ipaddress
import math
import time

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.cache import CacheUnavailable, strict_cache

OUTAGE_RETRY_SECONDS = 60


class RateLimited(Exception):
    """Over a rate limit or locked out: nothing was done. Try again in `retry_after` seconds.

    `message` is for the person refused ("" when the caller words it); `status` is the HTTP
    status a view answers with.
    """

    status = 429

    def __init__(self, message: str = "", *, retry_after: int):
        super().__init__(message or f"Rate limited: retry after {retry_after} seconds")
        self.message = message
        self.retry_after = retry_after


class ThrottleUnavailable(RateLimited):
    """Nothing can be counted (the shared cache is down), so the limited action is refused."""

    status = 503

    def __init__(self):
        super().__init__(
            str(_("We cannot accept this just now. Please try again in a minute.")),
            retry_after=OUTAGE_RETRY_SECONDS,
        )


def client_ip(request: HttpRequest | None) -> str:
    """The client's address, read from the CLIENT_IP_HEADER request header; "" if none.

    Behind a proxy, CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR: the last entry is the one our
    proxy added (earlier entries come from the client, who can write anything there).
    """
    if request is None:
        return ""
    value = request.META.get(settings.CLIENT_IP_HEADER, "")
    try:
        return str(ipaddress.ip_address(value.split(",")[-1].strip()))
    except ValueError:
        return ""


def throttle_key(scope: str, value: str) -> str:
    """The cache key of `value`'s counter in `scope`: throttle:<scope>:<HMAC-SHA256>."""
    digest = salted_hmac("core.throttle", f"{scope}\n{value}", algorithm="sha256").hexdigest()
    return f"throttle:{scope}:{digest}"


def _count(key: str, window: int) -> int:
    """Count one hit in the window that started with the key's first hit; the new count."""
    try:
        return _count_in_cache(key, window)
    except CacheUnavailable:
        raise ThrottleUnavailable() from None


def _count_in_cache(key: str, window: int) -> int:
    cache = strict_cache()
    if cache.add(key, 1, window):
        cache.set(f"{key}:ends", time.time() + window, window)
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, window)
        cache.set(f"{key}:ends", time.time() + window, window)
        return 1


def _seconds_left(key: str, default: int) -> int:
    try:
        ends = strict_cache().get(key)
    except CacheUnavailable:
        ends = None
    remaining = default if ends is None else ends - time.time()
    return max(1, math.ceil(remaining))


def rate_limit(scope: str, value: str, *, limit: int, window: int, message: str = "") -> None:
    """Count one request for `value` in `scope`; RateLimited once past `limit` in `window`
    seconds (a fixed window starting at the first request). A `limit` of 0 or an empty
    `value` (an unknown address, say) is not counted."""
    if not limit or not value:
        return
    key = throttle_key(scope, value)
    if _count(key, window) > limit:
        raise RateLimited(message, retry_after=_seconds_left(f"{key}:ends", window))


def lockout_check(*subjects: tuple[str, str], message: str = "") -> None:
    """RateLimited while any of the (scope, value) `subjects` is locked out."""
    keys = [f"{throttle_key(scope, value)}:locked" for scope, value in subjects if value]
    try:
        found = strict_cache().get_many(keys) if keys else {}
    except CacheUnavailable:
        raise ThrottleUnavailable() from None
    ends = [end for end in found.values() if end]
    if ends:
        raise RateLimited(message, retry_after=max(1, math.ceil(max(ends) - time.time())))


def lockout_failure(scope: str, value: str, *, limit: int, window: int) -> bool:
    """Count a failure for `value`; the `limit`-th within `window` seconds locks it out for
    `window` seconds (lockout_check raises) and starts the count again. True if it did."""
    if not limit or not value:
        return False
    key = throttle_key(scope, value)
    if _count(key, window) < limit:
        return False
    try:
        strict_cache().set(f"{key}:locked", time.time() + window, window)
        strict_cache().delete_many([key, f"{key}:ends"])
    except CacheUnavailable:
        raise ThrottleUnavailable() from None
    return True


def lockout_forgive(scope: str, value: str) -> None:
    """Forget `value`'s failures so far (a lockout already in force stays)."""
    if value:
        key = throttle_key(scope, value)
        # Nothing could be read back while the cache is down: nothing to forgive.
        with contextlib.suppress(CacheUnavailable):
            strict_cache().delete_many([key, f"{key}:ends"])
