import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from subscriptions.admin import digest_panel
from subscriptions.models import Delivery, Digest, Subscriber
from subscriptions.services import digest_prepare
from tests.blog.factories import StaffFactory
from tests.factories import ArticleFactory, UserFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True, is_superuser=True, email="editor@example.org")
    client.force_login(user)
    return user


def action(client, model: str, name: str, pks: list[int]):
    return client.post(
        reverse(f"admin:subscriptions_{model}_changelist"),
        {"action": name, "_selected_action": pks},
    )


def test_subscriber_list_searches_and_filters(client, editor):
    SubscriberFactory(email="findme@example.net", tags=["prisons"])
    SubscriberFactory(email="other@example.net", pending=True)
    url = reverse("admin:subscriptions_subscriber_changelist")

    html = client.get(url, {"q": "findme"}).content.decode()
    assert "findme@example.net" in html and "other@example.net" not in html
    assert "prisons" in html
    html = client.get(url, {"status__exact": "pending"}).content.decode()
    assert "other@example.net" in html and "findme@example.net" not in html
    assert client.get(url, {"frequency__exact": "weekly"}).status_code == 200


def test_subscribers_export_as_csv(client, editor):
    subscriber = SubscriberFactory(email="export@example.net", tags=["prisons", "courts"])
    response = action(client, "subscriber", "export_csv", [subscriber.pk])
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["email", "status", "frequency"]
    assert rows[1][:3] == ["export@example.net", "active", "daily"]
    assert set(rows[1][3].split()) == {"prisons", "courts"}


def test_csv_export_defuses_spreadsheet_formulas(client, editor):
    subscriber = SubscriberFactory(email="=cmd@example.net")
    response = action(client, "subscriber", "export_csv", [subscriber.pk])
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][0] == "'=cmd@example.net"


def test_subscriber_change_form_opens(client, editor):
    subscriber = SubscriberFactory(tags=["prisons"])
    url = reverse("admin:subscriptions_subscriber_change", args=[subscriber.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:subscriptions_announcement_changelist")).status_code == 200


def test_resend_confirmation_queues_emails_for_pending_subscribers(client, editor):
    pending = SubscriberFactory(pending=True)
    active = SubscriberFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        action(client, "subscriber", "resend_confirmation", [pending.pk, active.pk])
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [pending.pk]


def test_deleting_a_subscriber_erases_their_deliveries(client, editor):
    subscriber = SubscriberFactory()
    other = SubscriberFactory()
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    response = client.post(
        reverse("admin:subscriptions_subscriber_changelist"),
        {"action": "delete_selected", "_selected_action": [subscriber.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert list(Delivery.objects.values_list("subscriber", flat=True)) == [other.pk]


def test_delivery_list_shows_status_attempts_and_errors(client, editor):
    subscriber = SubscriberFactory(email="bounce@example.net")
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    Delivery.objects.update(status="failed", attempts=3, last_error="550 5.1.1 No such user")
    url = reverse("admin:subscriptions_delivery_changelist")

    html = client.get(url, {"status__exact": "failed"}).content.decode()
    assert "bounce@example.net" in html and "550 5.1.1 No such user" in html
    assert client.get(url, {"digest__period__exact": "daily"}).status_code == 200
    delivery = Delivery.objects.get()
    assert (
        client.get(reverse("admin:subscriptions_delivery_change", args=[delivery.pk])).status_code
        == 200
    )

    action(client, "delivery", "retry", [delivery.pk])
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 0
    assert subscriber.pk == delivery.subscriber_id


def test_digest_list_counts_deliveries(client, editor):
    SubscriberFactory.create_batch(3)
    ArticleFactory(published=True)
    digest_prepare(period="daily")
    Delivery.objects.filter(pk=Delivery.objects.first().pk).update(status="sent")
    html = client.get(reverse("admin:subscriptions_digest_changelist")).content.decode()
    assert "Daily #1" in html
    digest = Digest.objects.get()
    assert (
        client.get(reverse("admin:subscriptions_digest_change", args=[digest.pk])).status_code
        == 200
    )


def test_send_test_digest_to_me(client, editor):
    ArticleFactory(published=True, title="Test me")
    plan = digest_prepare(period="daily")
    response = action(client, "digest", "send_test_to_me", [plan.digest.pk])
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["editor@example.org"]
    assert "Test me" in message.body
    assert "test send to an editor" in message.body
    assert not Delivery.objects.filter(subscriber__email="editor@example.org").exists()


# The dashboard panel on the admin index.

INDEX = reverse("admin:index")


def make_digest(deliveries: int) -> Digest:
    now = timezone.now()
    digest = Digest.objects.create(
        period=Digest.Period.DAILY,
        sequence=Digest.objects.count() + 1,
        since=now - datetime.timedelta(days=1),
        until=now,
    )
    add_deliveries(digest, deliveries)
    return digest


def add_deliveries(digest: Digest, count: int) -> None:
    for n in range(count):
        Delivery.objects.create(
            subscriber=SubscriberFactory(),
            digest=digest,
            status=Delivery.Status.FAILED if n % 2 else Delivery.Status.SENT,
        )


def test_dashboard_shows_how_the_last_digests_deliveries_stand(client, editor):
    make_digest(4)
    latest = make_digest(3)

    response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Last digest" in html and str(latest) in html
    assert re.search(r"<th scope=\"row\">Sent</th><td>2</td>", html)
    assert re.search(r"<th scope=\"row\">Failed</th><td>1</td>", html)


def test_dashboard_says_when_no_digest_has_been_sent(client, editor):
    response = client.get(INDEX)

    assert response.status_code == 200
    assert "No digest has been sent yet." in response.content.decode()


def test_moderators_see_no_digest_panel(client):
    make_digest(1)
    client.force_login(StaffFactory(moderator=True))

    response = client.get(INDEX)

    assert response.status_code == 200
    assert 'id="dashboard-digest"' not in response.content.decode()


def test_digest_panel_queries_do_not_grow_with_deliveries(client, editor):
    digest = make_digest(1)
    client.get(INDEX)  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        response = client.get(INDEX)
    assert response.status_code == 200
    assert re.search(r"<th scope=\"row\">Sent</th><td>1</td>", response.content.decode())

    add_deliveries(digest, 11)
    with CaptureQueriesContext(connection) as many:
        response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<th scope=\"row\">Sent</th><td>7</td>", html)
    assert re.search(r"<th scope=\"row\">Failed</th><td>5</td>", html)
    assert len(many) == len(one), (len(one), len(many))


def test_digest_panel_costs_two_queries(rf, editor):
    make_digest(12)
    request = rf.get(INDEX)
    request.user = editor
    request.user.has_perm("subscriptions.view_delivery")  # loads the permissions once

    with CaptureQueriesContext(connection) as queries:
        panel = digest_panel(request)

    assert sorted(panel["statuses"]) == [("Failed", 6), ("Sent", 6)]
    assert len(queries) == 2
