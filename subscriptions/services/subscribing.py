"""Subscribing, confirming, changing and leaving; erasure; the confirmation email."""

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from core.email import Email, email_deliver, email_headers
from core.site import absolute_url
from core.throttle import rate_limit
from subscriptions.models import Delivery, Subscriber

logger = logging.getLogger(__name__)


def _locked_subscriber(email: str) -> Subscriber:
    subscriber = Subscriber.objects.with_email(email).select_for_update().first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=email)
        except IntegrityError:  # the same address, submitted twice at once
            subscriber = Subscriber.objects.with_email(email).select_for_update().get()
    return subscriber


def _allow_confirmation(subscriber: Subscriber) -> bool:
    """Count one confirmation email for today; False once the daily allowance is used."""
    today = timezone.localdate()
    return bool(
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(
            ~Q(confirmations_sent_on=today)
            | Q(confirmations_sent__lt=settings.SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY)
        )
        .update(
            confirmations_sent=Case(
                When(confirmations_sent_on=today, then=F("confirmations_sent") + 1),
                default=Value(1),
            ),
            confirmations_sent_on=today,
        )
    )


def _enqueue_confirmation(subscriber_id: int) -> None:
    from subscriptions import tasks

    tasks.send_confirmation.enqueue(subscriber_id)


def subscription_request(
    *, email: str, frequency: str, tags: Iterable[Tag], ip_address: str
) -> None:
    """Start (or restart) a double opt-in subscription for `email`.

    The caller learns nothing about the address: new, pending and unsubscribed addresses
    are (again) sent a confirmation link, subscribed ones a reminder with their manage link,
    suppressed ones nothing; at most SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY emails a day.
    Raises core.throttle.RateLimited, doing nothing, past the per-IP or per-address limits.
    """
    email = email.strip()
    message = _("Too many subscription requests. Please try again in an hour.")
    window = settings.SUBSCRIPTIONS_RATE_WINDOW_SECONDS
    rate_limit(
        "subscribe.ip",
        ip_address,
        limit=settings.SUBSCRIPTIONS_RATE_LIMIT_IP,
        window=window,
        message=message,
    )
    rate_limit(
        "subscribe.address",
        email.lower(),
        limit=settings.SUBSCRIPTIONS_RATE_LIMIT_ADDRESS,
        window=window,
        message=message,
    )

    with transaction.atomic():
        subscriber = _locked_subscriber(email)
        if subscriber.status == Subscriber.Status.SUPPRESSED:
            logger.info("Subscribe request for suppressed subscriber %s ignored", subscriber.pk)
            return
        if not subscriber.is_receiving:
            # New, pending or unsubscribed: (re)start, and only a confirmation activates it.
            subscriber.status = Subscriber.Status.PENDING
            subscriber.frequency = frequency
            subscriber.save(update_fields=["status", "frequency"])
            subscriber.tags.set(list(tags))
        if not _allow_confirmation(subscriber):
            logger.info("Confirmation allowance used up for subscriber %s", subscriber.pk)
            return
        transaction.on_commit(partial(_enqueue_confirmation, subscriber.pk))


def subscription_confirm(*, subscriber: Subscriber) -> bool:
    """Activate a pending subscriber; True if this call did it."""
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if locked.status != Subscriber.Status.PENDING:
            subscriber.status = locked.status
            return False
        locked.status = Subscriber.Status.ACTIVE
        locked.confirmed_at = timezone.now()
        locked.bounce_count = 0
        locked.save(update_fields=["status", "confirmed_at", "bounce_count"])
    subscriber.status, subscriber.confirmed_at = locked.status, locked.confirmed_at
    return True


def subscription_update(*, subscriber: Subscriber, frequency: str, tags: Iterable[Tag]) -> None:
    """Change how often, and about which tags, `subscriber` hears from us."""
    with transaction.atomic():
        subscriber.frequency = frequency
        subscriber.save(update_fields=["frequency"])
        subscriber.tags.set(list(tags))


def subscription_cancel(*, subscriber: Subscriber) -> bool:
    """Unsubscribe: no further emails, and queued ones are cancelled. True if it changed."""
    with transaction.atomic():
        changed = (
            Subscriber.objects.filter(pk=subscriber.pk)
            .exclude(status=Subscriber.Status.UNSUBSCRIBED)
            .update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
        )
        Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.CANCELLED, last_error="Unsubscribed before sending."
        )
    subscriber.refresh_from_db(fields=["status", "unsubscribed_at"])
    return bool(changed)


def subscribers_resend_confirmation(*, subscribers: QuerySet) -> int:
    """Queue a new confirmation email to each pending subscriber (editors' action)."""
    pks = list(subscribers.filter(status=Subscriber.Status.PENDING).values_list("pk", flat=True))
    for pk in pks:
        transaction.on_commit(partial(_enqueue_confirmation, pk))
    return len(pks)


def subscribers_erase(*, subscribers: QuerySet) -> int:
    """Delete subscribers with every delivery to them (a data-erasure request)."""
    with transaction.atomic():
        pks = list(subscribers.values_list("pk", flat=True))
        Delivery.objects.filter(subscriber_id__in=pks).delete()
        Subscriber.objects.filter(pk__in=pks).delete()
    logger.info("Erased %d subscriber(s) and their deliveries", len(pks))
    return len(pks)


def confirmation_send(*, subscriber: Subscriber) -> bool:
    """Email a pending subscriber their confirmation link, or a subscribed one their manage
    link; nothing to anyone else. True once the mail server accepted it; when it fails, the
    email is retried with backoff by core.email.
    """
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
    if subscriber.status == Subscriber.Status.PENDING:
        name = "subscription_confirm"
        context |= {
            "confirm_url": absolute_url(subscriber.get_confirm_url()),
            "days": settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS,
        }
    elif subscriber.is_receiving:
        name = "subscription_active"
        context |= {
            "manage_url": absolute_url(subscriber.get_manage_url()),
            "unsubscribe_url": absolute_url(subscriber.get_unsubscribe_url()),
        }
    else:
        return False
    email = Email.from_templates(
        name, context, to=subscriber.email, headers=email_headers(automatic=True)
    )
    return email_deliver(email)
