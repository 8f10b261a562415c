import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from subscriptions.models import Announcement, Delivery, Digest
from tests.factories import ArticleFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def send_digests(*args: str) -> str:
    out = StringIO()
    call_command("send_digests", *args, stdout=out)
    return out.getvalue()


def test_send_digests_reports_what_it_queued():
    SubscriberFactory.create_batch(2)
    SubscriberFactory(each=True)
    ArticleFactory(published=True, title="Fresh findings")

    output = send_digests()

    assert "Fresh findings" in output and "1 'each' email(s) queued" in output
    assert "Daily digest #1 (1 article(s)" in output and "2 email(s) queued" in output
    assert Delivery.objects.count() == 3


def test_send_digests_twice_queues_nothing_more():
    SubscriberFactory()
    ArticleFactory(published=True)
    send_digests()
    output = send_digests()
    assert "No new articles or inspections since" in output
    assert Digest.objects.count() == 1 and Delivery.objects.count() == 1


def test_weekly_period():
    SubscriberFactory(weekly=True)
    ArticleFactory(published=True, published_at=timezone.now() - datetime.timedelta(days=5))
    output = send_digests("--period", "weekly")
    assert "Weekly digest #1" in output
    assert Digest.objects.get().period == "weekly"


def test_dry_run_writes_nothing():
    SubscriberFactory()
    SubscriberFactory(each=True)
    ArticleFactory(published=True)
    output = send_digests("--dry-run")
    assert "would be queued" in output
    assert not Digest.objects.exists()
    assert not Announcement.objects.exists()
    assert not Delivery.objects.exists()


def test_announce_only_prepares_no_digest():
    SubscriberFactory()
    SubscriberFactory(each=True)
    ArticleFactory(published=True)
    send_digests("--announce-only")
    assert not Digest.objects.exists()
    assert Delivery.objects.get().article is not None


def test_an_unknown_period_is_an_error():
    with pytest.raises(Exception, match="invalid choice"):
        call_command("send_digests", "--period", "hourly")
