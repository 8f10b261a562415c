"""The search index: one document per public object, its facets, and the site's vocabulary.

Rows are written the same way on every database (search/services.py). The full-text index over
them is the database's own, created by this app's migrations and kept in step by the
database itself: on PostgreSQL a stored, weighted `tsvector` column (generated from the
document's text) with a GIN index; on SQLite an FTS5 table that triggers keep in sync.
"""

import hashlib

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def filter_token(name: str, value: object) -> str:
    """The word that stands for `name=value` (kind, year or a facet) in the full-text index.

    Narrowing then happens inside the full-text index (an intersection there) rather than by
    joining every match back to the documents or facets tables. Lower-case letters only, so
    both databases' tokenizers keep it whole, and no English word looks like it.
    """
    digest = hashlib.blake2b(f"{name}={value}".encode(), digest_size=12).digest()
    return "zq" + "".join(chr(97 + byte % 26) for byte in digest)


class SearchDocumentQuerySet(models.QuerySet):
    def visible(self):
        """Documents readers may see now: scheduled content only once its moment has come.

        The index mirrors each kind's own `public()` rule: it holds public objects and those
        that become public by themselves (`SearchEntry.public_from`).
        """
        return self.filter(Q(public_from__isnull=True) | Q(public_from__lte=timezone.now()))


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.BigIntegerField(_("object id"))
    title = models.TextField(_("title"))
    # Lower-cased, spaces collapsed: an exact title match ranks first.
    title_key = models.CharField(max_length=300, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    keywords = models.TextField(_("keywords"), blank=True)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("address"), max_length=500)
    byline = models.CharField(_("byline"), max_length=300, blank=True)
    date = models.DateTimeField(_("date"), null=True, db_index=True)
    public_from = models.DateTimeField(_("public from"), null=True)
    boost = models.FloatField(default=1.0)  # the kind's search_boost
    # The content's language (blank: the interface's): results in another get their own lang.
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    # filter_token()s of the kind, the year and each facet: indexed, never shown.
    tokens = models.TextField(blank=True, default="")

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("search document")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchdocument_unique")
        ]
        indexes = [models.Index(fields=["kind", "-date"], name="searchdocument_kind_date")]

    def __str__(self):
        return self.title


class SearchFacet(models.Model):
    """One value a document can be narrowed by (a tag, a category, an organisation…)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=200)
    label = models.CharField(max_length=300)

    class Meta:
        indexes = [
            models.Index(fields=["name", "value", "document"], name="searchfacet_lookup"),
            models.Index(fields=["document", "name"], name="searchfacet_document"),
        ]

    def __str__(self):
        return f"{self.name}={self.value}"


class SearchTerm(models.Model):
    """A word of the site's own text, for "Did you mean …" suggestions."""

    word = models.CharField(max_length=60, unique=True)
    length = models.PositiveSmallIntegerField()
    documents = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["length", "word"], name="searchterm_length")]

    def __str__(self):
        return self.word
