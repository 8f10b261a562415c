"""The content registry: each content app says which kinds of public content it owns.

Content apps (blog, inspections) register their kinds in `AppConfig.ready()`. Plug-ins
(comments, sharing, search, subscriptions) and the sitemap ask this registry what exists,
how to find the public objects, and how to describe a page, instead of importing models.

The registry is filled at start-up from code, identically in every process; nothing in it
changes while the site runs.
"""

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.html import strip_tags

from core.site import absolute_url


def plain_summary(text: str, limit: int = 300) -> str:
    """`text` without markup or runs of spaces, at most `limit` characters: a longer text
    ends at the last sentence or word that fits, with an ellipsis, never mid-word."""
    text = " ".join(strip_tags(text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # drop the word the limit fell inside
    sentence_end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if sentence_end > limit // 2:
        return cut[: sentence_end + 1]
    return cut.rstrip(" ,;:–—-") + "…"


@dataclass
class PageFacts:
    """What a page offers to share: enough for share links, Open Graph and JSON-LD."""

    title: str
    path: str
    description: str = ""
    print_path: str = ""
    image_url: str = ""
    image_width: int | None = None
    image_height: int | None = None
    image_alt: str = ""
    og_type: str = "website"
    published: Any = None
    modified: Any = None
    author_name: str = ""
    author_url: str = ""
    section: str = ""
    tags: list[str] = field(default_factory=list)
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)
    json_ld_type: str = ""
    # Set for registered content kinds: the generated preview image is addressed by both.
    kind: str = ""
    slug: str = ""

    @property
    def url(self) -> str:
        return absolute_url(self.path)

    @property
    def published_iso(self) -> str:
        return self.published.isoformat() if self.published else ""

    @property
    def modified_iso(self) -> str:
        return self.modified.isoformat() if self.modified else ""


def listing_facts(request, title: str, description: str = "") -> PageFacts:
    """The page facts of a listing or hub: its canonical address is the listing itself on
    page 1 and `?page=N` after (filters are views of it, not pages of their own)."""
    page = request.GET.get("page", "")
    path = request.path + (f"?page={page}" if page.isdigit() and int(page) > 1 else "")
    return PageFacts(title=title, path=path, description=description)


@dataclass
class SearchEntry:
    """What one object offers the site search; the search plug-in indexes and ranks it.

    Weighted from most to least important: title, summary, keywords, body (markup is
    stripped when indexed).
    keywords: names a reader may search by (author, tags, category, organisations, ratings).
    byline: a short line shown under the result (author, inspectorate, organisation).
    date: when the content appeared (sort by date, the year facet).
    public_from: for content that becomes public by itself (a scheduled article), the moment
        it does; the search shows the entry from then on.
    facets: facet name ("tag", "category", "organisation", "inspectorate") -> (slug, label)s.
    language: the language the content is written in (blank: the interface's), so that a
        result in another language is marked with its own `lang`.
    """

    title: str
    url: str
    summary: str = ""
    keywords: list[str] = field(default_factory=list)
    body: str = ""
    byline: str = ""
    date: Any = None
    public_from: Any = None
    facets: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    language: str = ""


@dataclass(frozen=True)
class ContentKind:
    """One kind of public content and what plug-ins may ask of it.

    key: stable and URL-safe ("articles"); used in addresses such as the preview images.
    public: the kind's one definition of "visible to the public", as a queryset.
    describe: the page facts of one object (None for kinds without a page of their own).
    path_prefix: objects live at /<path_prefix>/<slug>/ (plug-ins add sub-pages there).
    published_field: the date the object became public (the comment-closing clock).
    commentable: readers may comment on objects of this kind.
    search_index: the objects the site search holds: the public ones and those that become
        public by themselves at their date (scheduled articles), related rows loaded; None:
        the kind is not searched.
    search_entry: what one of those objects contributes to the search (a SearchEntry).
    search_related: (model, objects) pairs: when a row of `model` is saved or deleted, the
        entries of `objects(row)` (a queryset or pks of this kind) change too.
    search_boost: how this kind ranks against others equally relevant (findings below the
        articles and inspections that explain them).
    """

    key: str
    model: type[models.Model]
    public: Callable[[], models.QuerySet]
    label: str = ""
    describe: Callable[[Any], PageFacts] | None = None
    path_prefix: str = ""
    published_field: str = ""
    commentable: bool = False
    search_index: Callable[[], models.QuerySet] | None = None
    search_entry: Callable[[Any], SearchEntry] | None = None
    search_related: tuple[tuple[type[models.Model], Callable[[Any], Any]], ...] = ()
    search_boost: float = 1.0

    @property
    def model_label(self) -> str:
        return self.model._meta.label_lower


class Registry:
    def __init__(self) -> None:
        self._kinds: dict[str, ContentKind] = {}
        self._describers: dict[type[models.Model], Callable[[Any], PageFacts]] = {}
        self._sitemaps: dict[str, type] = {}
        self._listing_annotations: dict[str, Callable[[models.QuerySet], models.QuerySet]] = {}
        self._bulk = threading.local()

    # Content kinds
    def register(self, kind: ContentKind) -> None:
        self._kinds[kind.key] = kind
        if kind.describe is not None:
            self._describers[kind.model] = kind.describe

    def kinds(self) -> list[ContentKind]:
        return list(self._kinds.values())

    def get(self, key: str) -> ContentKind:
        """The kind registered as `key`; LookupError for anything else."""
        try:
            return self._kinds[key]
        except KeyError:
            raise LookupError(key) from None

    def for_model(self, model_or_object: type[models.Model] | models.Model) -> ContentKind | None:
        model = model_or_object if isinstance(model_or_object, type) else type(model_or_object)
        return next((kind for kind in self._kinds.values() if kind.model is model), None)

    def for_label(self, label: str) -> ContentKind:
        """The kind of the model "app_label.model"; LookupError for anything else."""
        label = label.lower()
        for kind in self._kinds.values():
            if kind.model_label == label:
                return kind
        raise LookupError(label)

    # Page facts for pages that are not content kinds (tag, category, author pages)
    def register_page(self, model: type[models.Model], describe: Callable[[Any], PageFacts]):
        self._describers[model] = describe

    def describe(self, obj: Any) -> PageFacts:
        """The page facts of `obj`, worked out once per object (a page asks several times)."""
        if isinstance(obj, PageFacts):
            return obj
        cached = getattr(obj, "_page_facts", None)
        if cached is not None:
            return cached
        describe = self._describers.get(type(obj))
        if describe is None:
            raise TypeError(f"Nothing describes a {type(obj).__name__} page")
        facts = describe(obj)
        obj._page_facts = facts
        return facts

    # Sitemap sections
    def register_sitemap(self, name: str, sitemap: type) -> None:
        self._sitemaps[name] = sitemap

    def sitemaps(self) -> dict[str, type]:
        return dict(self._sitemaps)

    # Listing annotations: a plug-in adds a column to every list of a kind (one query).
    def register_listing_annotation(
        self, name: str, annotate: Callable[[models.QuerySet], models.QuerySet]
    ) -> None:
        self._listing_annotations[name] = annotate

    def annotate_listing(self, queryset: models.QuerySet) -> models.QuerySet:
        for annotate in self._listing_annotations.values():
            queryset = annotate(queryset)
        return queryset

    # Bulk changes: an import saves thousands of objects; plug-ins that react to each save
    # (the search index) defer their work and do it once, batched, at the end.
    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Inside, `defer()` collects plug-ins' per-object work; on leaving the outermost
        block it runs once per plug-in with everything collected (after the commit, when a
        transaction is open)."""
        self._bulk.depth = getattr(self._bulk, "depth", 0) + 1
        if self._bulk.depth == 1:
            self._bulk.pending = {}
        try:
            yield
        finally:
            self._bulk.depth -= 1
            if self._bulk.depth == 0:
                pending, self._bulk.pending = self._bulk.pending, {}
                # Also after a failure: the work is idempotent (bring these objects' derived
                # data up to date), and a block without a transaction may have saved some.
                for run, items in pending.values():
                    transaction.on_commit(lambda run=run, items=items: run(list(items)))

    def in_bulk(self) -> bool:
        return getattr(self._bulk, "depth", 0) > 0

    def defer(self, name: str, run: Callable[[list], None], items: Iterable) -> None:
        """Inside `bulk()`, add `items` to the work `name`, run once as `run(all items)` at the
        end; outside, run it now."""
        if not self.in_bulk():
            run(list(items))
            return
        _run, collected = self._bulk.pending.setdefault(name, (run, {}))
        collected.update(dict.fromkeys(items))  # ordered, no repeats


registry = Registry()
