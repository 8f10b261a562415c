"""Sending: workers claim due deliveries, send a batch over one SMTP connection, record
each outcome (sent, retry with backoff, failed, bounce)."""

import dataclasses
import datetime
import logging
import os
import smtplib
import socket

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.crypto import get_random_string

from core.email import email_retry_at, smtp_refusal
from subscriptions.emails import Composer, Outgoing
from subscriptions.items import Interests
from subscriptions.models import RECEIVING_STATUSES, Delivery, Follow, Subscriber

logger = logging.getLogger(__name__)


@dataclasses.dataclass
class BatchReport:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    retry_at: datetime.datetime | None = None

    def add(self, other: "BatchReport") -> None:
        for field in ("claimed", "sent", "retrying", "failed", "cancelled"):
            setattr(self, field, getattr(self, field) + getattr(other, field))
        if other.retry_at and (self.retry_at is None or other.retry_at < self.retry_at):
            self.retry_at = other.retry_at

    def as_dict(self) -> dict:
        data = dataclasses.asdict(self)
        data["retry_at"] = self.retry_at.isoformat() if self.retry_at else None
        return data


class ConnectionBroken(Exception):
    """The SMTP connection failed twice in a row: stop this batch and retry the rest later."""


def _claim(*, batch_size: int, claim: str) -> list[Delivery]:
    now = timezone.now()
    due = Delivery.objects.due(now).order_by("pk")
    if connection.vendor == "postgresql":
        # Concurrent workers skip each other's locked rows instead of queueing behind them.
        with transaction.atomic():
            pks = list(
                due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:batch_size]
            )
            Delivery.objects.filter(pk__in=pks).update(
                status=Delivery.Status.SENDING, claim=claim, claimed_at=now
            )
    else:
        # One UPDATE ... WHERE <still due> is atomic: rows another worker took are skipped.
        pks = list(due.values_list("pk", flat=True)[:batch_size])
        Delivery.objects.due(now).filter(pk__in=pks).update(
            status=Delivery.Status.SENDING, claim=claim, claimed_at=now
        )
    return list(
        Delivery.objects.filter(pk__in=pks, claim=claim, status=Delivery.Status.SENDING)
        .select_related("subscriber")
        .order_by("pk")
    )


CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError)


def _smtp_send(backend, outgoing: Outgoing, from_address: str) -> None:
    """Send over the open connection; reconnect once if the server dropped it.

    Over Django's SMTP backend the prepared bytes go straight to the connection (what the
    backend would do after serialising); any other backend gets an EmailMessage.
    """
    try:
        _transmit(backend, outgoing, from_address)
    except CONNECTION_ERRORS:
        _close(backend)
        try:
            backend.open()
            _transmit(backend, outgoing, from_address)
        except CONNECTION_ERRORS as error:
            raise ConnectionBroken(str(error) or type(error).__name__) from error


def _transmit(backend, outgoing: Outgoing, from_address: str) -> None:
    if outgoing.raw is not None and isinstance(backend, SMTPBackend):
        if backend.connection is None:
            backend.open()
        backend.connection.sendmail(from_address, [outgoing.to], outgoing.raw)
    else:
        backend.send_messages([outgoing.email()])


def _close(backend) -> None:
    try:
        backend.close()
    except Exception:  # a dead connection may fail to QUIT; it is closed either way
        logger.debug("Closing the SMTP connection failed", exc_info=True)


