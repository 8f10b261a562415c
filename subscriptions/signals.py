"""React to saves of articles and inspections: once the save's transaction commits, a task
announces whatever became public to "each" subscribers.

Only a task is queued here; the work (idempotent: one announcement per item, ever) is
services.announcements_prepare, which asks Article/Inspection.objects.published() what is
public and which `send_digests` also runs to catch up scheduled items, whose time comes
without any save. An inspection's organisations and tags are saved after the record itself
(admin inlines), which is why the task runs after commit.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from blog.models import Article
from core.pagecache import bump_on_change
from inspections.models import Inspection


def _enqueue_announcements() -> None:
    from subscriptions import tasks

    tasks.announce_articles.enqueue()


def article_saved(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    if raw or not instance.is_published:
        return
    max_age = datetime.timedelta(days=settings.SUBSCRIPTIONS_NEW_ARTICLE_MAX_AGE_DAYS)
    if instance.published_at < timezone.now() - max_age:
        return  # an edit to an old article, or an import of the archive: never news
    transaction.on_commit(_enqueue_announcements)


def inspection_saved(sender, instance: Inspection, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    max_age = datetime.timedelta(days=settings.SUBSCRIPTIONS_NEW_ARTICLE_MAX_AGE_DAYS)
    if instance.published_on < timezone.localdate() - max_age:
        return  # an old report entered for the record: never news
    # Whether it is public is published()'s to say, asked by the task after commit.
    transaction.on_commit(_enqueue_announcements)


def connect() -> None:
    # The newsletter archive (/newsletter/) lists digests.
    from subscriptions.models import Digest

    bump_on_change(Digest, uid="subscriptions")
    post_save.connect(article_saved, sender=Article, dispatch_uid="subscriptions-article-saved")
    post_save.connect(
        inspection_saved, sender=Inspection, dispatch_uid="subscriptions-inspection-saved"
    )
