import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from taggit.models import Tag

from core.tokens import make_token
from subscriptions.models import Delivery, Subscriber
from tests.factories import ArticleFactory, ResourcePackFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

SUBSCRIBE_QUERIES = 2  # featured resource pack (then cached), tags on offer
MANAGE_QUERIES = 5  # subscriber by key, their tags, their follows, tags on offer, featured pack


def subscribe(client, email="reader@example.net", **data):
    return client.post("/subscribe/", {"email": email, "frequency": "daily", **data})


def test_subscribe_page_offers_frequencies_and_the_tags_in_use(client):
    ArticleFactory(published=True, tags=["Prisons", "Probation"])
    ArticleFactory(tags=["Secret draft tag"])

    response = client.get("/subscribe/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="daily"' in html and 'value="each"' in html and 'value="weekly"' in html
    assert re.search(r'value="daily"[^>]*checked', html)
    assert "Prisons" in html and "Probation" in html
    assert "Secret draft tag" not in html
    assert 'name="csrfmiddlewaretoken"' not in html  # checked by origin: no cookie needed


def test_every_page_has_the_subscribe_box_in_the_sidebar(client):
    html = client.get("/").content.decode()
    box = re.search(r'<form class="subscribe-box".*?</form>', html, re.S).group(0)
    assert 'action="/subscribe/"' in box and 'method="post"' in box
    assert 'name="csrfmiddlewaretoken"' not in box
    assert 'type="email" name="email"' in box
    assert '<option value="daily" selected>' in box
    assert 'href="/subscribe/"' in html  # the menu entry


def test_the_sidebar_form_subscribes_from_a_page_that_set_no_cookie():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/")
    assert page.status_code == 200 and not page.cookies
    assert 'class="subscribe-box"' in page.content.decode()

    response = client.post(
        "/subscribe/",
        {"email": "side@example.net", "frequency": "weekly"},
        headers={"Origin": "https://oversight.example"},
    )

    assert response.status_code == 200
    assert Subscriber.objects.get().frequency == "weekly"


def test_a_subscription_posted_from_another_site_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/subscribe/",
        {"email": "forged@example.net", "frequency": "weekly"},
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    assert not Subscriber.objects.exists()


def test_subscribing_stores_a_pending_subscriber_and_queues_the_confirmation(client, on_commit):
    Tag.objects.create(name="Prisons", slug="prisons")
    ArticleFactory(published=True, tags=["Prisons"])
    tag = Tag.objects.get(name="Prisons")
    with on_commit():
        response = subscribe(client, " Reader@Example.net ", frequency="each", tags=[tag.pk])

    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Reader@Example.net"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.frequency == "each"
    assert list(subscriber.tags.all()) == [tag]
    assert DBTaskResult.objects.get().task_path == "subscriptions.tasks.send_confirmation"


@pytest.mark.parametrize(
    "state",
    [None, {"pending": True}, {}, {"unsubscribed": True}, {"suppressed": True}],
    ids=["unknown", "pending", "active", "unsubscribed", "suppressed"],
)
def test_the_answer_is_the_same_whoever_the_address_is(client, state):
    if state is not None:
        SubscriberFactory(email="someone@example.net", **state)
    response = subscribe(client, "someone@example.net")
    reference = subscribe(Client(REMOTE_ADDR="10.0.0.9"), "someone-else@example.net")

    assert response.status_code == reference.status_code == 200

    def normalised(response, email):
        html = response.content.decode().replace(email, "X")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert normalised(response, "someone@") == normalised(reference, "someone-else@")


def test_resubscribing_after_unsubscribing_needs_confirmation_again(client):
    subscriber = SubscriberFactory(unsubscribed=True, email="back@example.net")
    subscribe(client, "BACK@example.net", frequency="weekly")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.frequency == "weekly"
    assert Subscriber.objects.count() == 1


def test_an_active_subscriber_keeps_their_choices_when_someone_submits_the_address(client):
    subscriber = SubscriberFactory(email="settled@example.net", weekly=True, tags=["prisons"])
    subscribe(client, "settled@example.net", frequency="each")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.frequency == "weekly"
    assert [tag.name for tag in subscriber.tags.all()] == ["prisons"]


@pytest.mark.parametrize(
    "email", ["", "not-an-address", "two@@example.net", "a@b@c", "x" * 250 + "@example.net"]
)
def test_malformed_addresses_are_refused_with_a_message(client, email):
    response = subscribe(client, email)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_unknown_frequency_or_tag_is_refused(client):
    assert subscribe(client, frequency="hourly").status_code == 400
    assert subscribe(client, tags=["999"]).status_code == 400
    assert not Subscriber.objects.exists()


def test_subscribe_requests_from_one_ip_are_rate_limited(client, settings):
    settings.SUBSCRIPTIONS_RATE_LIMIT_IP = 3
    for n in range(3):
        assert subscribe(client, f"reader{n}@example.net").status_code == 200
    response = subscribe(client, "reader9@example.net")
    assert response.status_code == 429
    assert "Too many subscription requests" in response.content.decode()
    assert Subscriber.objects.count() == 3
    assert subscribe(Client(REMOTE_ADDR="192.0.2.1"), "other@example.net").status_code == 200


def test_subscribe_requests_for_one_address_are_rate_limited_across_ips(settings):
    settings.SUBSCRIPTIONS_RATE_LIMIT_ADDRESS = 2
    for n in range(2):
        assert (
            subscribe(Client(REMOTE_ADDR=f"192.0.2.{n}"), "Target@example.net").status_code == 200
        )
    assert subscribe(Client(REMOTE_ADDR="192.0.2.9"), "target@EXAMPLE.net").status_code == 429


def test_at_most_three_confirmation_emails_an_address_a_day(client, settings, on_commit, run_tasks):
    settings.SUBSCRIPTIONS_RATE_LIMIT_ADDRESS = 0
    settings.SUBSCRIPTIONS_RATE_LIMIT_IP = 0
    with on_commit():
        for _n in range(5):
            assert subscribe(client, "patient@example.net").status_code == 200
    run_tasks()
    assert len(mail.outbox) == 3

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1)):
        with on_commit():
            subscribe(client, "patient@example.net")
        run_tasks()
    assert len(mail.outbox) == 4


