import re
import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from core.throttle import (
    RateLimited,
    client_ip,
    lockout_check,
    lockout_failure,
    lockout_forgive,
    rate_limit,
    throttle_key,
)


@pytest.fixture
def local_cache(settings, time_machine):
    # Redis expires keys on its own clock; windows are checked on a local cache.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    time_machine.move_to("2025-03-01 09:00:00+00:00", tick=False)
    return time_machine


def request_from(remote: str = "203.0.113.5", forwarded: str | None = None):
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_client_ip_is_remote_addr_by_default_and_ignores_forwarded_headers():
    assert client_ip(request_from("203.0.113.5", forwarded="198.51.100.7")) == "203.0.113.5"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("10.0.0.1, 198.51.100.7", "198.51.100.7"),  # what the client wrote, then our proxy
        ("spoofed, 2001:db8::1 ", "2001:db8::1"),
        ("198.51.100.7, not-an-address", ""),
        ("", ""),
    ],
)
def test_client_ip_behind_a_proxy_takes_the_last_hop_it_added(settings, forwarded, expected):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_ip(request_from("10.0.0.2", forwarded=forwarded)) == expected


def test_client_ip_without_a_request_or_header_is_empty(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_ip(None) == ""
    assert client_ip(request_from()) == ""


def test_rate_limit_refuses_past_the_limit_until_the_window_ends(local_cache):
    for _n in range(3):
        rate_limit("test", "203.0.113.5", limit=3, window=60)
    with pytest.raises(RateLimited) as refused:
        rate_limit("test", "203.0.113.5", limit=3, window=60, message="Slow down.")
    assert refused.value.retry_after == 60
    assert refused.value.message == "Slow down."
    assert refused.value.status == 429

    local_cache.shift(45)
    with pytest.raises(RateLimited) as refused:
        rate_limit("test", "203.0.113.5", limit=3, window=60)
    assert refused.value.retry_after == 15

    local_cache.shift(16)
    rate_limit("test", "203.0.113.5", limit=3, window=60)


def test_the_window_starts_at_the_first_request(local_cache):
    rate_limit("test", "a", limit=2, window=60)
    local_cache.shift(50)
    rate_limit("test", "a", limit=2, window=60)
    local_cache.shift(11)  # a new window: the first request's has ended
    rate_limit("test", "a", limit=2, window=60)
    rate_limit("test", "a", limit=2, window=60)
    with pytest.raises(RateLimited):
        rate_limit("test", "a", limit=2, window=60)


def test_no_limit_and_unknown_clients_are_not_counted():
    for _n in range(5):
        rate_limit("test", "a", limit=0, window=60)
        rate_limit("test", "", limit=1, window=60)
    assert cache.get(throttle_key("test", "")) is None


def test_one_key_scheme_for_every_scope():
    key = throttle_key("comments", "203.0.113.5")
    assert re.fullmatch(r"throttle:comments:[0-9a-f]{64}", key)
    assert "203.0.113.5" not in key
    assert throttle_key("subscribe.ip", "203.0.113.5") != key.replace("comments", "subscribe.ip")
    rate_limit("comments", "203.0.113.5", limit=1, window=60)
    rate_limit("subscribe.ip", "203.0.113.5", limit=1, window=60)  # scopes count apart
    assert cache.get(key) == 1


@pytest.mark.django_db
def test_comments_subscriptions_and_login_count_under_the_one_scheme(client):
    from comments.forms import form_token
    from comments.views import post_url
    from tests.factories import ArticleFactory

    ip = "203.0.113.5"
    article = ArticleFactory(published=True)
    comment = {
        "name": "Ada",
        "email": "ada@example.net",
        "body": "Caseloads have doubled.",
        "started": form_token(article, when=time.time() - 60),
    }
    assert client.post(post_url(article), comment, REMOTE_ADDR=ip).status_code == 302
    client.post("/subscribe/", {"email": "ada@example.net", "frequency": "daily"}, REMOTE_ADDR=ip)
    client.post(reverse("admin:login"), {"username": "Ada", "password": "x"}, REMOTE_ADDR=ip)

    for scope, value in [
        ("comments", ip),
        ("subscribe.ip", ip),
        ("subscribe.address", "ada@example.net"),
        ("login.ip", ip),
        ("login.user", "ada"),
    ]:
        assert cache.get(throttle_key(scope, value)) == 1, scope


def test_the_limit_th_failure_locks_out_for_the_window(local_cache):
    for _n in range(4):
        assert not lockout_failure("login.user", "ada", limit=5, window=900)
    lockout_check(("login.user", "ada"))
    assert lockout_failure("login.user", "ada", limit=5, window=900)

    with pytest.raises(RateLimited) as locked:
        lockout_check(("login.ip", "203.0.113.5"), ("login.user", "ada"), message="Wait.")
    assert locked.value.retry_after == 900
    assert locked.value.message == "Wait."

    local_cache.shift(901)
    lockout_check(("login.user", "ada"))


def test_forgiving_clears_the_count_but_not_a_lock_in_force():
    for _n in range(4):
        lockout_failure("login.user", "ada", limit=5, window=900)
    lockout_forgive("login.user", "ada")
    for _n in range(4):
        assert not lockout_failure("login.user", "ada", limit=5, window=900)
    assert lockout_failure("login.user", "ada", limit=5, window=900)
    lockout_forgive("login.user", "ada")
    with pytest.raises(RateLimited):
        lockout_check(("login.user", "ada"))


@pytest.mark.django_db
def test_refused_subscribe_requests_say_when_to_retry(client, settings):
    settings.SUBSCRIPTIONS_RATE_LIMIT_IP = 1
    data = {"email": "ada@example.net", "frequency": "daily"}
    assert client.post("/subscribe/", data).status_code == 200
    response = client.post("/subscribe/", data)
    assert response.status_code == 429
    assert 3590 <= int(response["Retry-After"]) <= 3600
