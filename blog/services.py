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

from blog.history import article_snapshot, changed_fields
from blog.images import renditions_make
from blog.models import Article, ArticleAutosave, ArticleVersion, Category, Image
from inspections.models import Inspection

logger = logging.getLogger(__name__)


@transaction.atomic
def article_save(
    *,
    article: Article,
    user: AbstractBaseUser | None,
    changed_fields: Iterable[str] = (),
    note: str = "",
    record_version: bool = True,
) -> Article:
    """Save `article` and record a version when anything editable changed.

    The admin passes `record_version=False` and records the version itself once the tags
    and related inspections (saved after the row) are in place.
    """
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
    if record_version:
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
        # An image reused from the library (featured elsewhere, or in a body) has them.
        renditions = (
            Image.objects.filter(file=image.name)
            .exclude(renditions={})
            .values_list("renditions", flat=True)
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
    *, article: Article, user: AbstractBaseUser | None, note: str = "", force: bool = False
) -> ArticleVersion | None:
    """Keep every editable field of the article as saved now, as a new version.

    Nothing is recorded when nothing differs from the latest version (a save with no
    change), unless `force`.
    """
    snapshot = article_snapshot(article)
    latest = article.versions.only("title", "standfirst", "body", "data").first()
    changed = changed_fields(latest.snapshot if latest else None, snapshot)
    if latest is not None and not changed and not force:
        return None
    return ArticleVersion.objects.create(
        article=article,
        title=snapshot.pop("title"),
        standfirst=snapshot.pop("standfirst"),
        body=snapshot.pop("body"),
        data=snapshot,
        changed=changed,
        created_by=user if user is not None and user.pk else None,
        note=note,
    )


# What restoring leaves alone (see RESTORED_FIELDS).
RESTORE_KEEPS = frozenset({"status", "published_at", "author"})
# What restoring brings back, with the category, tags, inspections and image. The
# publishing state (status, date) and the author stay as they are: restoring the wording
# of an old draft must not take a live article off the site, nor let an author publish.
RESTORED_FIELDS = (
    "title",
    "slug",
    "standfirst",
    "body",
    "featured_image_alt",
    "featured_image_caption",
    "featured_image_credit",
    "comments_open",
    "meta_description",
    "language",
)


@transaction.atomic
def article_version_restore(
    *, version: ArticleVersion, user: AbstractBaseUser | None
) -> ArticleVersion:
    """Put a version's fields back on its article; the restore is itself a new version.

    A slug now used by another article, a category or inspection since deleted, and an
    image file no longer stored are left as they are now.
    """
    article = Article.objects.select_for_update().get(pk=version.article_id)
    old = version.snapshot
    changed = set()
    for field in RESTORED_FIELDS:
        if field not in old or getattr(article, field) == old[field]:
            continue
        if (
            field == "slug"
            and Article.objects.filter(slug=old[field]).exclude(pk=article.pk).exists()
        ):
            continue
        setattr(article, field, old[field])
        changed.add(field)
    if "category" in old:
        category_id = old["category"][0] if old["category"] else None
        if category_id != article.category_id and (
            category_id is None or Category.objects.filter(pk=category_id).exists()
        ):
            article.category_id = category_id
            changed.add("category")
    image = old.get("featured_image")
    if image is not None and image != article.featured_image.name:
        storage = article.featured_image.storage
        if not image or storage.exists(image):
            article.featured_image = image
            changed.add("featured_image")
    article_save(article=article, user=user, changed_fields=changed, record_version=False)
    if "tags" in old:
        article.tags.set(old["tags"])
    if "related_inspections" in old:
        pks = [pk for pk, _title in old["related_inspections"]]
        article.related_inspections.set(Inspection.objects.filter(pk__in=pks))
    when = date_format(timezone.localtime(version.created_at), "DATETIME_FORMAT")
    note = _("Restored the version of %(when)s") % {"when": when}
    return article_version_record(article=article, user=user, note=note, force=True)


def article_autosave_put(
    *, user: AbstractBaseUser, article: Article | None, data: dict[str, list[str]]
) -> ArticleAutosave:
    """Keep what `user` has typed into `article`'s form (None: a new article), replacing
    their previous autosave of it."""
    autosave, _created = ArticleAutosave.objects.update_or_create(
        user=user, article=article, defaults={"data": data, "saved_at": timezone.now()}
    )
    return autosave


def article_autosave_discard(*, user: AbstractBaseUser, article: Article | None) -> int:
    """Forget `user`'s autosave of `article` (None: of their new article)."""
    deleted, _by_model = ArticleAutosave.objects.filter(user=user, article=article).delete()
    return deleted


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
