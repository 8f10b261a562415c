import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.blog.factories import PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


def attempt(client, username, password, ip="203.0.113.9"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def errors(response) -> str:
    return " ".join(response.context["form"].non_field_errors())


def test_five_failures_lock_the_username_out_even_with_the_right_password(client):
    user = StaffFactory(editor=True, username="ada")
    for n in range(5):
        response = attempt(client, "ada", "wrong", ip=f"198.51.100.{n}")
        assert "correct username and password" in errors(response)

    response = attempt(client, "ada", PASSWORD, ip="192.0.2.50")

    assert response.status_code == 200
    assert "Too many failed attempts" in errors(response)
    assert "15 minutes" in errors(response)
    assert "_auth_user_id" not in client.session
    assert user.is_staff


def test_five_failures_lock_the_address_out_for_every_username(client):
    StaffFactory(editor=True, username="grace")
    for n in range(5):
        attempt(client, f"nobody{n}", "wrong")

    response = attempt(client, "grace", PASSWORD)

    assert "Too many failed attempts" in errors(response)


def test_lockout_ends_after_fifteen_minutes(client, time_machine, settings):
    # Redis expires keys on its own clock; the lockout window is checked on a local cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    time_machine.move_to(timezone.now(), tick=False)
    StaffFactory(editor=True, username="ada")
    for _n in range(5):
        attempt(client, "ada", "wrong")

    time_machine.shift(15 * 60 + 1)
    response = attempt(client, "ada", PASSWORD)

    assert response.status_code == 302


def test_four_failures_then_the_right_password_logs_in_and_resets_the_count(client):
    StaffFactory(editor=True, username="ada")
    for n in range(4):
        attempt(client, "ada", "wrong", ip=f"198.51.100.{n}")
    assert attempt(client, "ada", PASSWORD, ip="192.0.2.1").status_code == 302
    client.logout()
    for n in range(4):
        attempt(client, "ada", "wrong", ip=f"198.51.100.{n + 10}")

    assert attempt(client, "ada", PASSWORD, ip="192.0.2.2").status_code == 302


def test_a_user_who_is_not_staff_cannot_log_in_to_the_admin(client, django_user_model):
    django_user_model.objects.create_user("reader", password=PASSWORD)

    response = attempt(client, "reader", PASSWORD)

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sessions_end_with_the_browser_and_within_eight_hours():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.AUTH_PASSWORD_VALIDATORS
