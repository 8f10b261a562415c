"""Writes that span rows or are reached from more than one entry point (admin form, actions)."""

import datetime
import logging
from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from blog.images import renditions_make
from blog.models import Article, ArticleVersion, Category

VERSIONED_FIELDS = ("title", "standfirst", "body")

logger = logging.getLogger(__name__)


@transaction.atomic
def article_save(
    *,
    article: Article,
    user: AbstractBaseUser | None,
    changed_fields: Iterable[str] = (),
    note: str = "",
) -> Article:
    """Save `article`; record a version when it is new or its title, standfirst or body changed."""
    is_new = article.pk is None
    changed_fields = set(changed_fields)
    before = None
    if not is_new and "slug" in changed_fields:
        before = Article.objects.filter(pk=article.pk).values("slug", "status").first()
    article.save()
    if before and before["slug"] != article.slug and before["status"] == Article.Status.PUBLISHED:
        article_slug_redirect(old_slug=before["slug"], article=article)
    if changed_fields & {"featured_image", "library_image"}:
        article_image_renditions_make(article=article)
    if is_new or set(changed_fields) & set(VERSIONED_FIELDS):
        article_version_record(article=article, user=user, note=note)
    return article


def article_slug_redirect(*, old_slug: str, article: Article) -> bool:
    """Send the article's address under `old_slug` to its current one (no chains, no loops)."""
    if not apps.is_installed("django.contrib.redirects"):
        return False
    from core.redirects import redirect_record

    old_path = reverse("blog:article-detail", kwargs={"slug": old_slug})
    return redirect_record(old_path=old_path, new_path=article.get_absolute_url())


def article_image_renditions_make(*, article: Article) -> Article:
    """Record the featured image's renditions on the article, made once per image file."""
    image = article.featured_image
    renditions = {}
    if image:
        # An image reused from the library already has renditions on another article.
        renditions = (
            Article.objects.filter(featured_image=image.name)
            .exclude(pk=article.pk)
            .exclude(featured_image_renditions={})
            .values_list("featured_image_renditions", flat=True)
            .first()
        ) or _renditions_or_none(image)
    article.featured_image_renditions = renditions
    article.save(update_fields=["featured_image_renditions"])
    return article


def _renditions_or_none(image) -> dict:
    """The image's renditions; none (the original alone is served) if storage fails."""
    try:
        return renditions_make(name=image.name, storage=image.storage)
    except OSError:
        # A full or failing disk: the article is saved with its original image;
        # `manage.py make_renditions` makes the rest once storage is back.
        logger.exception("Could not write the renditions of %s", image.name)
        return {}


def article_version_record(
    *, article: Article, user: AbstractBaseUser | None, note: str = ""
) -> ArticleVersion:
    """Keep the article's current title, standfirst and body as a version."""
    return ArticleVersion.objects.create(
        article=article,
        title=article.title,
        standfirst=article.standfirst,
        body=article.body,
        created_by=user if user is not None and user.pk else None,
        note=note,
    )


@transaction.atomic
def article_version_restore(
    *, version: ArticleVersion, user: AbstractBaseUser | None
) -> ArticleVersion:
    """Put a version's text back on its article; the restore is itself a new version."""
    article = Article.objects.select_for_update().get(pk=version.article_id)
    for field in VERSIONED_FIELDS:
        setattr(article, field, getattr(version, field))
    article.save()
    when = date_format(timezone.localtime(version.created_at), "DATETIME_FORMAT")
    note = _("Restored the version of %(when)s") % {"when": when}
    return article_version_record(article=article, user=user, note=note)


@transaction.atomic
def article_publish(*, articles: Iterable[Article], when: datetime.datetime | None = None) -> int:
    """Publish `articles`: at `when`, else at the date they already carry, else now.

    Saved one by one so that the save signals (cache refresh, subscriber announcements) run.
    """
    now = timezone.now()
    count = 0
    for article in articles:
        article.status = Article.Status.PUBLISHED
        article.published_at = when or article.published_at or now
        article.save(update_fields=["status", "published_at", "updated_at"])
        count += 1
    return count


@transaction.atomic
def article_unpublish(*, articles: Iterable[Article]) -> int:
    """Take `articles` off the site (back to draft), keeping their publication date."""
    count = 0
    for article in articles:
        if article.status != Article.Status.DRAFT:
            article.status = Article.Status.DRAFT
            article.save(update_fields=["status", "updated_at"])
            count += 1
    return count


@transaction.atomic
def article_set_category(*, articles: Iterable[Article], category: Category | None) -> int:
    """File `articles` under `category` (None: no category)."""
    count = 0
    for article in articles:
        article.category = category
        article.save(update_fields=["category", "updated_at"])
        count += 1
    return count
