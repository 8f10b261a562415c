"""Subscribing, confirming, changing and leaving; erasure; the confirmation email."""

import logging
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from core.email import Email, email_deliver, email_headers, reader_language
from core.throttle import rate_limit
from subscriptions.models import Delivery, Follow, Subscriber

logger = logging.getLogger(__name__)


def _locked_subscriber(email: str) -> tuple[Subscriber, bool]:
    subscriber = Subscriber.objects.with_email(email).select_for_update().first()
    if subscriber is None:
        try:
            with transaction.atomic():
                return Subscriber.objects.create(email=email), True
        except IntegrityError:  # the same address, submitted twice at once
            subscriber = Subscriber.objects.with_email(email).select_for_update().get()
    return subscriber, False


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
    *,
    email: str,
    frequency: str,
    tags: Iterable[Tag],
    ip_address: str,
    language: str | None = None,
) -> None:
    """Start (or restart) a double opt-in subscription for `email`.

    The caller learns nothing about the address: new, pending and unsubscribed addresses
    are (again) sent a confirmation link, subscribed ones a reminder with their manage link,
    suppressed ones nothing; at most SUBSCRIPTIONS_CONFIRMATIONS_PER_DAY emails a day.
    A (re)started subscription gets its emails in `language` (None: the interface's now);
    a subscribed address keeps its own, as anyone may type it.
    Raises core.throttle.RateLimited, doing nothing, past the per-IP or per-address limits.
    """
    email = email.strip()
    _rate_limit(email, ip_address)
    tags = list(tags)
    language = reader_language() if language is None else language

    with transaction.atomic():
        subscriber, _created = _locked_subscriber(email)
        if subscriber.status == Subscriber.Status.SUPPRESSED:
            logger.info("Subscribe request for suppressed subscriber %s ignored", subscriber.pk)
            return
        if not subscriber.is_receiving:
            # New, pending or unsubscribed: (re)start, and only a confirmation activates it.
            # Ticking no topic means everything; what they follow from pages stays.
            subscriber.status = Subscriber.Status.PENDING
            subscriber.frequency = frequency
            subscriber.everything = not tags
            subscriber.language = language
            subscriber.save(update_fields=["status", "frequency", "everything", "language"])
            subscriber.tags.set(tags)
        if not _allow_confirmation(subscriber):
            logger.info("Confirmation allowance used up for subscriber %s", subscriber.pk)
            return
        transaction.on_commit(partial(_enqueue_confirmation, subscriber.pk))


def _rate_limit(email: str, ip_address: str) -> None:
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


def _add_follow(subscriber: Subscriber, kind: str, target_id: int) -> bool:
    """Record that `subscriber` follows `kind` `target_id`; False if they already did."""
    if kind == Follow.Kind.TAG:
        if subscriber.tags.filter(pk=target_id).exists():
            return False
        subscriber.tags.add(target_id)
        return True
    _follow, created = Follow.objects.get_or_create(
        subscriber=subscriber, kind=kind, target_id=target_id
    )
    return created


def _follows(subscriber: Subscriber, kind: str, target_id: int) -> bool:
    if kind == Follow.Kind.TAG:
        return subscriber.tags.filter(pk=target_id).exists()
    return subscriber.follows.filter(kind=kind, target_id=target_id).exists()


def _enqueue_follow_confirmation(subscriber_id: int, kind: str, target_id: int) -> None:
    from subscriptions import tasks

    tasks.send_follow_confirmation.enqueue(subscriber_id, kind, target_id)


def follow_request(
    *, email: str, kind: str, target_id: int, ip_address: str, language: str | None = None
) -> None:
    """Follow `kind` `target_id` (an organisation, inspectorate, tag or author) at `email`,
    with the same double opt-in and the same subscriber as subscription_request.

    A new, pending or unsubscribed address gets the follow added to its (restarted, pending)
    subscription and a confirmation link; a new or returning address gets only what it
    follows. A subscribed address gets a link confirming this one follow, so nobody can
    change what another person receives; one that already follows it gets nothing. The
    caller learns nothing either way. `language` as for subscription_request. Raises
    core.throttle.RateLimited, doing nothing, past the per-IP or per-address limits.
    """
    email = email.strip()
    _rate_limit(email, ip_address)
    language = reader_language() if language is None else language
    with transaction.atomic():
        subscriber, created = _locked_subscriber(email)
        if subscriber.status == Subscriber.Status.SUPPRESSED:
            logger.info("Follow request for suppressed subscriber %s ignored", subscriber.pk)
            return
        if subscriber.is_receiving:
            if _follows(subscriber, kind, target_id):
                return
            if _allow_confirmation(subscriber):
                transaction.on_commit(
                    partial(_enqueue_follow_confirmation, subscriber.pk, kind, target_id)
                )
            return
        if created or subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            subscriber.everything = False
        subscriber.status = Subscriber.Status.PENDING
        subscriber.language = language
        subscriber.save(update_fields=["status", "everything", "language"])
        _add_follow(subscriber, kind, target_id)
        if not _allow_confirmation(subscriber):
            logger.info("Confirmation allowance used up for subscriber %s", subscriber.pk)
            return
        transaction.on_commit(partial(_enqueue_confirmation, subscriber.pk))


