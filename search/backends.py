"""Full-text matching, ranking, highlighting and suggestions: one interface, two databases.

This is the one vendor check for search. Everything else (facets, years, pages) is plain ORM
over `SearchDocument`, the same on both databases.

Nothing here visits every match of a common word: counts stop at a cap, and ranking scores a
bounded set of candidates (the exact title, the best title matches and the newest matches),
so a word in 100,000 documents costs about what one in 1,000 does.
"""

import difflib
import json
from datetime import UTC, datetime
from functools import cache
from typing import NamedTuple

from django.db import connections
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
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


class Candidate(NamedTuple):
    """A matching document, with what ordering and narrowing it needs (not its text).
    A tuple, not a dataclass: a common word builds a thousand or two of them a page."""

    pk: int
    kind: str
    stamp: float  # its date as seconds since 1970 (UNDATED when it has none)
    year: int | None  # the year of its date where the site is
    visible: bool  # public now (scheduled content is indexed before its moment)
    exact_title: bool
    score: float  # relevance, the kind's boost applied: higher is better


UNDATED = float("-inf")


class SearchBackend:
    # Whether the results page counts each kind before asking for candidates (which are
    # then every match or, past the cap, a bounded set), or after, only when they are many.
    counts_first = False

    def kind_counts(
        self,
        query: ParsedQuery,
        tokens: list[str],
        kinds: list[str],
        cap: int,
        *,
        one_year: bool = False,
    ) -> dict[str, int]:
        """Matches of each of `kinds` with all `tokens`, each counted up to `cap` + 1 (one
        query, answered by the full-text index alone); `one_year`: a year is among `tokens`."""
        raise NotImplementedError

    def candidates(
        self,
        query: ParsedQuery,
        tokens: list[str],
        *,
        title_key: str,
        sort: str,
        limit: int,
        every: bool,
    ) -> list[Candidate]:
        """Matches with all `tokens`, scored, in no particular order: every match when
        `every` (the caller counted at most `limit`; SQLite finds that out itself, among the
        newest); otherwise more than `limit` of them
        (about 2 × `limit`): for "date", the `limit` + 1 newest; for relevance, any with the
        exact title `title_key`, the best (or, on PostgreSQL, any) `limit` title matches and
        the `limit` + 1 newest."""
        raise NotImplementedError

    def facet_counts(self, pks: list[int]) -> list[tuple[str, str, str, int]]:
        """(name, value, label, documents) of each facet value of the documents `pks`, by
        name, the most found first. Raw SQL: building and reading it through the ORM cost
        about a millisecond, half as much as the query itself."""
        among, params = self._among(pks)
        return self._rows(
            f"SELECT name, value, label, count(*) AS n FROM {SearchFacet._meta.db_table} "
            f"WHERE {among} GROUP BY name, value, label ORDER BY name, n DESC, label",
            params,
        )

    def _among(self, pks: list[int]) -> tuple[str, list]:
        """The condition for facet rows of the documents `pks` (up to a thousand, sent as one
        value: as many placeholders cost more to build and send than the query takes)."""
        raise NotImplementedError

    def snippets(self, ids: list[int], query: ParsedQuery) -> dict[int, SafeString]:
        """A highlighted passage of each of the documents `ids`."""
        raise NotImplementedError

    def similar_words(self, word: str) -> list[str]:
        """Words of the site's vocabulary spelt like `word`, closest first."""
        raise NotImplementedError

    def known_words(self, words: set[str]) -> set[str]:
        """Those of `words` in the site's vocabulary. Raw SQL: through the ORM this one-row
        query cost 0.7 ms of CPU, ten times its own time."""
        if not words:
            return set()
        placeholders = ", ".join(["%s"] * len(words))
        sql = f"SELECT word FROM {SearchTerm._meta.db_table} WHERE word IN ({placeholders})"
        return {word for (word,) in self._rows(sql, list(words))}

    def optimise(self) -> None:
        """Tidy the index after a rebuild."""

    def _rows(self, sql: str, params: list) -> list[tuple]:
        with connections[SearchDocument.objects.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _now(self):
        """The moment that counts as now, as raw SQL takes it."""
        return connections[SearchDocument.objects.db].ops.adapt_datetimefield_value(timezone.now())

    def _candidates(self, sql: str, params: list) -> list[Candidate]:
        """Candidates from rows of (pk, kind, date, visible, exact_title, score)."""
        here = timezone.get_current_timezone()
        found = {}
        # By id: a document can be chosen twice (one of the newest, and a title match).
        for pk, kind, date, visible, exact, score in self._rows(sql, params):
            stamp, year = self._when(date, here)
            found[pk] = Candidate(pk, kind, stamp, year, bool(visible), bool(exact), score or 0.0)
        return list(found.values())

    def _when(self, date, here) -> tuple[float, int | None]:
        """The stamp and local year of a date read by raw SQL (SQLite: text or naive UTC)."""
        if isinstance(date, str):
            date = parse_datetime(date)
        if date is None:
            return UNDATED, None
        if timezone.is_naive(date):
            date = timezone.make_aware(date, UTC)
        return date.timestamp(), date.astimezone(here).year


def _new_year(year: int) -> datetime:
    """The first moment of `year` where the site is (the year of a filter token)."""
    return timezone.make_aware(datetime(year, 1, 1))


class PostgresBackend(SearchBackend):
    """Stored weighted tsvector (GIN), websearch_to_tsquery, ts_rank, ts_headline, pg_trgm."""

    # The counts tell whether every match is wanted, which saves looking for any thousand.
    counts_first = True

    def search_query(self, query: ParsedQuery):
        from django.contrib.postgres.search import SearchQuery

        return SearchQuery(query.websearch(), search_type="websearch", config="english")

    WORDS = "websearch_to_tsquery('english'::regconfig, %s)"
    # Title matches scored past the cap: any of them (the GIN index has no order), so fewer.
    TITLE_MATCHES = 250
    # The newest matches are looked for a year at a time over this many years, then among the
    # rest at once: few words fill a page of the newest from older years than that, and each
    # part is planned whether it runs or not.
    YEARS = 3
    DOCUMENTS = "search_searchdocument"
    # As indexed (migration 0006): a title's words and the document's filter tokens.
    TITLE_VECTOR = (
        "(to_tsvector('english'::regconfig, title) || to_tsvector('simple'::regconfig, tokens))"
    )

    def _tsquery(self, query: ParsedQuery, tokens: list[str]) -> tuple[str, list]:
        if not tokens:
            return self.WORDS, [query.websearch()]
        # Tokens are lower-case letters only (filter_token), so safe as to_tsquery text.
        sql = f"({self.WORDS} && to_tsquery('simple'::regconfig, %s))"
        return sql, [query.websearch(), " & ".join(tokens)]

    def _matches(
        self, query: ParsedQuery, tokens: list[str], *, indexed: bool = True
    ) -> tuple[str, list]:
        """The condition for documents matching `query` with all `tokens`; not `indexed`:
        checked on each row that another condition finds, the vector's index left out."""
        tsquery, params = self._tsquery(query, tokens)
        if not indexed:
            return f"coalesce(vector, '') @@ {tsquery}", params
        pairs = query.pairs()
        if not pairs:
            return f"vector @@ {tsquery}", params
        # A phrase: the index of adjacent word pairs (migration 0005) finds the documents with
        # its words side by side, and only those have their positions checked. coalesce()
        # keeps the vector's own index out: its bitmap of every document with both words
        # would be read, and every one of them checked again.
        return (
            "search_document_pairs(title, summary, keywords, body) @@ search_pairs_query(%s) "
            f"AND coalesce(vector, '') @@ {tsquery}",
            [pairs, *params],
        )

    # What ranking and narrowing need of each candidate: the vector is read (and decompressed)
    # only once a candidate is chosen, in the outer query.
    COLUMNS = "id, kind, date, public_from, title_key, boost, vector"

    def _newest(self, query: ParsedQuery, tokens: list[str], limit: int) -> tuple[str, list]:
        """The `limit` newest matches (newest first), a year at a time.

        Each year's filter token narrows inside the full-text index, so a common word reads
        about a year of its matches rather than every one (or the planner walks that year's
        dates back, when most documents match); parts past the first `limit` are never run.
        """
        this_year = timezone.localtime().year
        years = range(this_year + 1, this_year - self.YEARS, -1)
        parts, params = [], []
        for year in years:
            matches, match_params = self._matches(query, [*tokens, filter_token("year", year)])
            # No date range beside the token: the planner would read every date of the year
            # from the date index to narrow a bitmap the token already narrows.
            parts.append(
                f"(SELECT {self.COLUMNS} FROM {self.DOCUMENTS} WHERE {matches} "
                "ORDER BY date DESC, id DESC LIMIT %s)"
            )
            params += [*match_params, limit]
        matches, match_params = self._matches(query, tokens)
        parts.append(
            f"(SELECT {self.COLUMNS} FROM {self.DOCUMENTS} WHERE {matches} "
            "AND (date IS NULL OR date < %s OR date >= %s) "
            "ORDER BY date DESC NULLS LAST, id DESC LIMIT %s)"
        )
        params += [*match_params, _new_year(years[-1]), _new_year(this_year + 2), limit]
        return f"SELECT * FROM ({' UNION ALL '.join(parts)}) AS newest LIMIT %s", [
            *params,
            limit,
        ]

    def _capped(self, matches: str) -> str:
        return (
            f"(SELECT count(*) FROM (SELECT 1 FROM {self.DOCUMENTS} WHERE {matches} LIMIT %s) AS c)"
        )

    def kind_counts(self, query, tokens, kinds, cap, *, one_year=False):
        # Narrowed by a facet, a kind with more than `cap` matches this year has more than
        # `cap` in all: this year's token narrows inside the index, and its few matches cost
        # less to find than every year's (10.5 -> 4.3 ms for a word in 30,000 findings of
        # one inspectorate); only a kind with fewer this year is counted over every year.
        # (A phrase's rows come from the pairs index, which the year would not narrow.)
        this_year = filter_token("year", timezone.localtime().year)
        recent = bool(tokens) and not one_year and not query.pairs()
        parts, params = [], []
        for kind in kinds:
            kind_tokens = [*tokens, filter_token("kind", kind)]
            matches, match_params = self._matches(query, kind_tokens)
            if query.pairs():
                # `kind =` as well as its token: a phrase's rows are read, and this cheap
                # check comes before the positions are.
                matches, match_params = f"kind = %s AND {matches}", [kind, *match_params]
            count, count_params = self._capped(matches), [*match_params, cap + 1]
            if recent:
                lately, lately_params = self._matches(query, [*kind_tokens, this_year])
                count = f"CASE WHEN {self._capped(lately)} > %s THEN %s ELSE {count} END"
                count_params = [*lately_params, cap + 1, cap, cap + 1, *count_params]
            parts.append(f"SELECT %s, {count}")
            params += [kind, *count_params]
        if not parts:
            return {}
        sql = " UNION ALL ".join(parts)
        if tokens:
            # Narrowed by a facet or year, counted from the index, never by reading the table
            # in order: that reading starts wherever the last scan of the table stopped, and
            # the same count took 4 ms one time and 70 the next. (Without filters, the index's
            # bitmaps of a common word cost more than the reading does on average.) For this
            # statement only: SET LOCAL, and back on within a transaction.
            sql = f"SET LOCAL enable_seqscan = off; {sql}; SET LOCAL enable_seqscan = on"
        with connections[SearchDocument.objects.db].cursor() as cursor:
            cursor.execute(sql, params)
            if tokens:
                cursor.nextset()
            return dict(cursor.fetchall())

    def candidates(self, query, tokens, *, title_key, sort, limit, every):
        matches, match_params = self._matches(query, tokens)
        table = self.DOCUMENTS
        if every:
            chosen, params = f"SELECT {self.COLUMNS} FROM {table} WHERE {matches}", match_params
        else:
            chosen, params = self._newest(query, tokens, limit + 1)
            if sort != "date":
                # Title matches from the titles' own index, which holds the filter tokens
                # too (migration 0006), each then checked against the whole query.
                titles, title_params = self._tsquery(query, tokens)
                checked, checked_params = self._matches(query, tokens, indexed=False)
                chosen = (
                    f"({chosen}) UNION ALL (SELECT {self.COLUMNS} FROM {table} "
                    f"WHERE title_key = %s AND {matches}) UNION ALL "
                    f"(SELECT {self.COLUMNS} FROM {table} WHERE {self.TITLE_VECTOR} @@ {titles} "
                    f"AND {checked} LIMIT %s)"
                )
                params += [
                    title_key, *match_params,
                    *title_params, *checked_params, self.TITLE_MATCHES,
                ]  # fmt: skip
        # The date as its stamp (UNDATED when none) and local year: parsing a thousand
        # timestamps costs more.
        sql = (
            "SELECT id, kind, coalesce(date_part('epoch', date), '-Infinity'), "
            "date_part('year', date AT TIME ZONE %s)::integer, "
            "public_from IS NULL OR public_from <= %s, title_key = %s, "
            # By date, no score is needed: no vector is read.
            f"{'0' if sort == 'date' else f'ts_rank(vector, {self.WORDS}) * boost'} "
            f"FROM ({chosen}) AS chosen"
        )
        zone = timezone.get_current_timezone_name()
        score = [] if sort == "date" else [query.websearch()]
        return self._candidates(sql, [zone, self._now(), title_key, *score, *params])

    def _candidates(self, sql, params):
        # Rows that are candidates as they come; by id, as above.
        return list({row[0]: Candidate._make(row) for row in self._rows(sql, params)}.values())

    def _among(self, pks):
        # As an array's text: a list of a thousand ints costs more to adapt.
        return "document_id = ANY(%s::bigint[])", ["{" + ",".join(map(str, pks)) + "}"]

    # ts_headline reads the whole text it is given, and a long body costs about a millisecond:
    # the opening characters first, and the whole text only where they hold no match.
    SNIPPET_OPENING = 1500

    def snippets(self, ids, query):
        if not ids:
            return {}
        options = (
            f"StartSel='{MARK_START}', StopSel='{MARK_END}', MaxWords={SNIPPET_WORDS}, "
            f"MinWords={SNIPPET_WORDS // 2}, MaxFragments=2, FragmentDelimiter=' … '"
        )
        headline = f"ts_headline('english'::regconfig, %s, {self.WORDS}, %s)"
        text = "summary || ' ' || body"
        # The whole text only where the summary or body has the words (weights B and D):
        # a match by title or author alone has nothing further on to show.
        sql = (
            f"SELECT id, CASE WHEN strpos(opening, %s) > 0 "
            f"OR NOT ts_filter(vector, '{{b,d}}') @@ {self.WORDS} THEN opening "
            f"ELSE {headline.replace('%s', text, 1)} END "
            f"FROM (SELECT id, summary, body, vector, "
            f"{headline.replace('%s', f'left({text}, %s)', 1)} "
            # OFFSET 0: not merged into the outer query, which would compute `opening` twice.
            f"AS opening FROM {self.DOCUMENTS} WHERE id = ANY(%s) OFFSET 0) AS opened"
        )
        params = [
            MARK_START, query.websearch(), query.websearch(), options,
            self.SNIPPET_OPENING, query.websearch(), options, list(ids),
        ]  # fmt: skip
        return {pk: highlighted(snippet) for pk, snippet in self._rows(sql, params)}

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
        connection = connections[SearchDocument.objects.db]
        # VACUUM as well where it can run (not inside a transaction): it marks the new rows
        # visible to all, which the first searches would otherwise do row by row, writing
        # pages as they read, and lets the date index answer without reading rows.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(
                f"{command} search_searchdocument, search_searchfacet, search_searchterm"
            )


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

    def kind_counts(self, query, tokens, kinds, cap, *, one_year=False):
        parts, params = [], []
        for kind in kinds:
            parts.append(
                "SELECT %s, (SELECT count(*) FROM (SELECT rowid FROM search_fts "
                "WHERE search_fts MATCH %s LIMIT %s))"
            )
            params += [kind, self._match(query, [*tokens, filter_token("kind", kind)]), cap + 1]
        return dict(self._rows(" UNION ALL ".join(parts), params)) if parts else {}

    def candidates(self, query, tokens, *, title_key, sort, limit, every):
        # `every` needs nothing apart: at most `limit` matches are all among the newest.
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
        return self._candidates(sql, [self._now(), title_key, *params])

    def _among(self, pks):
        return "document_id IN (SELECT value FROM json_each(%s))", [json.dumps(pks)]

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
