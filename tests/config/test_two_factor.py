"""Two-step sign-in for staff: who must use it, enrolment, login with a code or a recovery
code, and the lockout counting wrong codes like wrong passwords."""

import datetime
import re

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.blog.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

# Now, not a fixed date: sessions made while the clock is frozen must still be valid after.
START = datetime.datetime.now(tz=datetime.UTC).replace(microsecond=0)


@pytest.fixture(autouse=True)
def _required_for_editors(settings):
    settings.TWO_FACTOR_REQUIRED = ["superusers", "Editor", "Moderator"]


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(client, username, token=""):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": PASSWORD, "otp_token": token},
    )


def enrol(client, editor) -> list[str]:
    assert log_in(client, editor.username).status_code == 302
    page = client.get("/admin/two-factor/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=editor, confirmed=False)
    done = client.post("/admin/two-factor/", {"token": code_for(device)})
    assert done.status_code == 200
    return re.findall(r"<li><code>(\w+)</code></li>", done.content.decode())


def test_an_editor_without_a_device_must_enrol_before_reaching_the_admin(client):
    editor = StaffFactory(editor=True, username="ed")
    assert log_in(client, "ed").status_code == 302
    index = client.get("/admin/")
    assert index.status_code == 302
    assert client.get(index["Location"])["Location"] == "/admin/two-factor/"

    with time_machine.travel(START, tick=False) as clock:
        wrong = client.post("/admin/two-factor/", {"token": "000000"})
        assert "That code is not right" in wrong.content.decode()
        clock.shift(5)  # django-otp slows down guessing after a wrong code
        device = TOTPDevice.objects.get(user=editor, confirmed=False)
        done = client.post("/admin/two-factor/", {"token": code_for(device)})
    assert "Two-step sign-in is on" in done.content.decode()
    assert len(re.findall(r"<li><code>\w+</code></li>", done.content.decode())) == 10
    assert client.get("/admin/").status_code == 200


def test_the_enrolment_page_shows_a_qr_code_without_inline_script_or_style(client):
    StaffFactory(editor=True, username="ed")
    log_in(client, "ed")
    response = client.get("/admin/two-factor/")
    html = response.content.decode()
    assert "<svg" in html and "otpauth" not in html  # the secret travels in the image only
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_signing_in_needs_the_code_once_a_device_is_set_up(client):
    editor = StaffFactory(editor=True, username="ed")
    with time_machine.travel(START, tick=False):
        codes = enrol(client, editor)
    client.logout()
    device = TOTPDevice.objects.get(user=editor, confirmed=True)

    with time_machine.travel(START + datetime.timedelta(minutes=5), tick=False) as clock:
        missing = log_in(client, "ed")
        assert missing.status_code == 200
        assert "Enter the code from your authenticator app" in missing.content.decode()
        wrong = log_in(client, "ed", "123456")
        assert "That code is not right" in wrong.content.decode()
        clock.shift(5)  # django-otp slows down guessing after a wrong code
        assert log_in(client, "ed", code_for(device)).status_code == 302
    assert client.get("/admin/").status_code == 200

    client.logout()
    with time_machine.travel(START + datetime.timedelta(minutes=10), tick=False):
        assert log_in(client, "ed", codes[0]).status_code == 302  # a recovery code
        assert client.get("/admin/").status_code == 200
        client.logout()
        again = log_in(client, "ed", codes[0])
    assert "That code is not right, or has been used" in again.content.decode()
    assert StaticToken.objects.filter(device__user=editor).count() == 9


def test_wrong_codes_count_towards_the_login_lockout(client, settings):
    editor = StaffFactory(editor=True, username="ed")
    with time_machine.travel(START, tick=False):
        enrol(client, editor)
    client.logout()
    device = TOTPDevice.objects.get(user=editor, confirmed=True)
    with time_machine.travel(START + datetime.timedelta(minutes=5), tick=False):
        for _ in range(settings.LOGIN_MAX_FAILURES):
            log_in(client, "ed", "999999")
        locked = log_in(client, "ed", code_for(device))
    assert "Too many failed attempts" in locked.content.decode()
    assert client.get("/admin/").status_code == 302


def test_authors_are_not_required_to_use_a_second_step(client):
    StaffFactory(author=True, username="au")
    assert log_in(client, "au").status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_requirement_can_be_switched_off(client, settings):
    settings.TWO_FACTOR_REQUIRED = []
    StaffFactory(editor=True, username="ed")
    assert log_in(client, "ed").status_code == 302
    assert client.get("/admin/").status_code == 200