def test_confirmation_link_asks_then_confirms(client, on_commit):
    subscriber = SubscriberFactory(pending=True)
    url = subscriber.get_confirm_url()

    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm my subscription" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING

    response = client.post(url, follow=True)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.confirmed_at is not None
    assert response.redirect_chain[-1][0] == subscriber.get_manage_url()
    assert "your subscription is confirmed" in response.content.decode()

    again = client.get(url)
    assert again.status_code == 200 and "already confirmed" in again.content.decode()


def test_an_expired_confirmation_link_says_so(client, settings):
    subscriber = SubscriberFactory(pending=True)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=8)):
        url = subscriber.get_confirm_url()
    response = client.post(url)
    assert response.status_code == 400
    assert "This link has expired" in response.content.decode()
    assert "7 days" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING


def test_a_confirmation_link_does_not_revive_an_unsubscribed_address(client):
    subscriber = SubscriberFactory(pending=True)
    url = subscriber.get_confirm_url()
    Subscriber.objects.filter(pk=subscriber.pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    response = client.post(url)
    assert response.status_code == 400
    assert "no longer valid" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.parametrize("kind", ["confirm", "manage", "unsubscribe"])
@pytest.mark.parametrize(
    "forge",
    [
        lambda s: "nonsense",
        lambda s: make_token("subscriptions.manage", "0" * 32, secret=s.token_secret),
        lambda s: s.key.hex + "-" + "A" * 24,
        lambda s: s.token("manage")[:-1] + "x",
        lambda s: "%00",
        lambda s: "x" * 2000,
    ],
)
def test_forged_tokens_get_a_clear_not_found_page(client, kind, forge):
    subscriber = SubscriberFactory()
    for method in (client.get, client.post):
        response = method(f"/subscribe/{kind}/{forge(subscriber)}/")
        assert response.status_code == 404, (kind, method)
        assert "This link is not valid" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_a_token_works_only_for_its_own_purpose(client):
    subscriber = SubscriberFactory()
    manage_token = subscriber.token("manage")
    assert client.post(f"/subscribe/unsubscribe/{manage_token}/").status_code == 404
    assert client.get(f"/subscribe/confirm/{manage_token}/").status_code == 404
    assert client.get(f"/subscribe/manage/{subscriber.token('unsubscribe')}/").status_code == 404


def test_rotating_the_token_breaks_old_links(client):
    subscriber = SubscriberFactory()
    old = subscriber.get_manage_url()
    subscriber.rotate_token()
    assert client.get(old).status_code == 404
    assert client.get(subscriber.get_manage_url()).status_code == 200


def test_manage_page_changes_frequency_and_tags(client, one_signing_second):
    ArticleFactory(published=True, tags=["Prisons", "Probation"])
    prisons = Tag.objects.get(name="Prisons")
    subscriber = SubscriberFactory()
    url = subscriber.get_manage_url()

    page = client.get(url).content.decode()
    assert subscriber.email in page
    assert re.search(r'value="daily"[^>]*checked', page)
    assert subscriber.get_unsubscribe_url() in page

    response = client.post(url, {"frequency": "weekly", "tags": [prisons.pk]}, follow=True)
    assert "Your choices are saved" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.frequency == "weekly"
    assert list(subscriber.tags.all()) == [prisons]
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_manage_page_keeps_offering_a_subscribers_rare_tag(client, settings):
    settings.SUBSCRIPTIONS_TAG_CHOICES = 1
    ArticleFactory(published=True, tags=["Common"])
    ArticleFactory(published=True, tags=["Common"])
    subscriber = SubscriberFactory(tags=["Rare"])
    html = client.get(subscriber.get_manage_url()).content.decode()
    assert "Common" in html and "Rare" in html


def test_manage_page_refuses_bad_input(client):
    subscriber = SubscriberFactory()
    response = client.post(subscriber.get_manage_url(), {"frequency": "hourly"})
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.frequency == "daily"


def test_an_unsubscribed_reader_can_subscribe_again_from_the_manage_page(
    client, on_commit, run_tasks
):
    subscriber = SubscriberFactory(unsubscribed=True)
    page = client.get(subscriber.get_manage_url()).content.decode()
    assert "You are unsubscribed" in page
    with on_commit():
        response = client.post(subscriber.get_manage_url(), follow=True)
    assert "emailed you a link to confirm" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    run_tasks()
    assert "Confirm your subscription" in mail.outbox[0].subject


def test_unsubscribe_link_asks_first_then_unsubscribes(client):
    subscriber = SubscriberFactory()
    delivery = Delivery.objects.create(subscriber=subscriber, article=ArticleFactory())
    url = subscriber.get_unsubscribe_url()

    page = client.get(url)
    assert page.status_code == 200
    assert "Unsubscribe?" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE

    response = client.post(url)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.CANCELLED
    assert client.post(url).status_code == 200  # twice is fine


def test_rfc8058_one_click_unsubscribe_needs_no_csrf_token_or_page():
    subscriber = SubscriberFactory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        subscriber.get_unsubscribe_url(),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_other_forms_still_need_a_csrf_token():
    subscriber = SubscriberFactory()
    client = Client(enforce_csrf_checks=True)
    assert client.post("/subscribe/", {"email": "x@example.net"}).status_code == 403
    assert client.post(subscriber.get_manage_url(), {"frequency": "weekly"}).status_code == 403
    assert client.post(subscriber.get_confirm_url()).status_code == 403


def test_subscription_pages_are_not_cached_or_indexed(client):
    subscriber = SubscriberFactory()
    for url in (subscriber.get_manage_url(), subscriber.get_unsubscribe_url()):
        response = client.get(url)
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
        assert 'name="robots" content="noindex"' in response.content.decode()


def test_subscribe_page_queries_do_not_grow_with_tags(client, django_assert_num_queries):
    ResourcePackFactory(is_featured=True)
    ArticleFactory(published=True, tags=["one"])
    with django_assert_num_queries(SUBSCRIBE_QUERIES):
        response = client.get("/subscribe/")
    assert response.status_code == 200
    assert " one</label>" in response.content.decode()
    for n in range(10):
        ArticleFactory(published=True, tags=[f"tag {n}", f"other {n}"])
    cache.clear()
    with django_assert_num_queries(SUBSCRIBE_QUERIES):
        response = client.get("/subscribe/")
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f" tag {n}</label>" in html and f" other {n}</label>" in html for n in range(10))


def test_manage_page_queries_do_not_grow_with_tags(client, django_assert_num_queries):
    ResourcePackFactory(is_featured=True)
    ArticleFactory(published=True, tags=["one"])
    subscriber = SubscriberFactory(tags=["one"])
    with django_assert_num_queries(MANAGE_QUERIES):
        response = client.get(subscriber.get_manage_url())
    assert response.status_code == 200
    assert " one</label>" in response.content.decode()
    for n in range(10):
        ArticleFactory(published=True, tags=[f"tag {n}"])
    subscriber.tags.add(*Tag.objects.all())
    cache.clear()
    with django_assert_num_queries(MANAGE_QUERIES):
        response = client.get(subscriber.get_manage_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f" tag {n}</label>" in html for n in range(10))
