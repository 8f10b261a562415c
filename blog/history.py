"""What a version of an article records, and how two versions read side by side."""

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blog.models import Article
from core.diff import Change, changes, html_to_text

# The snapshot, in the order the comparison lists it. Related rows are kept as
# [pk, name] pairs, so a version reads (and restores) without asking the database.
SNAPSHOT_FIELDS = {
    "title": gettext_lazy("Title"),
    "slug": gettext_lazy("Slug"),
    "standfirst": gettext_lazy("Standfirst"),
    "body": gettext_lazy("Body"),
    "author": gettext_lazy("Author"),
    "featured_image": gettext_lazy("Featured image"),
    "featured_image_alt": gettext_lazy("Alt text"),
    "featured_image_caption": gettext_lazy("Caption"),
    "featured_image_credit": gettext_lazy("Credit"),
    "category": gettext_lazy("Category"),
    "tags": gettext_lazy("Tags"),
    "related_inspections": gettext_lazy("Related inspections"),
    "status": gettext_lazy("Status"),
    "published_at": gettext_lazy("Publication date"),
    "comments_open": gettext_lazy("Comments open"),
    "meta_description": gettext_lazy("Meta description"),
    "language": gettext_lazy("Language"),
}
TEXT_COLUMNS = ("title", "standfirst", "body")


def article_snapshot(article: Article) -> dict:
    """Every editable field of `article` as saved, JSON-able (two queries: tags, inspections)."""
    return {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
        "author": [article.author_id, article.author.get_username()] if article.author_id else None,
        "featured_image": article.featured_image.name or "",
        "featured_image_alt": article.featured_image_alt,
        "featured_image_caption": article.featured_image_caption,
        "featured_image_credit": article.featured_image_credit,
        "category": [article.category_id, article.category.name] if article.category_id else None,
        "tags": sorted(article.tags.values_list("name", flat=True), key=str.lower),
        "related_inspections": [
            list(row)
            for row in article.related_inspections.order_by("pk").values_list("pk", "title")
        ],
        "status": article.status,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "comments_open": article.comments_open,
        "meta_description": article.meta_description,
        "language": article.language,
    }


def changed_fields(before: dict | None, after: dict) -> list[str]:
    """Names of the snapshot fields that differ; every recorded field when there is no before."""
    if before is None:
        return [name for name in SNAPSHOT_FIELDS if after.get(name) not in (None, "", [], False)]
    return [
        name
        for name in SNAPSHOT_FIELDS
        if name in after
        and (name in before or name in TEXT_COLUMNS)
        and before.get(name) != after.get(name)
    ]


def readable(name: str, value) -> str:
    """One snapshot value as an editor reads it."""
    if value in (None, "", []):
        return ""
    if name == "body":
        return html_to_text(value)
    if name in {"author", "category"}:
        return str(value[1])
    if name == "related_inspections":
        return "\n".join(str(title) for _pk, title in value)
    if name == "tags":
        return ", ".join(value)
    if name == "status":
        return str(dict(Article.Status.choices).get(value, value))
    if name == "published_at":
        when = parse_datetime(value)
        return date_format(timezone.localtime(when), "DATETIME_FORMAT") if when else value
    if name == "comments_open":
        return _("Yes") if value else _("No")
    if name == "language":
        return str(dict(settings.LANGUAGES).get(value, value))
    return str(value)


def version_changes(old: dict, new: dict) -> list[Change]:
    """The fields that differ between two snapshots, each as an escaped word-level diff.

    Fields an older version did not record (it kept only its text) are left out rather
    than shown as removed.
    """
    names = [
        name for name in SNAPSHOT_FIELDS if name in TEXT_COLUMNS or (name in old and name in new)
    ]
    labels = {name: str(SNAPSHOT_FIELDS[name]) for name in names}
    return changes(
        {name: readable(name, old.get(name)) for name in names},
        {name: readable(name, new.get(name)) for name in names},
        labels,
    )


def field_labels(names: list[str]) -> list[str]:
    return [str(SNAPSHOT_FIELDS[name]) for name in names if name in SNAPSHOT_FIELDS]
