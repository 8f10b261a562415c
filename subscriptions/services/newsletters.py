"""Preparing newsletters: announcements of new articles and inspections, digests, and their
deliveries."""

import dataclasses
import datetime
import logging
import math
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blog.models import Article
from inspections.models import Inspection
from subscriptions.emails import Composer
from subscriptions.items import article_keys, inspection_keys, merged_keys
from subscriptions.models import (
    Announcement,
    Delivery,
    Digest,
    InspectionAnnouncement,
    Subscriber,
)

logger = logging.getLogger(__name__)

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
    recipients: QuerySet,
    *,
    digest: Digest | None = None,
    article: Article | None = None,
    inspection: Inspection | None = None,
) -> int:
    """One delivery per recipient, inserted by the database itself (INSERT … SELECT: no row
    travels to Python, so 100,000 take seconds); existing ones are left alone. Returns the
    number inserted."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    values = {
        "subscriber_id": None,  # from the SELECT
        "digest_id": digest.pk if digest else None,
        "article_id": article.pk if article else None,
        "inspection_id": inspection.pk if inspection else None,
        "status": str(Delivery.Status.PENDING),
        "attempts": 0,
        "next_attempt_at": now,
        "claim": "",
        "last_error": "",
        "message_id": "",
        "created_at": now,
    }
    columns = {field.name: field.column for field in Delivery._meta.concrete_fields}
    names = [connection.ops.quote_name(columns.get(n.removesuffix("_id"), n)) for n in values]
    select, params = recipients.order_by().values_list("pk").query.sql_with_params()
    constants = list(values.values())[1:]
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Delivery._meta.db_table)} "
        f"({', '.join(names)}) "
        f"SELECT recipients.pk, {', '.join(['%s'] * len(constants))} FROM ({select}) recipients "
        # WHERE: SQLite would read ON as a join constraint without it.
        "WHERE true ON CONFLICT DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*constants, *params])
        return max(cursor.rowcount, 0)


@dataclasses.dataclass
class Announced:
    item: Article | Inspection
    recipients: int

    @property
    def article(self) -> Article | None:
        return self.item if isinstance(self.item, Article) else None

    @property
    def inspection(self) -> Inspection | None:
        return self.item if isinstance(self.item, Inspection) else None


def _new_since(now: datetime.datetime) -> datetime.datetime:
    """Items dated before this are never news (SUBSCRIPTIONS_NEW_ARTICLE_MAX_AGE_DAYS)."""
    return now - datetime.timedelta(days=settings.SUBSCRIPTIONS_NEW_ARTICLE_MAX_AGE_DAYS)


def unannounced_articles(now: datetime.datetime) -> QuerySet:
    """Public articles, recent enough to be news, that were never announced."""
    return (
        Article.objects.published()
        .filter(published_at__gte=_new_since(now), published_at__lte=now)
        .filter(~Exists(Announcement.objects.filter(article=OuterRef("pk"))))
    )


def unannounced_inspections(now: datetime.datetime) -> QuerySet:
    """Public inspections, recent enough to be news, that were never announced.

    Inspection.objects.published() alone says what is public (scheduled records join it when
    their go-live time comes). News: it went live recently and the report itself is recent
    (an import of old reports goes live today, and is still not news)."""
    since = _new_since(now)
    return (
        Inspection.objects.published()
        .filter(live_at__gte=since, published_on__gte=timezone.localdate(since))
        .filter(~Exists(InspectionAnnouncement.objects.filter(inspection=OuterRef("pk"))))
    )


def announcements_prepare(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> list[Announced]:
    """Announce articles and inspections that became public (scheduled ones included) to
    "each" subscribers who want them, once per item ever; items dated more than
    SUBSCRIPTIONS_NEW_ARTICLE_MAX_AGE_DAYS ago are never announced.
    """
    now = now or timezone.now()
    articles = unannounced_articles(now).prefetch_related("tags").order_by("published_at", "pk")
    inspections = (
        unannounced_inspections(now)
        .prefetch_related("tags", "inspected")
        .order_by("published_on", "pk")
    )
    announced = []
    candidates = [(a, article_keys(a)) for a in articles]
    candidates += [(i, inspection_keys(i)) for i in inspections]
    for item, keys in candidates:
        recipients = Subscriber.objects.due_for(frequency=Subscriber.Frequency.EACH, keys=keys)
        if dry_run:
            announced.append(Announced(item, recipients.count()))
            continue
        with transaction.atomic():
            if isinstance(item, Article):
                _row, created = Announcement.objects.get_or_create(
                    article=item, defaults={"announced_at": now}
                )
                subject = {"article": item}
            else:
                _row, created = InspectionAnnouncement.objects.get_or_create(
                    inspection=item, defaults={"announced_at": now}
                )
                subject = {"inspection": item}
            if not created:  # another process got there first
                continue
            queued = _queue_deliveries(recipients, **subject)
            _enqueue_sending(queued)
        logger.info("Announced %s %s to %d subscriber(s)", type(item).__name__, item.pk, queued)
        announced.append(Announced(item, queued))
    return announced


@dataclasses.dataclass
class DigestPlan:
    period: str
    since: datetime.datetime
    until: datetime.datetime
    articles: list[Article]
    inspections: list[Inspection] = dataclasses.field(default_factory=list)
    recipients: int = 0
    digest: Digest | None = None

    @property
    def items(self) -> int:
        return len(self.articles) + len(self.inspections)


def _news_between(
    *, period: str, start: datetime.datetime, until: datetime.datetime
) -> tuple[QuerySet, QuerySet]:
    """The one rule for what a `period` digest carries: public items that became news in
    (start, until] — when they were announced, or, for one not announced yet, when it went
    public (an article's published_at, an inspection's live_at) — and that no digest of the
    period carried already."""
    article_news = Announcement.objects.filter(
        article=OuterRef("pk"), announced_at__gt=start, announced_at__lte=until
    )
    article_announced = Announcement.objects.filter(article=OuterRef("pk"))
    article_carried = Digest.articles.through.objects.filter(
        article=OuterRef("pk"), digest__period=period
    )
    articles = (
        Article.objects.published()
        .filter(published_at__lte=until)
        .filter(Exists(article_news) | (~Exists(article_announced) & Q(published_at__gt=start)))
        .exclude(Exists(article_carried))
    )
    inspection_news = InspectionAnnouncement.objects.filter(
        inspection=OuterRef("pk"), announced_at__gt=start, announced_at__lte=until
    )
    inspection_announced = InspectionAnnouncement.objects.filter(inspection=OuterRef("pk"))
    inspection_carried = Digest.inspections.through.objects.filter(
        inspection=OuterRef("pk"), digest__period=period
    )
    # Not announced yet: news if announcements_prepare would announce it (a recent report).
    recent = Q(live_at__gt=start, published_on__gte=timezone.localdate(_new_since(until)))
    inspections = (
        Inspection.objects.published()
        .filter(live_at__lte=until)
        .filter(Exists(inspection_news) | (~Exists(inspection_announced) & recent))
        .exclude(Exists(inspection_carried))
    )
    return articles, inspections


def digest_prepare(
    *, period: str, now: datetime.datetime | None = None, dry_run: bool = False
) -> DigestPlan:
    """Record the `period` digest of the articles and inspections that became news since the
    previous one, and queue one delivery per due subscriber who wants any of them.

    One rule for every run (_news_between): items announced since the previous digest of
    the period began — the last day or week for the first one — that no digest of the
    period carried. Late items (public today with an earlier date) count from when they
    were announced; rerunning finds nothing new and prepares nothing. No items: no digest,
    no deliveries. Raises DigestConflict when a concurrent run prepared it first.
    """
    until = now or timezone.now()
    previous = Digest.objects.filter(period=period).order_by("-sequence").first()
    if previous is None:
        since = start = until - Digest.length(period)
    else:
        # From the previous digest's own start: an item announced while it was being
        # prepared (and so not in it) is still caught; what it carried is excluded.
        since, start = previous.until, previous.since
    article_qs, inspection_qs = _news_between(period=period, start=start, until=until)
    articles = list(article_qs.prefetch_related("tags").order_by("-published_at", "-pk"))
    inspections = list(
        inspection_qs.prefetch_related("tags", "inspected").order_by("-published_on", "-pk")
    )
    plan = DigestPlan(
        period=period, since=since, until=until, articles=articles, inspections=inspections
    )
    if not plan.items:
        return plan
    keys = merged_keys(
        [article_keys(a) for a in articles] + [inspection_keys(i) for i in inspections]
    )
    recipients = Subscriber.objects.due_for(frequency=period, keys=keys)
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
            digest.inspections.set(inspections)
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
    import of an existing blog). Each counts as news from its own date, so digests list the
    recent ones as usual and never the archive."""
    rows = [
        Announcement(article=article, announced_at=article.published_at or timezone.now())
        for article in articles
    ]
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
    inspections = composer.digest_inspections[digest.pk]
    if not articles and not inspections:
        raise ValueError(_("Nothing in this digest is public any more."))
    message = composer.message(
        to=to,
        kind="digest",
        period=digest.period,
        articles=articles,
        inspections=inspections,
        subscriber=None,
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