class _Batch:
    """The bookkeeping of one claimed batch; every write is conditional on the claim."""

    def __init__(self, claim: str):
        self.claim = claim
        self.report = BatchReport()
        self._sent: list[tuple[int, str]] = []
        self._recovered: list[int] = []

    def _update(self, delivery: Delivery, **fields) -> None:
        Delivery.objects.filter(pk=delivery.pk, claim=self.claim).update(**fields)

    def sent(self, delivery: Delivery, message_id: str) -> None:
        """Record an accepted message; written in groups of SUBSCRIPTIONS_SENT_FLUSH."""
        self._sent.append((delivery.pk, message_id[:255]))
        if delivery.subscriber.bounce_count:
            self._recovered.append(delivery.subscriber_id)
            delivery.subscriber.bounce_count = 0
        self.report.sent += 1
        if len(self._sent) >= settings.SUBSCRIPTIONS_SENT_FLUSH:
            self.flush()

    def flush(self) -> None:
        if self._sent:
            # One statement per delivery, sent together (executemany): far cheaper than one
            # UPDATE with a CASE per row once a batch is written in groups.
            table = connection.ops.quote_name(Delivery._meta.db_table)
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET status = %s, sent_at = %s, attempts = attempts + 1, "
                    "last_error = '', message_id = %s WHERE id = %s AND claim = %s",
                    [
                        (str(Delivery.Status.SENT), now, message_id, pk, self.claim)
                        for pk, message_id in self._sent
                    ],
                )
            self._sent = []
        if self._recovered:
            Subscriber.objects.filter(pk__in=self._recovered).update(
                bounce_count=0,
                status=Case(
                    When(status=Subscriber.Status.BOUNCING, then=Value(Subscriber.Status.ACTIVE)),
                    default=F("status"),
                ),
            )
            self._recovered = []

    def cancelled(self, delivery: Delivery, reason: str) -> None:
        self._update(delivery, status=Delivery.Status.CANCELLED, last_error=reason)
        self.report.cancelled += 1

    def failed(self, delivery: Delivery, error: str) -> None:
        self._update(
            delivery,
            status=Delivery.Status.FAILED,
            attempts=F("attempts") + 1,
            last_error=error,
        )
        self.report.failed += 1

    def bounced(self, delivery: Delivery, error: str) -> None:
        """A permanent refusal: this delivery failed, and the address earns a bounce."""
        self.failed(delivery, error)
        limit = settings.SUBSCRIPTIONS_BOUNCE_LIMIT
        Subscriber.objects.filter(pk=delivery.subscriber_id).update(
            bounce_count=F("bounce_count") + 1,
            status=Case(
                When(
                    status__in=RECEIVING_STATUSES,
                    bounce_count__gte=limit - 1,
                    then=Value(Subscriber.Status.SUPPRESSED),
                ),
                When(status=Subscriber.Status.ACTIVE, then=Value(Subscriber.Status.BOUNCING)),
                default=F("status"),
            ),
        )
        logger.warning("Delivery %s refused permanently: %s", delivery.pk, error)

    def retry(self, delivery: Delivery, error: str) -> None:
        attempts = delivery.attempts + 1
        retry_at = email_retry_at(attempts)  # the one backoff rule for email
        if retry_at is None:
            self.failed(delivery, f"Gave up after {attempts} attempts: {error}")
            return
        self._update(
            delivery,
            status=Delivery.Status.PENDING,
            attempts=attempts,
            next_attempt_at=retry_at,
            last_error=error,
            claim="",
        )
        self.report.retrying += 1
        if self.report.retry_at is None or retry_at < self.report.retry_at:
            self.report.retry_at = retry_at


def deliveries_send_due(*, batch_size: int | None = None, worker: str = "") -> BatchReport:
    """Claim up to `batch_size` due deliveries and send them over one SMTP connection.

    Each is marked sent once the server accepts it. Temporary refusals (4xx), timeouts and
    lost connections leave it pending with a retry time (core.email's backoff) until
    EMAIL_MAX_ATTEMPTS, then failed; a permanent refusal (5xx) fails it at once
    and counts a bounce against the address (SUBSCRIPTIONS_BOUNCE_LIMIT suppresses it).
    A full batch queues the next one at once, for any worker; where tasks run inline
    (the immediate backend) this call goes on with the next batch itself.
    """
    batch_size = batch_size or settings.SUBSCRIPTIONS_BATCH_SIZE
    worker = worker or f"{socket.gethostname()}:{os.getpid()}"
    total = BatchReport()
    while True:
        report, more = _send_batch(batch_size=batch_size, worker=worker)
        total.add(report)
        if not more:
            return total


