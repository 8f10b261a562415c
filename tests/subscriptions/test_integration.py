"""End to end through a real SMTP server: subscribe, confirm, digest, retries, unsubscribe."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from subscriptions.models import Delivery, Digest, Subscriber
from tests.factories import ArticleFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def link(text: str, kind: str) -> str:
    """The site path of the first /subscribe/<kind>/<token>/ link in `text`."""
    match = re.search(rf"https://oversight\.example(/subscribe/{kind}/[^/\s\"]+/)", text)
    assert match, f"no {kind} link in:\n{text}"
    return match.group(1)


def parts(message) -> tuple[str, str]:
    """(plain text, HTML) of a multipart/alternative message."""
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def send_digests(*args: str) -> None:
    call_command("send_digests", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def time_passes() -> None:
    """Make every retry due now (the clock is not moved: the SMTP server runs on it too)."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    Delivery.objects.filter(status=Delivery.Status.PENDING).update(next_attempt_at=past)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)


def test_subscribe_confirm_digest_and_one_click_unsubscribe(
    client, smtp_server, on_commit, run_tasks
):
    with on_commit():
        response = client.post("/subscribe/", {"email": "Reader@Example.net", "frequency": "daily"})
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    run_tasks()

    [confirmation] = smtp_server.messages
    assert confirmation["To"] == "Reader@Example.net"
    assert "Confirm your subscription" in confirmation["Subject"]
    text, html = parts(confirmation)
    confirm_path = link(text, "confirm")
    assert confirm_path in html
    assert client.get(confirm_path).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # a GET only asks
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE

    with on_commit():
        first = ArticleFactory(
            published=True, title="Caseloads out of control", standfirst="What they found."
        )
        second = ArticleFactory(published=True, title="Prisons & probation")
        ArticleFactory(title="An unfinished draft")
    with on_commit():
        send_digests()
    run_tasks()

    [digest] = smtp_server.messages[1:]
    assert digest["To"] == "Reader@Example.net"
    assert "Prisons & probation" in digest["Subject"] and "and 1 more" in digest["Subject"]
    unsubscribe_path = link(digest["List-Unsubscribe"], "unsubscribe")
    # (Long headers are folded onto a continuation line, which parsers unfold.)
    assert digest["List-Unsubscribe"].strip() == f"<https://oversight.example{unsubscribe_path}>"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digest["List-Id"] == "Oversight newsletter <newsletter.oversight.example>"
    assert re.fullmatch(r"<[^@>]+@oversight\.example>", digest["Message-ID"])
    text, html = parts(digest)
    for body in (text, html):
        assert "Caseloads out of control" in body
        assert f"https://oversight.example{first.get_absolute_url()}" in body
        assert f"https://oversight.example{second.get_absolute_url()}" in body
        assert unsubscribe_path in body and link(body, "manage")
        assert "An unfinished draft" not in body
        assert "because you subscribed" in body
    assert "What they found." in text
    assert "Prisons &amp; probation" in html
    assert first.author.profile.display_name in text
    assert 'href="/' not in html and 'src="/' not in html
    for path in (first.get_absolute_url(), link(text, "manage")):
        assert client.get(path).status_code == 200, path

    # Running the command and the workers again sends nothing more.
    with on_commit():
        send_digests()
    run_tasks()
    assert len(smtp_server.messages) == 2
    assert Digest.objects.count() == 1

    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(unsubscribe_path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None

    with on_commit():
        ArticleFactory(published=True, title="After leaving")
        send_digests()
    run_tasks()
    assert len(smtp_server.messages) == 2


def test_refusals_are_retried_and_nothing_is_lost_or_doubled(smtp_server, on_commit, run_tasks):
    readers = [SubscriberFactory(email=f"reader{n}@example.net") for n in range(3)]
    with on_commit():
        ArticleFactory(published=True, title="Inspection day")
        send_digests()

    smtp_server.data_reply = "451 4.3.0 Mailbox busy, try again later"
    run_tasks()
    assert smtp_server.messages == []
    deliveries = Delivery.objects.order_by("pk")
    assert [d.status for d in deliveries] == ["pending"] * 3
    assert all(d.attempts == 1 and d.next_attempt_at > timezone.now() for d in deliveries)
    assert "451" in deliveries[0].last_error
    assert run_tasks() == 0  # the retry is not due yet

    smtp_server.data_reply = None
    smtp_server.rcpt_replies = {"reader1@example.net": "550 5.1.1 No such user here"}
    time_passes()
    run_tasks()

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "reader0@example.net",
        "reader2@example.net",
    ]
    refused = Delivery.objects.get(subscriber=readers[1])
    assert refused.status == Delivery.Status.FAILED
    assert "550" in refused.last_error
    readers[1].refresh_from_db()
    assert readers[1].status == Subscriber.Status.BOUNCING
    assert readers[1].bounce_count == 1
    assert Delivery.objects.filter(status="sent").count() == 2

    # It comes back: rerunning everything sends no duplicates and revives no failure.
    smtp_server.rcpt_replies = {}
    time_passes()
    with on_commit():
        send_digests()
    run_tasks()
    assert len(smtp_server.messages) == 2
    assert Delivery.objects.get(subscriber=readers[1]).status == Delivery.Status.FAILED


