import datetime
import json
import re

import pytest
import time_machine
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core import mail
from django.utils import timezone

from comments.models import Comment
from core.tokens import make_token
from privacy.models import TOKEN_SALT, DataRequest
from subscriptions.models import Delivery, Subscriber
from tests.comments.factories import CommentFactory
from tests.privacy.conftest import link_in

pytestmark = pytest.mark.django_db


def test_the_privacy_page_states_the_real_retention_numbers(client, settings):
    settings.PRIVACY_RETENTION_DAYS = 45
    settings.PRIVACY_LINK_MAX_AGE_HOURS = 12
    settings.COMMENTS_COOKIE_MAX_AGE = 60 * 60 * 24 * 30
    settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS = 5

    response = client.get("/privacy/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h3" in html and "Comments" in html and "Email subscriptions" in html
    assert "A keyed hash of your IP address" in html
    assert "45 days" in html and "90 days" not in html
    assert "12 hours" in html
    assert "30 days" in html  # the "remember me" cookie
    assert "works for 5 days" in html
    assert "never shown" in html
    assert 'href="/privacy/request/"' in html


def test_the_privacy_page_shows_the_editors_flat_page_first(client):
    page = FlatPage.objects.create(
        url="/privacy/", title="Privacy notice", content="<p>We are <em>Oversight Ltd</em>.</p>"
    )
    page.sites.add(Site.objects.get_current())

    html = client.get("/privacy/").content.decode()

    assert "<h1>Privacy notice</h1>" in html
    assert "<p>We are <em>Oversight Ltd</em>.</p>" in html
    assert html.index("Oversight Ltd") < html.index("What we keep")


def test_the_privacy_page_query_count_is_pinned(client, django_assert_num_queries):
    response = client.get("/privacy/")  # warms the per-process caches (site, sidebar)
    assert response.status_code == 200 and "What we keep" in response.content.decode()
    with django_assert_num_queries(1):  # the editors' flat page
        assert client.get("/privacy/").status_code == 200


def test_the_request_form_asks_for_an_address(client):
    response = client.get("/privacy/request/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="email" name="email"' in html and 'name="csrfmiddlewaretoken"' in html
    assert 'action="/privacy/request/"' in html and 'method="post"' in html


def test_an_invalid_address_is_a_400_with_the_error(client):
    response = client.post("/privacy/request/", {"email": "not an address\r\nBcc: x@y.z"})
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not DataRequest.objects.exists() and not mail.outbox


def test_a_known_address_is_emailed_a_link_that_expires(ask, ada_and_bob, settings):
    response = ask("ada@example.net")

    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["ada@example.net"]
    assert "/privacy/data/" in message.body and "24 hours" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    request = DataRequest.objects.get()
    assert request.email == "ada@example.net"
    assert "ada" not in link_in(message)  # the link names a random key, not the address


def _page(response, email: str) -> str:
    html = response.content.decode().replace(email, "ADDRESS")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_an_unknown_address_gets_the_same_answer_and_no_email(ask, ada_and_bob):
    known = ask("ada@example.net")
    mail.outbox.clear()

    unknown = ask("nobody@example.net")

    assert unknown.status_code == known.status_code == 200
    assert _page(unknown, "nobody@example.net") == _page(known, "ada@example.net")
    assert not mail.outbox
    assert not DataRequest.objects.filter(email="nobody@example.net").exists()


def test_requests_are_rate_limited_per_address_whether_known_or_not(ask, settings):
    settings.PRIVACY_RATE_LIMIT_ADDRESS = 2
    for _ in range(2):
        assert ask("nobody@example.net").status_code == 200

    refused = ask("NOBODY@example.net")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many requests" in refused.content.decode()


def test_requests_are_rate_limited_per_ip(ask, settings):
    settings.PRIVACY_RATE_LIMIT_IP = 2
    ask("one@example.net")
    ask("two@example.net")
    assert ask("three@example.net").status_code == 429
    assert ask("four@example.net", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_the_link_page_shows_what_is_held_and_asks_before_erasing(
    client, emailed_link, ada_and_bob
):
    link = emailed_link("ada@example.net")

    response = client.get(link)

    html = response.content.decode()
    assert response.status_code == 200
    assert "ada@example.net" in html
    assert "2 comments" in html  # the published one and the held one, whatever the case
    assert "A subscription (active) and a record of 1 email sent to it" in html
    assert f'action="{link}erase/"' in html and 'method="post"' in html
    assert f'href="{link}download/"' in html
    assert Comment.objects.filter(email="ada@example.net").exists()  # a GET erases nothing


def test_the_link_page_query_count_is_pinned(
    client, emailed_link, ada_and_bob, django_assert_num_queries
):
    link = emailed_link("ada@example.net")
    assert "2 comments" in client.get(link).content.decode()
    # the request; comments counted; subscriber, its deliveries counted
    with django_assert_num_queries(4):
        assert client.get(link).status_code == 200


def test_the_download_holds_the_address_data_and_nothing_of_anyone_else(
    client, emailed_link, ada_and_bob
):
    link = emailed_link("ada@example.net")

    response = client.get(f"{link}download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["address"] == "ada@example.net"
    assert [c["comment"] for c in data["comments"]] == [
        "Caseloads are too high. Write to me at ada@example.net.",
        "A held second thought.",
    ]
    first = data["comments"][0]
    assert first["name"] == "Ada Lovelace" and first["website"] == "https://ada.example"
    assert first["ip_address_hash"] == "a" * 64 and first["user_agent"] == "Ada's browser"
    assert first["interface_language"] == ""  # written on the site's own language
    assert first["url"].startswith("https://oversight.example/articles/caseloads/#comment-")
    [subscription] = data["subscriptions"]
    assert subscription["email"] == "ada@example.net" and subscription["tags"] == ["prisons"]
    assert [d["article"] for d in subscription["deliveries"]] == ["Probation caseloads"]
    text = response.content.decode()
    assert "bob" not in text.lower() and "b" * 64 not in text


def test_the_download_query_count_is_pinned(
    client, emailed_link, ada_and_bob, django_assert_num_queries
):
    link = emailed_link("ada@example.net")
    assert "Caseloads" in client.get(f"{link}download/").content.decode()
    # request; comments, their targets; subscriber, its tags, its follows, its deliveries
    with django_assert_num_queries(7):
        assert client.get(f"{link}download/").status_code == 200


def test_erasing_leaves_nothing_that_names_the_address_and_keeps_threads(
    client, emailed_link, ada_and_bob
):
    link = emailed_link("ada@example.net")

    response = client.post(f"{link}erase/")

    assert response.status_code == 200
    assert "erased" in response.content.decode()
    ada, bob = ada_and_bob["ada"], ada_and_bob["bob"]
    ada.refresh_from_db()
    bob.refresh_from_db()
    assert ada.name == "A reader" and ada.email == "" and ada.website == ""
    assert ada.ip_hash == "" and ada.user_agent == "" and not ada.notify_replies
    assert ada.erased_at is not None and ada.is_public
    assert ada.body == "Caseloads are too high. Write to me at [address removed]."
    assert bob.parent_id == ada.pk and bob.email == "bob@example.net"  # the thread holds
    assert bob.body == "Agreed, Ada ([address removed])."
    assert bob.ip_hash == "b" * 64
    assert not Comment.objects.filter(pk=ada_and_bob["held"].pk).exists()
    assert not Subscriber.objects.filter(email__iexact="ada@example.net").exists()
    assert not Delivery.objects.filter(pk=ada_and_bob["delivery"].pk).exists()
    assert Subscriber.objects.filter(email="bob@example.net").exists()
    assert not DataRequest.objects.exists()
    for model in (Comment, Subscriber, DataRequest):
        for row in model.objects.values():
            assert "ada@example.net" not in str(row).lower(), row
    article_html = client.get("/articles/caseloads/").content.decode()
    assert "A reader" in article_html and "Ada Lovelace" not in article_html
    assert "Agreed, Ada" in article_html
    # The link is spent: its data request went with the rest.
    assert client.get(link).status_code == 404


def test_a_link_scanner_fetching_the_erase_address_erases_nothing(
    client, emailed_link, ada_and_bob
):
    link = emailed_link("ada@example.net")
    assert client.get(f"{link}erase/").status_code == 405
    assert Comment.objects.filter(email="ada@example.net").exists()


def test_erasing_needs_the_csrf_token(emailed_link, ada_and_bob):
    from django.test import Client

    link = emailed_link("ada@example.net")
    assert Client(enforce_csrf_checks=True).post(f"{link}erase/").status_code == 403
    assert Comment.objects.filter(email="ada@example.net").exists()


@pytest.mark.parametrize("suffix", ["", "download/", "erase/"])
def test_a_forged_link_is_a_404(client, suffix):
    request = DataRequest.objects.create(email="ada@example.net")
    forged = make_token("subscriptions.manage", request.key.hex)  # another purpose's token
    response = (client.post if suffix == "erase/" else client.get)(
        f"/privacy/data/{forged}/{suffix}"
    )
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert client.get(f"/privacy/data/{request.token()}x/{suffix}").status_code in {404, 405}


@pytest.mark.parametrize("suffix", ["", "download/", "erase/"])
def test_an_expired_link_is_a_400_that_says_so(client, suffix, ada_and_bob):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=25), tick=False):
        request = DataRequest.objects.create(email="ada@example.net")
        token = make_token(TOKEN_SALT, request.key.hex)

    response = (client.post if suffix == "erase/" else client.get)(
        f"/privacy/data/{token}/{suffix}"
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "This link has expired" in html and "24 hours" in html
    assert Comment.objects.filter(email="ada@example.net").exists()


def test_a_link_is_for_its_own_address_only(client, emailed_link, ada_and_bob):
    CommentFactory(email="carol@example.net", approved=True)
    link = emailed_link("carol@example.net")

    client.post(f"{link}erase/")

    assert Comment.objects.filter(email="ada@example.net").exists()
    assert Subscriber.objects.filter(email="ada@example.net").exists()
    assert not Comment.objects.filter(email="carol@example.net").exists()
