"""Preparing newsletters: announcements of new articles, digests, and their deliveries."""

import dataclasses
import datetime
import logging
import math
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog.models import Article
from subscriptions.emails import Composer
from subscriptions.models import Announcement, Delivery, Digest, Subscriber

logger = logging.getLogger(__name__)

INSERT_CHUNK = 2000
SWEEP_GRACE = datetime.timedelta(minutes=5)


class DigestConflict(Exception):
    """Another run prepared the same digest at the same moment (its deliveries stand)."""


def _enqueue_sending(count: int) -> None:
    """After commit, queue enough send tasks for `count` new deliveries (they chain on)."""
    if count <= 0:
        return
    tasks_needed = min(
        settings.SUBSCRIPTIONS_SEND_PARALLELISM,
        math.ceil(count / settings.SUBSCRIPTIONS_BATCH_SIZE),
    )

    def enqueue() -> None:
        from subscriptions import tasks

        for _n in range(tasks_needed):
            tasks.send_deliveries.enqueue()

    transaction.on_commit(enqueue)


def _queue_deliveries(
    recipients: QuerySet, *, digest: Digest | None = None, article: Article | None = None
) -> int:
    """Insert one delivery per recipient, streaming them; existing ones are left alone."""
    queued = 0
    batch: list[Delivery] = []
    for subscriber_id in (
        recipients.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=INSERT_CHUNK)
    ):
        batch.append(Delivery(subscriber_id=subscriber_id, digest=digest, article=article))
        if len(batch) >= INSERT_CHUNK:
            queued += len(Delivery.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        queued += len(Delivery.objects.bulk_create(batch, ignore_conflicts=True))
    return queued


@dataclasses.dataclass
class Announced:
    article: Article
    recipients: int


def announcements_prepare(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[Announced]:
    """Announce articles that became public (scheduled ones included) to "each article"
    subscribers, once per article ever; articles older than
    SUBSCRIPTIONS_NEW_ARTICLE_MAX_AGE_DAYS are never announced.
    """
    now = now or timezone.now()
    floor = now - datetime.timedelta(days=settings.SUBSCRIPTIONS_NEW_ARTICLE_MAX_AGE_DAYS)
    candidates = (
        Article.objects.published()
        .filter(published_at__gte=floor, published_at__lte=now)
        .filter(~Exists(Announcement.objects.filter(article=OuterRef("pk"))))
        .prefetch_related("tags")
        .order_by("published_at", "pk")
    )
    announced = []
    for article in candidates:
        recipients = Subscriber.objects.due_for(
            frequency=Subscriber.Frequency.EACH, tag_ids=[tag.pk for tag in article.tags.all()]
        )
        if dry_run:
            announced.append(Announced(article, recipients.count()))
            continue
        with transaction.atomic():
            _announcement, created = Announcement.objects.get_or_create(
                article=article, defaults={"announced_at": now}
            )
            if not created:  # another process got there first
                continue
            queued = _queue_deliveries(recipients, article=article)
            _enqueue_sending(queued)
        logger.info("Announced article %s to %d subscriber(s)", article.pk, queued)
        announced.append(Announced(article, queued))
    return announced


@dataclasses.dataclass
class DigestPlan:
    period: str
    since: datetime.datetime
    until: datetime.datetime
    articles: list[Article]
    recipients: int = 0
    digest: Digest | None = None


def digest_prepare(
    *, period: str, now: datetime.datetime | None = None, dry_run: bool = False
) -> DigestPlan:
    """Record the `period` digest of the articles that became public since the previous one
    and queue one delivery per due subscriber (tag filters respected).

    The first digest of a period covers the last day or week. Later ones take the articles
    published since the previous digest, plus any announced late (published with an earlier
    date) that no digest of the period has carried. No articles: no digest, no deliveries.
    Raises DigestConflict when a concurrent run prepared it first.
    """
    until = now or timezone.now()
    previous = Digest.objects.filter(period=period).order_by("-sequence").first()
    public = Article.objects.published().filter(published_at__lte=until)
    if previous is None:
        since = until - Digest.length(period)
        articles = public.filter(published_at__gt=since)
    else:
        since = previous.until
        late = Announcement.objects.filter(
            article=OuterRef("pk"), announced_at__gt=previous.since, announced_at__lte=until
        )
        carried = Digest.articles.through.objects.filter(
            article=OuterRef("pk"), digest__period=period
        )
        articles = public.filter(Q(published_at__gt=since) | Exists(late)).exclude(Exists(carried))
    articles = list(articles.prefetch_related("tags").order_by("-published_at", "-pk"))
    plan = DigestPlan(period=period, since=since, until=until, articles=articles)
    if not articles:
        return plan
    tag_ids = {tag.pk for article in articles for tag in article.tags.all()}
    recipients = Subscriber.objects.due_for(frequency=period, tag_ids=tag_ids)
    if dry_run:
        plan.recipients = recipients.count()
        return plan
    try:
        with transaction.atomic():
            digest = Digest.objects.create(
                period=period,
                sequence=previous.sequence + 1 if previous else 1,
                since=since,
                until=until,
            )
            digest.articles.set(articles)
            plan.recipients = _queue_deliveries(recipients, digest=digest)
            _enqueue_sending(plan.recipients)
    except IntegrityError as error:
        raise DigestConflict(str(error)) from error
    plan.digest = digest
    logger.info("Prepared %s with %d delivery(ies)", digest, plan.recipients)
    return plan


def deliveries_sweep(*, now: datetime.datetime | None = None) -> int:
    """Queue send tasks for deliveries no worker has taken (a lost task, a dead worker,
    a retry the task backend could not schedule); returns the tasks queued."""
    now = now or timezone.now()
    if not Delivery.objects.due(now - SWEEP_GRACE).exists():
        return 0
    count = settings.SUBSCRIPTIONS_SEND_PARALLELISM * settings.SUBSCRIPTIONS_BATCH_SIZE
    _enqueue_sending(count)
    return settings.SUBSCRIPTIONS_SEND_PARALLELISM


def announcements_record(*, articles: Iterable[Article]) -> int:
    """Mark `articles` as announced without emailing anyone: they were news elsewhere (an
    import of an existing blog). Digests still list them as usual."""
    rows = [Announcement(article=article) for article in articles]
    Announcement.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def deliveries_retry(*, deliveries: QuerySet) -> int:
    """Send failed or cancelled deliveries again from the first attempt (editors' action)."""
    count = deliveries.filter(
        status__in=[Delivery.Status.FAILED, Delivery.Status.CANCELLED]
    ).update(status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), claim="")
    _enqueue_sending(count)
    return count


def digest_send_test(*, digest: Digest, to: str) -> None:
    """Email `digest` as subscribers see it (with placeholder links) to an editor."""
    composer = Composer(digest_ids=[digest.pk])
    articles = composer.digest_articles[digest.pk]
    if not articles:
        raise ValueError(_("None of this digest's articles is public any more."))
    message = composer.message(
        to=to,
        kind="digest",
        period=digest.period,
        articles=articles,
        subscriber=None,
        tag_names=[],
    )
    get_connection().send_messages([message.email()])


@dataclasses.dataclass
class Prepared:
    announced: list[Announced]
    digest: DigestPlan | None
    conflict: bool = False
    sweep_tasks: int = 0


def newsletters_prepare(*, period: str | None, dry_run: bool = False) -> Prepared:
    """What `send_digests` does: announce articles that became public (scheduled ones
    included), prepare the `period` digest (None: skip it), and re-queue deliveries that no
    worker has taken. Safe to run again at any time."""
    announced = announcements_prepare(dry_run=dry_run)
    prepared = Prepared(announced=announced, digest=None)
    if period:
        try:
            prepared.digest = digest_prepare(period=period, dry_run=dry_run)
        except DigestConflict:
            prepared.conflict = True
    if not dry_run:
        prepared.sweep_tasks = deliveries_sweep()
    return prepared