def test_a_server_that_is_down_delays_sending_until_it_is_back(
    settings, smtp_server, on_commit, closed_port, run_tasks
):
    SubscriberFactory(email="patient@example.net")
    with on_commit():
        ArticleFactory(published=True)
        send_digests()
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, closed_port
    run_tasks()
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.attempts == 1
    assert "Connection failed" in delivery.last_error

    settings.EMAIL_PORT = port
    time_passes()
    run_tasks()
    assert [m["To"] for m in smtp_server.messages] == ["patient@example.net"]
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_each_article_subscribers_get_one_email_per_article(smtp_server, on_commit, run_tasks):
    SubscriberFactory(email="eager@example.net", each=True)
    SubscriberFactory(email="prisons@example.net", each=True, tags=["prisons"])
    with on_commit():
        article = ArticleFactory(published=True, title="Probation news", tags=["probation"])
    run_tasks()

    [message] = smtp_server.messages
    assert message["To"] == "eager@example.net"
    assert message["Subject"] == "New on Oversight: Probation news"
    text, _html = parts(message)
    assert f"https://oversight.example{article.get_absolute_url()}" in text

    with on_commit():
        article.title = "Probation news (corrected)"
        article.save()
        send_digests()
    run_tasks()
    assert len(smtp_server.messages) == 1


def test_scheduled_articles_are_announced_when_their_time_comes(smtp_server, on_commit, run_tasks):
    SubscriberFactory(email="eager@example.net", each=True)
    with on_commit():
        article = ArticleFactory(scheduled=True, title="Embargoed report")
    run_tasks()
    assert smtp_server.messages == []

    # Its time comes without any save; the next send_digests run catches it up.
    article.published_at = timezone.now() - datetime.timedelta(minutes=1)
    type(article).objects.filter(pk=article.pk).update(published_at=article.published_at)
    with on_commit():
        send_digests("--announce-only")
    run_tasks()
    assert [m["Subject"] for m in smtp_server.messages] == ["New on Oversight: Embargoed report"]


def test_one_smtp_connection_per_batch(settings, smtp_server, on_commit, run_tasks):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 5
    settings.SUBSCRIPTIONS_SEND_PARALLELISM = 1
    SubscriberFactory.create_batch(12)
    with on_commit():
        ArticleFactory(published=True)
        send_digests()
    run_tasks()
    assert len(smtp_server.messages) == 12
    assert smtp_server.connections == 3


def test_three_permanent_refusals_suppress_an_address(smtp_server, on_commit, run_tasks):
    reader = SubscriberFactory(email="gone@example.net")
    smtp_server.rcpt_replies = {"gone@example.net": "550 5.1.1 Mailbox does not exist"}
    for day in range(4):
        with on_commit():
            ArticleFactory(published=True, title=f"Day {day}")
            send_digests()
        run_tasks()
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.SUPPRESSED
    assert reader.bounce_count == 3
    assert Delivery.objects.filter(subscriber=reader).count() == 3  # none queued after that


def test_an_international_domain_is_sent_the_slow_careful_way(smtp_server, on_commit, run_tasks):
    SubscriberFactory(email="reader@bücher.example")
    with on_commit():
        ArticleFactory(published=True)
        send_digests()
    run_tasks()
    [message] = smtp_server.messages
    assert message["To"] == "reader@xn--bcher-kva.example"
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_a_server_too_slow_to_answer_delays_sending_and_nothing_is_doubled(
    settings, smtp_server, on_commit, run_tasks
):
    settings.EMAIL_TIMEOUT = 1
    readers = SubscriberFactory.create_batch(3)
    smtp_server.rcpt_delay = 3  # longer than the client waits
    with on_commit():
        ArticleFactory(published=True, title="Slow day")
        send_digests()
    run_tasks()
    assert smtp_server.messages == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.PENDING}
    assert all(d.attempts >= 1 for d in Delivery.objects.all())

    smtp_server.rcpt_delay = 0
    time_passes()
    run_tasks()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(r.email for r in readers)
    time_passes()
    run_tasks()
    assert len(smtp_server.messages) == 3
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
