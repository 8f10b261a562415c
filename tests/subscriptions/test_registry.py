import pytest

from core.personal_data import personal_data_sources
from subscriptions.models import Delivery, Subscriber
from tests.factories import ArticleFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def subscriptions_source():
    return next(source for source in personal_data_sources() if source.key == "subscriptions")


def test_subscriptions_register_the_subscriber_and_their_deliveries(settings):
    settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS = 4
    article = ArticleFactory(published=True, title="Prison numbers")
    ada = SubscriberFactory(email="Ada@example.net", tags=["prisons"])
    Delivery.objects.create(subscriber=ada, article=article, status=Delivery.Status.SENT)
    Delivery.objects.create(subscriber=SubscriberFactory(), article=article)
    source = subscriptions_source()

    assert source.describe("ada@EXAMPLE.net") == (
        "A subscription (active) and a record of 1 email sent to it"
    )
    assert source.describe("nobody@example.net") == ""
    [row] = source.export("ada@example.net")
    assert row["email"] == "Ada@example.net" and row["tags"] == ["prisons"]
    assert [(d["article"], d["status"]) for d in row["deliveries"]] == [("Prison numbers", "sent")]
    assert source.purge is None  # subscriptions keep no IP hashes or user agents
    assert "works for 4 days" in source.notice()[0].why


def test_erasure_through_the_registry_reuses_subscribers_erase():
    article = ArticleFactory(published=True)
    ada = SubscriberFactory(email="ada@example.net")
    Delivery.objects.create(subscriber=ada, article=article)
    bob = SubscriberFactory(email="bob@example.net")

    assert subscriptions_source().erase("ADA@example.net") == {"subscriptions": 1}

    assert list(Subscriber.objects.all()) == [bob]
    assert not Delivery.objects.filter(subscriber_id=ada.pk).exists()
