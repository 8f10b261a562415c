"""React to blog's Article saves: an article that is public after a save is announced to
"each article" subscribers by a task, after the save's transaction commits.

Only a task is queued here; the work (idempotent: one Announcement per article, ever) is
services.announcements_prepare, which `send_digests` also runs to catch up scheduled
articles, whose time comes without any save.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone

from blog.models import Article


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


def connect() -> None:
    post_save.connect(article_saved, sender=Article, dispatch_uid="subscriptions-article-saved")