def _send_batch(*, batch_size: int, worker: str) -> tuple[BatchReport, bool]:
    """One batch; also True when it was full and no other task was queued for the rest."""
    claim = f"{worker[:40]}:{get_random_string(12)}"
    deliveries = _claim(batch_size=batch_size, claim=claim)
    batch = _Batch(claim)
    batch.report.claimed = len(deliveries)
    if not deliveries:
        return batch.report, False
    more = len(deliveries) >= batch_size and not _enqueue_next_batch()

    remaining = list(deliveries)
    backend = None
    try:
        composer, interests = _batch_context(deliveries)
        from_address = sanitize_address(settings.DEFAULT_FROM_EMAIL, settings.DEFAULT_CHARSET)
        backend = get_connection()
        backend.open()
        while remaining:
            delivery = remaining.pop(0)
            try:
                _send_one(
                    delivery,
                    backend=backend,
                    batch=batch,
                    composer=composer,
                    interests=interests,
                    from_address=from_address,
                )
            except (ConnectionBroken, OSError):
                remaining.insert(0, delivery)
                raise
            except Exception as error:
                # Bad data in one email must not hold up the others: it counts an attempt
                # and ends up failed, visible in the admin, like any other.
                logger.exception("Delivery %s could not be sent", delivery.pk)
                batch.retry(delivery, f"{type(error).__name__}: {error}")
    except (ConnectionBroken, OSError) as error:
        # The server is unreachable or keeps dropping us: everything not sent waits.
        logger.warning(
            "SMTP connection failed (%s); %d delivery(ies) will retry", error, len(remaining)
        )
        for delivery in remaining:
            batch.retry(delivery, f"Connection failed: {error or type(error).__name__}")
    except Exception as error:
        # A bug: release the batch with an attempt counted, so it cannot loop for ever.
        logger.exception("Batch %s failed; %d delivery(ies) will retry", claim, len(remaining))
        for delivery in remaining:
            batch.retry(delivery, f"{type(error).__name__}: {error}")
        raise
    finally:
        batch.flush()
        if backend is not None:
            _close(backend)
    _schedule_retry(batch.report.retry_at)
    return batch.report, more


def _batch_context(deliveries: list[Delivery]) -> tuple["Composer", dict[int, Interests]]:
    """The items and each subscriber's interests a batch needs, in a fixed few queries."""
    composer = Composer(
        digest_ids={d.digest_id for d in deliveries if d.digest_id},
        article_ids={d.article_id for d in deliveries if d.article_id},
        inspection_ids={d.inspection_id for d in deliveries if d.inspection_id},
    )
    narrowed = {d.subscriber_id for d in deliveries if not d.subscriber.everything}
    followed: dict[int, list[tuple[str, int]]] = {pk: [] for pk in narrowed}
    if narrowed:
        for subscriber_id, tag_id in Subscriber.tags.through.objects.filter(
            subscriber_id__in=narrowed
        ).values_list("subscriber_id", "tag_id"):
            followed[subscriber_id].append((Follow.Kind.TAG, tag_id))
        for subscriber_id, kind, target_id in Follow.objects.filter(
            subscriber_id__in=narrowed
        ).values_list("subscriber_id", "kind", "target_id"):
            followed[subscriber_id].append((kind, target_id))
    interests = {
        d.subscriber_id: Interests(
            everything=d.subscriber.everything, followed=followed.get(d.subscriber_id, ())
        )
        for d in deliveries
    }
    return composer, interests


def _send_one(
    delivery: Delivery,
    *,
    backend,
    batch: _Batch,
    composer: Composer,
    interests: dict[int, Interests],
    from_address: str,
) -> None:
    subscriber = delivery.subscriber
    if not subscriber.is_receiving:
        batch.cancelled(delivery, f"Subscriber is {subscriber.status}.")
        return
    articles, inspections = composer.items_for(delivery, interests[subscriber.pk])
    if not articles and not inspections:
        batch.cancelled(delivery, "Nothing public left that this subscriber follows.")
        return
    kind = "digest"
    if not delivery.digest_id:
        kind = "article" if delivery.article_id else "inspection"
    message = composer.message(
        to=subscriber.email,
        kind=kind,
        period=composer.digest_periods.get(delivery.digest_id, ""),
        articles=articles,
        inspections=inspections,
        subscriber=subscriber,
        narrowed=not subscriber.everything,
    )
    try:
        _smtp_send(backend, message, from_address)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
        permanent, description = smtp_refusal(error)
        if permanent:
            batch.bounced(delivery, description)
        else:
            batch.retry(delivery, description)
    else:
        batch.sent(delivery, message.message_id)


def _enqueue_next_batch() -> bool:
    """Queue a send task for another worker; False where tasks run inline instead."""
    from subscriptions import tasks

    task = tasks.send_deliveries
    # Backends that can defer keep a real queue; the immediate one would recurse here.
    if not task.get_backend().supports_defer:
        return False
    task.enqueue()
    return True


def _schedule_retry(retry_at: datetime.datetime | None) -> None:
    """Queue a send task for the earliest retry of this batch."""
    from subscriptions import tasks

    if retry_at is None:
        return
    task = tasks.send_deliveries
    if task.get_backend().supports_defer:
        task.using(run_after=retry_at).enqueue()
    # Otherwise (the immediate backend) the send_digests sweep picks retries up.
