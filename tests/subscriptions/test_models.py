import datetime

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from core.tokens import ExpiredToken, InvalidToken
from subscriptions.models import Delivery, Digest, Subscriber, offered_tags
from tests.factories import ArticleFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def test_email_is_unique_whatever_its_case():
    SubscriberFactory(email="Reader@Example.net")
    with pytest.raises(IntegrityError):
        SubscriberFactory(email="reader@EXAMPLE.NET")


def test_with_email_finds_an_address_in_any_case():
    subscriber = SubscriberFactory(email="Reader@Example.net")
    assert Subscriber.objects.with_email("READER@example.NET").get() == subscriber


def test_is_receiving_mirrors_the_receiving_queryset():
    for status in Subscriber.Status:
        subscriber = SubscriberFactory(status=status)
        in_queryset = Subscriber.objects.receiving().filter(pk=subscriber.pk).exists()
        assert subscriber.is_receiving == in_queryset, status
    assert set(Subscriber.objects.receiving().values_list("status", flat=True)) == {
        "active",
        "bouncing",
    }


def test_tag_filters_match_subscribers_without_tags_or_with_a_shared_tag():
    everything = SubscriberFactory()
    prisons = SubscriberFactory(tags=["prisons"])
    SubscriberFactory(tags=["courts"])
    prison_tag = prisons.tags.get()
    assert set(Subscriber.objects.matching_tags([prison_tag.pk])) == {everything, prisons}
    assert set(Subscriber.objects.matching_tags([])) == {everything}


def test_tokens_round_trip_and_differ_by_purpose_and_subscriber():
    first, second = SubscriberFactory(), SubscriberFactory()
    for purpose in ("manage", "unsubscribe"):
        assert Subscriber.objects.from_token(first.token(purpose), purpose) == first
    assert first.token("manage") != first.token("unsubscribe")
    assert first.token("manage") != second.token("manage")
    with pytest.raises(InvalidToken):
        Subscriber.objects.from_token(first.token("manage"), "unsubscribe")


def test_a_confirmation_token_expires_after_seven_days():
    subscriber = SubscriberFactory(pending=True)
    token = subscriber.confirm_token()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        assert Subscriber.objects.from_confirm_token(token) == subscriber
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)),
        pytest.raises(ExpiredToken),
    ):
        Subscriber.objects.from_confirm_token(token)


def test_a_confirmation_token_dies_with_a_new_token_secret():
    subscriber = SubscriberFactory(pending=True)
    token = subscriber.confirm_token()
    subscriber.rotate_token()
    with pytest.raises(InvalidToken):
        Subscriber.objects.from_confirm_token(token)


def test_a_delivery_is_unique_per_subscriber_and_digest_or_article():
    subscriber = SubscriberFactory()
    article = ArticleFactory(published=True)
    Delivery.objects.create(subscriber=subscriber, article=article)
    with pytest.raises(IntegrityError):
        Delivery.objects.create(subscriber=subscriber, article=article)


def test_a_delivery_is_for_a_digest_or_an_article_not_both_or_neither():
    with pytest.raises(IntegrityError):
        Delivery.objects.create(subscriber=SubscriberFactory())


def test_two_digests_of_a_period_cannot_share_a_number():
    now = timezone.now()
    Digest.objects.create(period="daily", sequence=1, since=now, until=now)
    Digest.objects.create(period="weekly", sequence=1, since=now, until=now)
    with pytest.raises(IntegrityError):
        Digest.objects.create(period="daily", sequence=1, since=now, until=now)


def test_offered_tags_are_the_most_used_on_public_articles(settings):
    settings.SUBSCRIPTIONS_TAG_CHOICES = 2
    for _n in range(3):
        ArticleFactory(published=True, tags=["Prisons"])
    ArticleFactory(published=True, tags=["Probation", "Courts"])
    ArticleFactory(published=True, tags=["Probation"])
    ArticleFactory(tags=["Draft only"] * 5)
    assert [tag.name for tag in offered_tags()] == ["Prisons", "Probation"]
