"""Emails in the reader's language: the one they subscribed in (or chose on the manage page),
whatever language the worker that composes them runs in."""

import datetime
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from subscriptions import emails
from subscriptions.emails import Composer
from subscriptions.models import Subscriber
from subscriptions.services import announcements_prepare, deliveries_send_due, digest_prepare
from tests.factories import ArticleFactory, UserFactory
from tests.inspections.factories import FindingFactory, InspectionFactory, OrganisationFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

ORIGIN = {"origin": "https://oversight.example"}


def welsh_client() -> Client:
    """A reader who chose Welsh with the language switcher (its cookie)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def to(address: str):
    [message] = [m for m in mail.outbox if m.to == [address]]
    return message


def assert_says(message, *, subject: str, body: str) -> None:
    """`subject` in the subject, `body` in the plain and the HTML parts."""
    assert subject in message.subject
    assert body in message.body
    html = html_of(message)
    assert body in html or escape(body) in html  # translated words are not escaped


def test_a_reader_subscribing_in_welsh_is_asked_to_confirm_in_welsh(on_commit, run_tasks):
    with on_commit():
        welsh_client().post("/subscribe/", {"email": "cy@example.net", "frequency": "daily"})
        Client().post("/subscribe/", {"email": "en@example.net", "frequency": "daily"})
    with translation.override("en-gb"):  # the worker's own language does not matter
        run_tasks()

    assert Subscriber.objects.get(email="cy@example.net").language == "cy"
    assert Subscriber.objects.get(email="en@example.net").language == "en-gb"
    welsh = to("cy@example.net")
    assert_says(
        welsh,
        subject="Cadarnhewch eich tanysgrifiad i Oversight",
        body="Os na ofynnoch chi, anwybyddwch yr e-bost hwn: ni fyddwn yn anfon dim byd arall.",
    )
    english = to("en@example.net")
    assert_says(
        english,
        subject="Confirm your subscription to Oversight",
        body="If you did not ask, ignore this email: we will send nothing else.",
    )
    # The Welsh link opens the page in Welsh on any device (no cookie), and still confirms.
    link = re.search(r"https://oversight\.example(/subscribe/confirm/\S+)", welsh.body)[1]
    assert link.endswith("/?lang=cy")
    assert "?lang=" not in english.body
    page = Client().get(link)
    assert page.status_code == 200 and 'lang="cy"' in page.content.decode()
    response = Client().post(link)
    assert response.status_code == 302 and response["Location"].endswith("/?lang=cy")
    assert Subscriber.objects.get(email="cy@example.net").status == "active"


def test_a_subscribed_address_keeps_its_language_whoever_asks(on_commit, run_tasks):
    SubscriberFactory(email="cy@example.net", language="cy")
    with on_commit():
        Client().post("/subscribe/", {"email": "cy@example.net", "frequency": "weekly"})
    run_tasks()
    assert Subscriber.objects.get().language == "cy"
    [reminder] = mail.outbox  # their manage link, in their language
    assert reminder.subject == "Rydych chi eisoes wedi tanysgrifio i Oversight"
    assert re.search(r"/subscribe/manage/\S+/\?lang=cy", reminder.body)


def test_subscribing_again_from_the_welsh_manage_page_switches_to_welsh(on_commit, run_tasks):
    subscriber = SubscriberFactory(unsubscribed=True, language="en-gb")
    with on_commit():
        welsh_client().post(subscriber.get_manage_url())
    run_tasks()
    subscriber.refresh_from_db()
    assert subscriber.status == "pending" and subscriber.language == "cy"
    assert "Cadarnhewch eich tanysgrifiad" in mail.outbox[0].subject


def test_follow_confirmations_are_in_the_subscriber_language(on_commit, run_tasks):
    SubscriberFactory(email="cy@example.net", language="cy")
    kent = OrganisationFactory(name="Kent CRC")
    with on_commit():
        # Someone on the English interface: the Welsh subscriber still reads Welsh.
        Client().post(
            "/subscribe/follow/",
            {"email": "cy@example.net", "kind": "organisation", "target": str(kent.pk)},
            headers=ORIGIN,
        )
        welsh_client().post(
            "/subscribe/follow/",
            {"email": "new@example.net", "kind": "organisation", "target": str(kent.pk)},
            headers=ORIGIN,
        )
    run_tasks()

    assert Subscriber.objects.get(email="cy@example.net").language == "cy"
    assert Subscriber.objects.get(email="new@example.net").language == "cy"
    follow = to("cy@example.net")
    assert_says(
        follow,
        subject="Cadarnhewch: dilyn Kent CRC ar Oversight",
        body="(Sefydliad)",
    )
    assert re.search(r"/subscribe/follow/\S+/\?lang=cy", follow.body)
    assert "Cadarnhewch eich tanysgrifiad" in to("new@example.net").subject


def test_one_batch_sends_each_reader_the_digest_in_their_language(settings):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 50
    SubscriberFactory(email="cy@example.net", language="cy")
    SubscriberFactory(email="en@example.net", language="en-gb")
    SubscriberFactory(email="site@example.net", language="")  # before languages: the site's
    SubscriberFactory(email="cy2@example.net", language="cy")
    ArticleFactory(published=True, title="Caseloads")
    digest_prepare(period="daily")

    with translation.override("cy"):  # a worker in Welsh still writes English to the English
        report = deliveries_send_due()

    assert report.sent == 4
    for address in ("cy@example.net", "cy2@example.net"):
        welsh = to(address)
        assert_says(
            welsh,
            subject="Oversight heddiw: Caseloads",
            body="Rydych chi'n cael yr e-bost hwn oherwydd i chi danysgrifio i Oversight "
            "(Crynodeb dyddiol)",
        )
        unsubscribe = welsh.extra_headers["List-Unsubscribe"]
        assert re.fullmatch(
            r"<https://oversight\.example/subscribe/unsubscribe/\S+/\?lang=cy>", unsubscribe
        )
    for address in ("en@example.net", "site@example.net"):
        english = to(address)
        assert_says(
            english,
            subject="Oversight today: Caseloads",
            body="You get this email because you subscribed to Oversight (Daily digest)",
        )
        assert "?lang=" not in english.extra_headers["List-Unsubscribe"]


def test_the_links_of_a_welsh_digest_work(client):
    reader = SubscriberFactory(language="cy")
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    deliveries_send_due()
    [message] = mail.outbox
    manage = re.search(r"https://oversight\.example(/subscribe/manage/\S+)", message.body)[1]
    page = client.get(manage)
    assert page.status_code == 200 and "Iaith y negeseuon e-bost" in page.content.decode()
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    response = client.post(unsubscribe, {"List-Unsubscribe": "One-Click"})  # RFC 8058
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.status == "unsubscribed"


def test_new_article_and_inspection_alerts_are_in_the_reader_language():
    SubscriberFactory(email="cy@example.net", language="cy", each=True)
    SubscriberFactory(email="en@example.net", each=True)
    ArticleFactory(published=True, title="Caseloads")
    inspection = InspectionFactory(
        title="Kent inspection",
        published_on=timezone.localdate(),
        live_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    FindingFactory(inspection=inspection, polarity="strength", text="Good supervision.")
    announcements_prepare()
    deliveries_send_due()

    welsh = [m for m in mail.outbox if m.to == ["cy@example.net"]]
    english = [m for m in mail.outbox if m.to == ["en@example.net"]]
    assert len(welsh) == len(english) == 2
    article, alert = sorted(welsh, key=lambda m: "Arolygiad" in m.subject)
    assert_says(article, subject="Newydd ar Oversight: Caseloads", body="Newydd ar Oversight:")
    assert_says(alert, subject="Arolygiad newydd ar Oversight: Kent inspection", body="Cryfder")
    article, alert = sorted(english, key=lambda m: "inspection" in m.subject)
    assert_says(article, subject="New on Oversight: Caseloads", body="New on Oversight:")
    assert_says(alert, subject="New inspection on Oversight: Kent inspection", body="Strength")


def test_the_render_cache_never_gives_one_language_email_to_another():
    english, welsh = SubscriberFactory(), SubscriberFactory(language="cy")
    english_too = SubscriberFactory()
    ArticleFactory(published=True, title="Caseloads")
    plan = digest_prepare(period="daily")
    composer = Composer(digest_ids=[plan.digest.pk])
    articles = composer.digest_articles[plan.digest.pk]

    def send(subscriber):
        return composer.message(
            to=subscriber.email,
            kind="digest",
            period="daily",
            articles=articles,
            subscriber=subscriber,
        )

    assert "today" in send(english).subject
    welsh_email = send(welsh)
    assert "heddiw" in welsh_email.subject
    # Still serialised once and filled in per reader, links and all.
    assert welsh_email.raw is not None
    assert welsh.get_unsubscribe_url().encode() + b"?lang=cy" in welsh_email.raw
    assert "today" in send(english_too).subject
    keys = list(emails._rendered._entries)
    assert len(keys) == 2  # one render a language, however many readers
    assert {"en-gb", "cy"} <= {part for key in keys for part in key if isinstance(part, str)}


def test_mixed_languages_cost_no_more_queries(django_assert_max_num_queries, settings):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 50
    ArticleFactory(published=True)
    SubscriberFactory()
    digest_prepare(period="daily")
    with django_assert_max_num_queries(20) as one:
        deliveries_send_due()
    ArticleFactory(published=True)
    for n in range(10):
        SubscriberFactory(language="cy" if n % 2 else "en-gb")
    digest_prepare(period="daily")
    with django_assert_max_num_queries(20) as eleven:
        deliveries_send_due()
    assert len(eleven.captured_queries) == len(one.captured_queries)


# The manage page


def test_the_manage_page_offers_the_email_language_in_each_language_own_words(client):
    subscriber = SubscriberFactory(language="")
    html = client.get(subscriber.get_manage_url()).content.decode()
    assert '<select name="language"' in html
    assert '<option value="en-gb" selected lang="en-gb">British English</option>' in html
    assert '<option value="cy" lang="cy">Cymraeg</option>' in html
    html = welsh_client().get(subscriber.get_manage_url()).content.decode()
    assert "Iaith y negeseuon e-bost" in html


def test_changing_the_email_language_on_the_manage_page(client):
    subscriber = SubscriberFactory(language="en-gb")
    url = subscriber.get_manage_url()
    response = client.post(url, {"frequency": "daily", "everything": "all", "language": "cy"})
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.language == "cy"
    # Left out (an older form): unchanged.
    client.post(url, {"frequency": "weekly", "everything": "all"})
    subscriber.refresh_from_db()
    assert subscriber.language == "cy" and subscriber.frequency == "weekly"


@pytest.mark.parametrize("code", ["fr", "xx-evil", "<script>", "c" * 300])
def test_an_unknown_language_is_a_form_error_not_a_crash(client, code):
    subscriber = SubscriberFactory(language="cy")
    response = client.post(
        subscriber.get_manage_url(), {"frequency": "daily", "everything": "all", "language": code}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice." in html and 'href="#id_language"' in html
    subscriber.refresh_from_db()
    assert subscriber.language == "cy"


def test_the_welsh_manage_page_explains_a_bad_language_in_welsh():
    subscriber = SubscriberFactory()
    response = welsh_client().post(
        subscriber.get_manage_url(), {"frequency": "daily", "language": "fr"}
    )
    assert response.status_code == 400
    assert "Dewiswch ddewisiad dilys" in response.content.decode()


def test_a_stored_language_the_site_no_longer_offers_falls_back_to_the_site_language():
    subscriber = SubscriberFactory(language="fr")
    assert subscriber.email_language == settings.LANGUAGE_CODE


# Editors


def test_the_subscriber_admin_shows_and_filters_by_language(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    SubscriberFactory(email="cy@example.net", language="cy")
    SubscriberFactory(email="en@example.net", language="en-gb")
    url = reverse("admin:subscriptions_subscriber_changelist")
    html = client.get(url).content.decode()
    assert "column-language" in html and "Welsh" in html
    html = client.get(url, {"language__exact": "cy"}).content.decode()
    assert "cy@example.net" in html and "en@example.net" not in html