def follow_confirm(*, subscriber: Subscriber, kind: str, target_id: int) -> bool:
    """Add a follow a subscribed address confirmed by its link; True if it is new."""
    with transaction.atomic():
        return _add_follow(subscriber, kind, target_id)


def follow_confirmation_send(*, subscriber: Subscriber, kind: str, target_id: int) -> bool:
    """Email a subscribed address the link that confirms one new follow."""
    from subscriptions.follows import target

    followed = target(kind, target_id)
    if followed is None or not subscriber.is_receiving:
        return False
    with translation.override(subscriber.email_language):
        email = _follow_confirmation(subscriber, followed)
    return email_deliver(email)


def _follow_confirmation(subscriber: Subscriber, followed) -> Email:
    kind, target_id = followed.kind, followed.pk
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "name": followed.name,
        "kind": followed.kind_label,
        "confirm_url": subscriber.email_url(
            reverse("subscriptions:follow-confirm", args=[subscriber.follow_token(kind, target_id)])
        ),
        "manage_url": subscriber.email_url(subscriber.get_manage_url()),
        "days": settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS,
    }
    return Email.from_templates(
        "follow_confirm", context, to=subscriber.email, headers=email_headers(automatic=True)
    )


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


def subscription_update(
    *,
    subscriber: Subscriber,
    frequency: str,
    tags: Iterable[Tag],
    everything: bool | None = None,
    keep_follows: Iterable[tuple[str, int]] | None = None,
    language: str | None = None,
) -> None:
    """Change how often, about what and in which language `subscriber` hears from us:
    `tags` followed, the follows in `keep_follows` kept (None: all kept), everything or
    only what they follow (None: everything when they follow nothing), and the emails'
    `language` (None or "": unchanged)."""
    tags = list(tags)
    with transaction.atomic():
        if keep_follows is not None:
            keep = set(keep_follows)
            stale = [
                pk
                for pk, kind, target_id in subscriber.follows.values_list("pk", "kind", "target_id")
                if (kind, target_id) not in keep
            ]
            Follow.objects.filter(pk__in=stale).delete()
        if everything is None:
            everything = not tags and not subscriber.follows.exists()
        subscriber.frequency = frequency
        subscriber.everything = everything
        if language:
            subscriber.language = language
        subscriber.save(update_fields=["frequency", "everything", "language"])
        subscriber.tags.set(tags)


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
    """Delete subscribers with everything they follow and every delivery to them (a
    data-erasure request)."""
    with transaction.atomic():
        pks = list(subscribers.values_list("pk", flat=True))
        Delivery.objects.filter(subscriber_id__in=pks).delete()
        Follow.objects.filter(subscriber_id__in=pks).delete()
        Subscriber.objects.filter(pk__in=pks).delete()
    logger.info("Erased %d subscriber(s) and their deliveries", len(pks))
    return len(pks)


def confirmation_send(*, subscriber: Subscriber) -> bool:
    """Email a pending subscriber their confirmation link, or a subscribed one their manage
    link; nothing to anyone else. True once the mail server accepted it; when it fails, the
    email is retried with backoff by core.email.
    """
    if subscriber.status != Subscriber.Status.PENDING and not subscriber.is_receiving:
        return False
    with translation.override(subscriber.email_language):
        email = _confirmation(subscriber)
    return email_deliver(email)


def _confirmation(subscriber: Subscriber) -> Email:
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
    if subscriber.status == Subscriber.Status.PENDING:
        name = "subscription_confirm"
        context |= {
            "confirm_url": subscriber.email_url(subscriber.get_confirm_url()),
            "days": settings.SUBSCRIPTIONS_CONFIRM_MAX_AGE_DAYS,
        }
    else:
        name = "subscription_active"
        context |= {
            "manage_url": subscriber.email_url(subscriber.get_manage_url()),
            "unsubscribe_url": subscriber.email_url(subscriber.get_unsubscribe_url()),
        }
    return Email.from_templates(
        name, context, to=subscriber.email, headers=email_headers(automatic=True)
    )
