"""Admin login throttling: an address or a username is locked out after repeated failures.

Built on core.throttle's lockout, so the lock is counted in the shared cache (Redis in
production) and holds across processes and machines.
"""

import contextlib

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from config.two_factor import check_second_factor
from core.throttle import (
    RateLimited,
    ThrottleUnavailable,
    client_ip,
    lockout_check,
    lockout_failure,
    lockout_forgive,
)


def _subjects(request: HttpRequest | None, username: str) -> list[tuple[str, str]]:
    return [("login.ip", client_ip(request)), ("login.user", username.strip().casefold())]


def login_check(request: HttpRequest | None, username: str) -> None:
    """RateLimited while the client's address or the username is locked out."""
    lockout_check(*_subjects(request, username))


def login_failure_record(request: HttpRequest | None, username: str) -> None:
    """Count a failed attempt; the LOGIN_MAX_FAILURES-th within LOGIN_LOCKOUT_SECONDS locks
    the address or username out for LOGIN_LOCKOUT_SECONDS."""
    for scope, value in _subjects(request, username):
        lockout_failure(
            scope,
            value,
            limit=settings.LOGIN_MAX_FAILURES,
            window=settings.LOGIN_LOCKOUT_SECONDS,
        )


def login_success_record(request: HttpRequest | None, username: str) -> None:
    """A good password clears the username's count (not the address's)."""
    lockout_forgive("login.user", username.strip().casefold())


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    otp_token = forms.CharField(
        label=_("Authentication code"),
        required=False,
        max_length=16,
        strip=True,
        help_text=_(
            "If you have set up two-step sign-in: the code from your app, or a recovery code."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts to log in. For your security, logging in from this "
            "address or as this user is paused for %(minutes)d minutes."
        ),
        # Failed attempts cannot be counted while the shared cache is down: fail safe.
        "unavailable": _("Logging in is paused for a minute. Please try again shortly."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        try:
            login_check(self.request, username)
        except ThrottleUnavailable:
            raise ValidationError(self.error_messages["unavailable"], code="unavailable") from None
        except RateLimited as locked:
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": -(-locked.retry_after // 60)},
            ) from None
        try:
            cleaned = super().clean()
            user = self.get_user()
            device = check_second_factor(user, self.cleaned_data.get("otp_token") or "")
            if device is not None:
                user.otp_device = device  # django_otp marks the session verified at login
        except ValidationError:
            # The failure stands even if it cannot be counted: login_check refuses next.
            with contextlib.suppress(ThrottleUnavailable):
                login_failure_record(self.request, username)
            raise
        login_success_record(self.request, username)
        return cleaned
