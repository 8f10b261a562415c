import csv
import io

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from subscriptions.models import Delivery, Digest, Subscriber
from subscriptions.services import digest_prepare
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
