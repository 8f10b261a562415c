"""Admin login throttling: an address or a username is locked out after repeated failures.

Counted in the Django cache (Redis in production), so the lock holds across processes and
machines. Lives in config/ beside the other cross-cutting plumbing (search, pagination):
core/ is presentation only and nothing may import it.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _setting(name: str, default):
    return getattr(settings, name, default)


def login_client_ip(request: HttpRequest | None) -> str:
    """The client's address from LOGIN_CLIENT_IP_HEADER (the last hop a proxy added)."""
    if request is None:
        return ""
    value = request.META.get(_setting("LOGIN_CLIENT_IP_HEADER", "REMOTE_ADDR"), "")
    try:
        return str(ipaddress.ip_address(value.split(",")[-1].strip()))
    except ValueError:
        return ""


def _keys(request: HttpRequest | None, username: str) -> list[str]:
    keys = []
    if ip := login_client_ip(request):
        keys.append(f"login:ip:{ip}")
    if username:
        digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
        keys.append(f"login:user:{digest}")
    return keys


def login_locked(request: HttpRequest | None, username: str) -> bool:
    """True while the client's address or the username is locked out."""
    keys = [f"{key}:locked" for key in _keys(request, username)]
    return bool(keys) and any(cache.get_many(keys).values())


def login_failure_record(request: HttpRequest | None, username: str) -> None:
    """Count a failed attempt; the LOGIN_MAX_FAILURES-th within the window locks out."""
    window = _setting("LOGIN_LOCKOUT_SECONDS", 15 * 60)
    limit = _setting("LOGIN_MAX_FAILURES", 5)
    for key in _keys(request, username):
        cache.add(key, 0, window)
        try:
            failures = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            failures = 1
        if failures >= limit:
            cache.set(f"{key}:locked", True, window)
            cache.delete(key)


def login_success_record(request: HttpRequest | None, username: str) -> None:
    """A good password clears the username's count (not the address's)."""
    for key in _keys(None, username):
        cache.delete(key)


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts to log in. For your security, logging in from this "
            "address or as this user is paused for %(minutes)d minutes."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if login_locked(self.request, username):
            minutes = _setting("LOGIN_LOCKOUT_SECONDS", 15 * 60) // 60
            raise ValidationError(
                self.error_messages["locked"], code="locked", params={"minutes": minutes}
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            login_failure_record(self.request, username)
            raise
        login_success_record(self.request, username)
        return cleaned
