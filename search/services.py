"""Writing the search index: documents from the content registry's search entries."""

import datetime
import html
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from core.content import ContentKind, SearchEntry, registry
from search.backends import MARK_END, MARK_START, backend
from search.models import SearchDocument, SearchFacet, SearchTerm
from search.query import normalise

BATCH_SIZE = 1000
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,40}")
MARKERS = str.maketrans("", "", MARK_START + MARK_END)


def searchable_kinds() -> list[ContentKind]:
    return [kind for kind in registry.kinds() if kind.search_index and kind.search_entry]


def plain_text(text: str) -> str:
    """`text` without markup, entities, highlight markers or runs of spaces."""
    return " ".join(html.unescape(strip_tags(text or "")).translate(MARKERS).split())


def as_datetime(value: datetime.date | None) -> datetime.datetime | None:
    """Dates (an inspection's day of publication) as the start of that day."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time()))


def vocabulary(document: SearchDocument) -> set[str]:
    text = " ".join([document.title, document.summary, document.keywords, document.body])
    return set(VOCABULARY_WORD.findall(text.lower()))


def document_for(
    kind: ContentKind, obj, entry: SearchEntry
) -> tuple[SearchDocument, list[SearchFacet]]:
    title = plain_text(entry.title)
    document = SearchDocument(
        kind=kind.key,
        boost=kind.search_boost,
        object_id=obj.pk,
        title=title,
        title_key=normalise(title)[:300],
        summary=plain_text(entry.summary),
        keywords=plain_text(" · ".join(word for word in entry.keywords if word)),
        body=plain_text(entry.body),
        url=entry.url[:500],
        byline=plain_text(entry.byline)[:300],
        date=as_datetime(entry.date),
        public_from=as_datetime(entry.public_from),
    )
    facets = [
        SearchFacet(document=document, name=name, value=value[:200], label=label[:300])
        for name, values in entry.facets.items()
        for value, label in dict(values).items()
    ]
    return document, facets


def _write(kind: ContentKind, objects: Iterable) -> tuple[int, Counter]:
    """Add documents for `objects`; returns how many and their words' document counts."""
    written, words = 0, Counter()
    batch: list[tuple[SearchDocument, list[SearchFacet]]] = []

    def flush():
        documents = SearchDocument.objects.bulk_create([document for document, _ in batch])
        for document, (_, facets) in zip(documents, batch, strict=True):
            for facet in facets:
                facet.document = document
        SearchFacet.objects.bulk_create([facet for _, facets in batch for facet in facets])
        for document in documents:
            words.update(vocabulary(document))
        batch.clear()
        return len(documents)

    for obj in objects:
        batch.append(document_for(kind, obj, kind.search_entry(obj)))
        if len(batch) >= BATCH_SIZE:
            written += flush()
    if batch:
        written += flush()
    return written, words


def search_index_update(*, kind: str, pks: Iterable[int]) -> None:
    """Bring the documents of these objects of `kind` up to date: added, changed or removed."""
    content_kind = registry.get(kind)
    pks = set(pks)
    if not pks or content_kind.search_index is None:
        return
    with transaction.atomic():
        SearchDocument.objects.filter(kind=kind, object_id__in=pks).delete()
        _written, words = _write(content_kind, content_kind.search_index().filter(pk__in=pks))
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=word, length=len(word)) for word in words], ignore_conflicts=True
        )


@dataclass
class RebuildReport:
    documents: dict[str, int]
    words: int
    seconds: float


def search_index_rebuild(*, dry_run: bool = False) -> RebuildReport:
    """Write every search document and the vocabulary afresh, in one transaction."""
    started = time.monotonic()
    counts: dict[str, int] = {}
    words = Counter()
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        for kind in searchable_kinds():
            written, kind_words = _write(kind, kind.search_index().iterator(chunk_size=BATCH_SIZE))
            counts[kind.key] = written
            words.update(kind_words)
        SearchTerm.objects.bulk_create(
            (
                SearchTerm(word=word, length=len(word), documents=count)
                for word, count in words.items()
            ),
            batch_size=5000,
        )
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        backend().optimise()
    return RebuildReport(documents=counts, words=len(words), seconds=time.monotonic() - started)
