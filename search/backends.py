"""Full-text matching, ranking, highlighting and suggestions: one interface, two databases.

This is the one vendor check for search. Everything else (facets, years, pages) is plain ORM
over `SearchDocument`, the same on both databases.

Nothing here visits every match of a common word: counts stop at a cap, and ranking scores a
bounded set of candidates (the exact title, the best title matches and the newest matches),
so a word in 100,000 documents costs about what one in 1,000 does.
"""

import difflib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from django.db import connections
from django.db.models import BooleanField, QuerySet, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.models import SearchDocument, SearchFacet, SearchTerm, filter_token
from search.query import ParsedQuery

# Highlight markers: private-use characters, removed from every indexed text, so that the
# highlighted passage can be escaped first and marked up after.
MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_WORDS = 30


def highlighted(text: str) -> SafeString:
    """`text` escaped, with the matched words in <mark>."""
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # escaped above: only our own tags are markup


@dataclass(frozen=True)
class Candidate:
    """A matching document, with what ordering and narrowing it needs (not its text)."""

    pk: int
    kind: str
    date: datetime | None
    visible: bool  # public now (scheduled content is indexed before its moment)
    exact_title: bool
    score: float  # relevance, the kind's boost applied: higher is better


class SearchBackend:
    def kind_counts(
        self, query: ParsedQuery, tokens: list[str], kinds: list[str], cap: int
    ) -> dict[str, int]:
        """Matches of each of `kinds` with all `tokens`, each counted up to `cap` + 1 (one
        query, answered by the full-text index alone)."""
        raise NotImplementedError

    def candidates(
        self, query: ParsedQuery, tokens: list[str], *, title_key: str, sort: str, limit: int
    ) -> list[Candidate]:
        """Matches with all `tokens`, scored, in no particular order: every match when there
        are at most `limit`; otherwise more than `limit` of them (about 2 × `limit`): for
        "date", the `limit` + 1 newest; for relevance, any with the exact title `title_key`,
        the best (or, on PostgreSQL, any) `limit` title matches and the `limit` + 1 newest."""
        raise NotImplementedError

    def facets_of(self, pks: list[int]) -> QuerySet:
        """The facet rows of the documents `pks` (up to a thousand, sent as one value: as
        many placeholders cost more to build and send than the query takes)."""
        raise NotImplementedError

    def snippets(self, ids: list[int], query: ParsedQuery) -> dict[int, SafeString]:
        """A highlighted passage of each of the documents `ids`."""
        raise NotImplementedError

    def similar_words(self, word: str) -> list[str]:
        """Words of the site's vocabulary spelt like `word`, closest first."""
        raise NotImplementedError

    def optimise(self) -> None:
        """Tidy the index after a rebuild."""

    def _rows(self, sql: str, params: list) -> list[tuple]:
        with connections[SearchDocument.objects.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _candidates(self, sql: str, params: list) -> list[Candidate]:
        """Candidates from rows of (pk, kind, date, visible, exact_title, score), where `sql`
        takes the moment that counts as now as its first parameter."""
        connection = connections[SearchDocument.objects.db]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        return [
            Candidate(pk, kind, _aware(date), bool(visible), bool(exact), score or 0.0)
            for pk, kind, date, visible, exact, score in self._rows(sql, [now, *params])
        ]


def _aware(value) -> datetime | None:
    """A date and time read by raw SQL (SQLite gives text or naive UTC) as an aware one."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


class PostgresBackend(SearchBackend):
    """Stored weighted tsvector (GIN), websearch_to_tsquery, ts_rank, ts_headline, pg_trgm."""

    def search_query(self, query: ParsedQuery):
        from django.contrib.postgres.search import SearchQuery

        return SearchQuery(query.websearch(), search_type="websearch", config="english")

    WORDS = "websearch_to_tsquery('english'::regconfig, %s)"
    # Title matches scored past the cap: any of them (the GIN index has no order), so fewer.
    TITLE_MATCHES = 250
    DOCUMENTS = "search_searchdocument"

    def _tsquery(self, query: ParsedQuery, tokens: list[str]) -> tuple[str, list]:
        if not tokens:
            return self.WORDS, [query.websearch()]
        # Tokens are lower-case letters only (filter_token), so safe as to_tsquery text.
        sql = f"({self.WORDS} && to_tsquery('simple'::regconfig, %s))"
        return sql, [query.websearch(), " & ".join(tokens)]

    def kind_counts(self, query, tokens, kinds, cap):
        parts, params = [], []
        for kind in kinds:
            tsquery, tsparams = self._tsquery(query, [*tokens, filter_token("kind", kind)])
            parts.append(
                f"SELECT %s, (SELECT count(*) FROM (SELECT 1 FROM {self.DOCUMENTS} "
                f"WHERE vector @@ {tsquery} LIMIT %s) AS capped)"
            )
            params += [kind, *tsparams, cap + 1]
        return dict(self._rows(" UNION ALL ".join(parts), params)) if parts else {}

    def candidates(self, query, tokens, *, title_key, sort, limit):
        tsquery, tsparams = self._tsquery(query, tokens)
        table = self.DOCUMENTS
        if sort == "date":
            # As below: every match when they are few, else the newest from the date index.
            chosen = (
                f"WITH matched AS MATERIALIZED (SELECT id FROM {table} "
                f"WHERE vector @@ {tsquery} LIMIT %s) "
                "SELECT id FROM matched WHERE (SELECT count(*) FROM matched) <= %s UNION ALL "
                f"(SELECT id FROM {table} WHERE (SELECT count(*) FROM matched) > %s "
                f"AND vector @@ {tsquery} ORDER BY date DESC, id DESC LIMIT %s)"
            )
            params = [*tsparams, limit + 1, limit, limit, *tsparams, limit + 1]
        else:
            # Any limit + 1 matches first (the GIN index alone; for a phrase, each row is
            # checked): when that is all there is, it is every match. Only past that, the
            # title's own GIN index finds title matches and the date index walks back from the
            # newest, checking each row, which is quick exactly when matches are many.
            chosen = (
                f"WITH matched AS MATERIALIZED (SELECT id FROM {table} "
                f"WHERE vector @@ {tsquery} LIMIT %s) "
                "SELECT id FROM matched WHERE (SELECT count(*) FROM matched) <= %s UNION "
                f"(SELECT id FROM {table} WHERE (SELECT count(*) FROM matched) > %s "
                f"AND title_key = %s AND vector @@ {tsquery}) UNION "
                f"(SELECT id FROM {table} WHERE (SELECT count(*) FROM matched) > %s "
                f"AND to_tsvector('english'::regconfig, title) @@ {self.WORDS} "
                # Checked on each title match, not by the GIN index: its bitmap of every
                # match of a common word costs more than the check.
                f"AND coalesce(vector, '') @@ {tsquery} LIMIT %s) UNION "
                f"(SELECT id FROM {table} WHERE (SELECT count(*) FROM matched) > %s "
                f"AND vector @@ {tsquery} ORDER BY date DESC, id DESC LIMIT %s)"
            )
            params = [
                *tsparams, limit + 1, limit,
                limit, title_key, *tsparams,
                limit, query.websearch(), *tsparams, self.TITLE_MATCHES,
                limit, *tsparams, limit + 1,
            ]  # fmt: skip
        sql = (
            "SELECT d.id, d.kind, d.date, d.public_from IS NULL OR d.public_from <= %s, "
            "d.title_key = %s, "
            f"ts_rank(d.vector, {self.WORDS}) * d.boost "
            f"FROM {table} d JOIN ({chosen}) AS chosen ON chosen.id = d.id"
        )
        return self._candidates(sql, [title_key, query.websearch(), *params])

    def facets_of(self, pks):
        among = RawSQL("document_id = ANY(%s)", [pks], output_field=BooleanField())
        return SearchFacet.objects.filter(among)

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

    # bm25 weights of title, summary, keywords and body (as PostgreSQL's A, B, C, D); the
    # filter tokens weigh nothing.
    WEIGHTS = "10.0, 4.0, 2.0, 1.0, 0.0"
    # Below this many matches, reading them by id beats walking the whole date index.
    FEW_FOR_DATE_INDEX = 5000

    def _match(self, query: ParsedQuery, tokens: list[str]) -> str:
        if not tokens:
            return query.fts5()
        return f"({query.fts5()}) AND tokens : (" + " AND ".join(tokens) + ")"

    def kind_counts(self, query, tokens, kinds, cap):
        parts, params = [], []
        for kind in kinds:
            parts.append(
                "SELECT %s, (SELECT count(*) FROM (SELECT rowid FROM search_fts "
                "WHERE search_fts MATCH %s LIMIT %s))"
            )
            params += [kind, self._match(query, [*tokens, filter_token("kind", kind)]), cap + 1]
        return dict(self._rows(" UNION ALL ".join(parts), params)) if parts else {}

    def candidates(self, query, tokens, *, title_key, sort, limit):
        match = self._match(query, tokens)
        bm25 = f"bm25(search_fts, {self.WEIGHTS})"
        if sort == "date":
            count = self._rows("SELECT count(*) FROM search_fts WHERE search_fts MATCH %s", [match])
            # `+id`: not the primary key for the IN, so the date index gives the order.
            column = "id" if count[0][0] < self.FEW_FOR_DATE_INDEX else "+id"
            chosen = (
                "SELECT id, NULL AS score FROM search_searchdocument WHERE "
                f"{column} IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s) "
                "ORDER BY date DESC, id DESC LIMIT %s"
            )
            params = [match, limit + 1]
        else:
            title_match = f"({match}) AND title : ({query.fts5(exclusions=False)})"
            # bm25() is dear per row: the best title matches are ranked inside the index, the
            # newest matches (highest ids) are read in id order and scored as they come.
            chosen = (
                f"SELECT * FROM (SELECT rowid AS id, {bm25} AS score FROM search_fts "
                "WHERE search_fts MATCH %s AND rowid IN "
                "(SELECT id FROM search_searchdocument WHERE title_key = %s)) "
                f"UNION SELECT * FROM (SELECT rowid, {bm25} FROM search_fts "
                f"WHERE search_fts MATCH %s ORDER BY {bm25} LIMIT %s) "
                f"UNION SELECT * FROM (SELECT rowid, {bm25} FROM search_fts "
                "WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT %s)"
            )
            params = [match, title_key, title_match, limit, match, limit + 1]
        sql = (
            "SELECT d.id, d.kind, d.date, d.public_from IS NULL OR d.public_from <= %s, "
            "d.title_key = %s, "
            "-min(chosen.score) * d.boost "
            f"FROM ({chosen}) AS chosen JOIN search_searchdocument d ON d.id = chosen.id "
            "GROUP BY d.id"
        )
        return self._candidates(sql, [title_key, *params])

    def facets_of(self, pks):
        among = RawSQL(
            "document_id IN (SELECT value FROM json_each(%s))",
            [json.dumps(pks)],
            output_field=BooleanField(),
        )
        return SearchFacet.objects.filter(among)

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
