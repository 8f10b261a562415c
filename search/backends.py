"""Full-text matching, ranking, highlighting and suggestions: one interface, two databases.

This is the one vendor check for search. Everything else (filters, facets, counts, sorting,
pages) is plain ORM over `SearchDocument`, the same on both databases.
"""

import difflib
from functools import cache

from django.db import connections
from django.db.models import BooleanField, F, QuerySet, TextField, Value
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.models import SearchDocument, SearchTerm
from search.query import ParsedQuery

# Highlight markers: private-use characters, removed from every indexed text, so that the
# highlighted passage can be escaped first and marked up after.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 30


def highlighted(text: str) -> SafeString:
    """`text` escaped, with the matched words in <mark>."""
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # escaped above: only our own tags are markup


class SearchBackend:
    def matching(self, documents: QuerySet, query: ParsedQuery) -> QuerySet:
        """`documents` that match `query` (usable as a subquery: counts, facets)."""
        raise NotImplementedError

    def ranked(self, documents: QuerySet, query: ParsedQuery) -> QuerySet:
        """`documents` that match `query`, annotated with `rank` (higher is better), for
        ordering a page of results (not for use as a subquery)."""
        raise NotImplementedError

    def snippets(self, ids: list[int], query: ParsedQuery) -> dict[int, SafeString]:
        """A highlighted passage of each of the documents `ids`."""
        raise NotImplementedError

    def similar_words(self, word: str) -> list[str]:
        """Words of the site's vocabulary spelt like `word`, closest first."""
        raise NotImplementedError

    def optimise(self) -> None:
        """Tidy the index after a rebuild."""


class VectorColumn(Expression):
    """The documents' stored tsvector: a PostgreSQL-only column the model does not declare,
    named through the query's own alias for the table (so it works inside subqueries too)."""

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        alias = compiler.query.base_table or SearchDocument._meta.db_table
        return f"{compiler.quote_name_unless_alias(alias)}.vector", []


class PostgresBackend(SearchBackend):
    """Stored weighted tsvector (GIN), websearch_to_tsquery, ts_rank, ts_headline, pg_trgm."""

    def search_query(self, query: ParsedQuery):
        from django.contrib.postgres.search import SearchQuery

        return SearchQuery(query.websearch(), search_type="websearch", config="english")

    def matching(self, documents, query):
        return documents.alias(vector=VectorColumn()).filter(vector=self.search_query(query))

    def ranked(self, documents, query):
        from django.contrib.postgres.search import SearchRank

        return self.matching(documents, query).annotate(
            rank=SearchRank(F("vector"), self.search_query(query)) * F("boost")
        )

    def snippets(self, ids, query):
        from django.contrib.postgres.search import SearchHeadline

        rows = (
            SearchDocument.objects.filter(pk__in=ids)
            .annotate(
                snippet=SearchHeadline(
                    Concat("summary", Value(" "), "body", output_field=TextField()),
                    self.search_query(query),
                    config="english",
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=SNIPPET_WORDS,
                    min_words=SNIPPET_WORDS // 2,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("pk", "snippet")
        )
        return {pk: highlighted(snippet) for pk, snippet in rows}

    def similar_words(self, word):
        from django.contrib.postgres.search import TrigramSimilarity

        # `%` is pg_trgm's similarity operator, which the trigram index answers.
        close = RawSQL("word %% %s", [word], output_field=BooleanField())
        return list(
            SearchTerm.objects.filter(close)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "-documents")
            .values_list("word", flat=True)[:5]
        )

    def optimise(self):
        with connections[SearchDocument.objects.db].cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument, search_searchfacet, search_searchterm")


class SqliteBackend(SearchBackend):
    """FTS5 (porter stemmer) through triggers: MATCH, bm25 with column weights, snippet()."""

    # bm25 weights of title, summary, keywords and body (as PostgreSQL's A, B, C, D).
    WEIGHTS = "10.0, 4.0, 2.0, 1.0"

    def matching(self, documents, query):
        matched = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [query.fts5()])
        return documents.filter(pk__in=matched)

    def ranked(self, documents, query):
        # bm25() needs the FTS table in the query itself: joined by rowid. extra() is the ORM's
        # way to join a table it does not model; the result is only ever a top-level query.
        table = SearchDocument._meta.db_table
        return documents.extra(
            tables=["search_fts"],
            where=[f"search_fts.rowid = {table}.id", "search_fts MATCH %s"],
            params=[query.fts5()],
            # bm25: lower is better.
            select={"rank": f"-bm25(search_fts, {self.WEIGHTS}) * {table}.boost"},
        )

    def snippets(self, ids, query):
        if not ids:
            return {}
        placeholders = ", ".join(["%s"] * len(ids))
        sql = (
            f"SELECT rowid, snippet(search_fts, -1, %s, %s, '…', {SNIPPET_WORDS // 2}) "
            f"FROM search_fts WHERE search_fts MATCH %s AND rowid IN ({placeholders})"
        )
        with connections[SearchDocument.objects.db].cursor() as cursor:
            cursor.execute(sql, [MARK_START, MARK_END, query.fts5(), *ids])
            return {pk: highlighted(snippet) for pk, snippet in cursor.fetchall()}

    def similar_words(self, word):
        # Words of about the same length sharing the first letter, ranked by edit similarity.
        candidates = SearchTerm.objects.filter(
            length__range=(len(word) - 2, len(word) + 2), word__startswith=word[:1]
        ).values_list("word", "documents")
        documents = dict(candidates)
        close = difflib.get_close_matches(word, documents, n=10, cutoff=0.75)
        scored = sorted(
            close,
            key=lambda w: (-difflib.SequenceMatcher(None, word, w).ratio(), -documents[w]),
        )
        return scored[:5]

    def optimise(self):
        with connections[SearchDocument.objects.db].cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


@cache
def _backend_for(vendor: str) -> SearchBackend:
    return PostgresBackend() if vendor == "postgresql" else SqliteBackend()


def backend(using: str = "default") -> SearchBackend:
    """The search backend of the database `using`: the one vendor check for search."""
    return _backend_for(connections[using].vendor)
