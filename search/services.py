"""Writing the search index: documents from the content registry's search entries."""

import datetime
import html
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connections, transaction
from django.utils import timezone

from core.content import ContentKind, SearchEntry, registry
from search.backends import MARK_END, MARK_START, backend
from search.models import SearchDocument, SearchFacet, SearchTerm, filter_token
from search.query import normalise

BATCH_SIZE = 2000
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,40}")
MARKERS = str.maketrans("", "", MARK_START + MARK_END)
# Anything that looks like a tag or a comment (so "a < b" stays text). A space, not nothing,
# takes its place: "</p><p>" must not join the last word of one paragraph to the next.
MARKUP = re.compile(r"<!--.*?-->|</?[A-Za-z!][^>]*>", re.DOTALL)


def searchable_kinds() -> list[ContentKind]:
    return [kind for kind in registry.kinds() if kind.search_index and kind.search_entry]


def plain_text(text: str) -> str:
    """`text` without markup, entities, highlight markers or runs of spaces.

    One regular expression rather than Django's strip_tags (an HTML parser run until nothing
    changes): the index only ever shows this text escaped, and a rebuild strips every body.
    """
    text = text or ""
    if "<" in text:
        text = MARKUP.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.translate(MARKERS).split())


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
) -> tuple[SearchDocument, list[tuple[str, str, str]]]:
    """The document of `obj` and its facets as (name, value, label)."""
    title = plain_text(entry.title)
    date = as_datetime(entry.date)
    facets = [
        (name, value[:200], label[:300])
        for name, values in entry.facets.items()
        for value, label in dict(values).items()
    ]
    tokens = [filter_token("kind", kind.key), *(filter_token(name, v) for name, v, _ in facets)]
    if date:
        tokens.append(filter_token("year", timezone.localtime(date).year))
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
        date=date,
        public_from=as_datetime(entry.public_from),
        tokens=" ".join(tokens),
        language=entry.language[:10],
    )
    return document, facets


def _insert_facets(rows: list[tuple[int, str, str, str]]) -> None:
    """Facet rows written with one executemany: a rebuild writes several per document, and
    building a model instance for each cost more than the insert itself."""
    if not rows:
        return
    table = SearchFacet._meta.db_table
    with connections[SearchFacet.objects.db].cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (document_id, name, value, label) VALUES (%s, %s, %s, %s)",
            rows,
        )


def _write(
    kind: ContentKind, objects: Iterable, written_so_far: Callable[[int], None] | None = None
) -> tuple[int, Counter]:
    """Add documents for `objects`; returns how many and their words' document counts.
    `written_so_far(n)` hears of each batch written (a command's progress bar)."""
    written, words = 0, Counter()
    batch: list[tuple[SearchDocument, list[tuple[str, str, str]]]] = []

    def flush():
        documents = SearchDocument.objects.bulk_create([document for document, _ in batch])
        _insert_facets(
            [
                (document.pk, *facet)
                for document, (_, facets) in zip(documents, batch, strict=True)
                for facet in facets
            ]
        )
        for document in documents:
            words.update(vocabulary(document))
        batch.clear()
        return len(documents)

    for obj in objects:
        batch.append(document_for(kind, obj, kind.search_entry(obj)))
        if len(batch) >= BATCH_SIZE:
            written += flush()
            if written_so_far:
                written_so_far(written)
    if batch:
        written += flush()
        if written_so_far:
            written_so_far(written)
    return written, words


def search_index_update(*, kind: str, pks: Iterable[int]) -> None:
    """Bring the documents of these objects of `kind` up to date: added, changed or removed."""
    content_kind = registry.get(kind)
    pks = sorted(set(pks))
    if not pks or content_kind.search_index is None:
        return
    words = Counter()
    with transaction.atomic():
        # In batches: after an import (`registry.bulk()`) this is thousands of objects at once.
        for start in range(0, len(pks), BATCH_SIZE):
            batch = pks[start : start + BATCH_SIZE]
            old = SearchDocument.objects.filter(kind=kind, object_id__in=batch)
            SearchFacet.objects.filter(document__in=old).delete()
            old.delete()
            objects = content_kind.search_index().filter(pk__in=batch)
            words.update(_write(content_kind, objects)[1])
        SearchTerm.objects.bulk_create(
            [SearchTerm(word=word, length=len(word)) for word in words],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )


def _delete_everything() -> None:
    # Plain DELETEs: the ORM's delete() would first read every id to cascade to the facets.
    with connections[SearchDocument.objects.db].cursor() as cursor:
        for model in (SearchFacet, SearchDocument, SearchTerm):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


@dataclass
class RebuildReport:
    documents: dict[str, int]
    words: int
    seconds: float


def search_index_rebuild(
    *, dry_run: bool = False, progress: Callable[[str, int, int], None] | None = None
) -> RebuildReport:
    """Write every search document and the vocabulary afresh, in one transaction.
    `progress(kind, done, total)` hears how far each kind has come."""
    started = time.monotonic()
    counts: dict[str, int] = {}
    words = Counter()
    with transaction.atomic():
        _delete_everything()
        for kind in searchable_kinds():
            objects = kind.search_index()
            written_so_far = None
            if progress:
                total = objects.count()
                progress(kind.key, 0, total)

                def written_so_far(done, key=kind.key, total=total):
                    progress(key, done, total)

            written, kind_words = _write(
                kind, objects.iterator(chunk_size=BATCH_SIZE), written_so_far
            )
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
