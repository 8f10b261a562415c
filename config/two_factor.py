"""Staff sign-in with a second factor: TOTP (an authenticator app) and recovery codes.

django-otp keeps the devices; this module decides who must use one (TWO_FACTOR_REQUIRED:
"superusers" and/or role group names), checks the code at login (with the password, so
the login lockout counts a wrong code like a wrong password) and walks a user through
enrolment. A required user without a verified session sees only the enrolment page.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
SETUP_SESSION_KEY = "two_factor_setup_device"


def two_factor_required(user) -> bool:
    """Whether `user` must sign in with a second factor (TWO_FACTOR_REQUIRED)."""
    required = set(settings.TWO_FACTOR_REQUIRED)
    if not required or not user.is_authenticated:
        return False
    if user.is_superuser and "superusers" in required:
        return True
    return user.groups.filter(name__in=required).exists()


def has_device(user) -> bool:
    return any(devices_for_user(user, confirmed=True))


def check_second_factor(user, token: str):
    """The device `token` belongs to, for a user who has one; ValidationError otherwise.

    None for a user without a device (they enrol after signing in, if required to).
    """
    if not has_device(user):
        return None
    token = "".join(token.split())
    if not token:
        raise ValidationError(
            _("Enter the code from your authenticator app, or one of your recovery codes."),
            code="otp_required",
        )
    device = match_token(user, token)
    if device is None:
        raise ValidationError(_("That code is not right, or has been used."), code="otp_wrong")
    return device


class ConfirmDeviceForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@login_required(login_url="admin:login")
def setup(request: HttpRequest):
    """Enrol an authenticator app: scan, confirm one code, keep the recovery codes."""
    user = request.user
    if not user.is_active or not user.is_staff:
        return redirect("admin:login")
    if has_device(user) and not request.user.is_verified():
        return redirect("admin:logout")  # sign in again, with the code
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False, pk=request.session.get(SETUP_SESSION_KEY)
    ).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
        request.session[SETUP_SESSION_KEY] = device.pk
    form = ConfirmDeviceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token("".join(form.cleaned_data["token"].split())):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            request.session.pop(SETUP_SESSION_KEY, None)
            otp_login(request, device)
            codes = _new_recovery_codes(user)
            return render(request, "admin/two_factor_done.html", {"codes": codes})
        form.add_error("token", _("That code is not right. Check the time on your phone."))
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_svg": qr.svg_inline(scale=4, dark="#000", light="#fff"),
        "secret": device.config_url.split("secret=")[1].split("&")[0],
        "required": two_factor_required(user),
        "title": _("Two-step sign-in"),
        "site_header": settings.SITE_NAME,
        "has_permission": False,
    }
    return render(request, "admin/two_factor_setup.html", context, status=200)


def setup_url() -> str:
    return reverse("admin:two-factor-setup")
