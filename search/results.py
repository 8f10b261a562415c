"""Reading the search index for the results page: matches, facets, counts, a page, snippets.

A fixed number of queries whatever the number of results (counts by kind, the candidates,
facet counts, the page of documents, their snippets, the vocabulary check), and none of them
visits every match of a common word: counts stop past MAX_COUNTED ("1,000+"), and the pages,
years and facets are those of the best MAX_COUNTED matches (the page says so).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from operator import attrgetter

from django.core.paginator import Page
from django.utils.safestring import SafeString

from core.content import registry
from core.pagination import paginate
from search.backends import Candidate, backend
from search.models import SearchDocument, filter_token
from search.query import WORD, ParsedQuery, normalise

RESULTS_PER_PAGE = 20
FACETS = ("tag", "category", "organisation", "inspectorate")
FACET_OPTIONS = 12
# With fewer results than this, words the site never uses get a "Did you mean …".
FEW_RESULTS = 3
# Counted exactly up to here; beyond, "1,000+", ranked among a bounded set of candidates.
MAX_COUNTED = 1000


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    year: int | None = None
    facets: dict[str, str] = field(default_factory=dict)  # facet name -> value
    sort: str = "relevance"  # or "date"

    def tokens(self) -> list[str]:
        """The filter tokens of the year and facets (not the kind: it is counted apart)."""
        tokens = [filter_token(name, value) for name, value in self.facets.items()]
        if self.year:
            tokens.append(filter_token("year", self.year))
        return tokens


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool = False
    more: bool = False  # more than `count` (counting stopped there)


@dataclass(frozen=True)
class Result:
    document: SearchDocument
    kind_label: str
    snippet: SafeString


@dataclass
class SearchResults:
    total: int
    more: bool  # more than `total` matches: only the best `total` are shown and counted
    page: Page
    kinds: list[Option]
    years: list[Option]
    facets: dict[str, list[Option]]
    suggestion: str = ""


# Sort keys read by attrgetter (in C), not a lambda: a thousand candidates a page.
BY_DATE = attrgetter("stamp", "pk")
BY_RELEVANCE = attrgetter("exact_title", "score", "stamp", "pk")


def ordered(found: list[Candidate], sort: str) -> list[Candidate]:
    return sorted(found, key=BY_DATE if sort == "date" else BY_RELEVANCE, reverse=True)


def kind_options(counted: dict[str, int], found: list[Candidate], filters: Filters) -> list[Option]:
    """Matches by kind (whatever kind is chosen); counts past MAX_COUNTED stop there."""
    options = []
    for kind in registry.kinds():
        n = counted.get(kind.key, 0)
        if kind.key == filters.kind and n <= MAX_COUNTED:
            n = len(found)  # exact: scheduled content not yet public left out
        if n:
            more = n > MAX_COUNTED
            options.append(
                Option(
                    kind.key,
                    str(kind.label or kind.key),
                    min(n, MAX_COUNTED),
                    kind.key == filters.kind,
                    more,
                )
            )
    return options


def year_options(found: list[Candidate], filters: Filters) -> list[Option]:
    years = Counter(map(attrgetter("year"), found))
    years.pop(None, None)  # undated
    return [
        Option(str(year), str(year), n, year == filters.year)
        for year, n in sorted(years.items(), reverse=True)
    ]


def facet_options(pks: list[int], selected: dict[str, str]) -> dict[str, list[Option]]:
    options: dict[str, list[Option]] = defaultdict(list)
    for name, value, label, n in backend().facet_counts(pks):
        if len(options[name]) < FACET_OPTIONS or selected.get(name) == value:
            options[name].append(Option(value, label, n, selected.get(name) == value))
    return {name: options[name] for name in FACETS if options.get(name)}


def suggestion_for(query: ParsedQuery, *, few_results: bool) -> str:
    """With few results, the query with each word the site never uses replaced by its
    closest known word ("" when there is nothing better to suggest)."""
    words = set(query.words)
    # Asked every time, so the page's query count does not depend on the number of results.
    known = backend().known_words(words)
    if not few_results:
        return ""
    replacements = {}
    for word in words - known:
        if not word.isalpha() or len(word) < 3:
            continue
        similar = backend().similar_words(word)
        if similar:
            replacements[word] = similar[0]
    if not replacements:
        return ""
    return WORD.sub(lambda m: replacements.get(m.group().lower(), m.group()), query.text)


def search(request, query: ParsedQuery, filters: Filters) -> SearchResults:
    """The results page for `query` narrowed by `filters` (`?page=` of `request`)."""
    engine = backend()
    tokens = filters.tokens()
    searched = [kind.key for kind in registry.kinds() if kind.search_index and kind.search_entry]
    kind_tokens = [*tokens, filter_token("kind", filters.kind)] if filters.kind else tokens
    counted: dict[str, int] | None = None
    if engine.counts_first:
        # Counted first (each kind up to the cap, by the full-text index), so the candidates
        # are either every match or, past the cap, a bounded set of the best.
        counted = engine.kind_counts(
            query, tokens, searched, MAX_COUNTED, one_year=bool(filters.year)
        )
        matches = counted.get(filters.kind, 0) if filters.kind else sum(counted.values())
    candidates = engine.candidates(
        query,
        kind_tokens,
        title_key=normalise(query.text),
        sort=filters.sort,
        limit=MAX_COUNTED,
        every=counted is not None and matches <= MAX_COUNTED,
    )
    visible = [c for c in candidates if c.visible]
    found = ordered(visible, filters.sort)[:MAX_COUNTED]
    more = matches > MAX_COUNTED if counted is not None else len(candidates) > MAX_COUNTED
    if more or filters.kind:
        if counted is None:
            counted = engine.kind_counts(
                query, tokens, searched, MAX_COUNTED, one_year=bool(filters.year)
            )
    else:  # every match is here: count what readers may see
        counted = Counter(map(attrgetter("kind"), found))
    page = paginate(request, found, RESULTS_PER_PAGE)
    documents = SearchDocument.objects.defer("summary", "keywords", "body", "tokens").in_bulk(
        [c.pk for c in page.object_list]
    )
    snippets = engine.snippets(list(documents), query)
    labels = {kind.key: str(kind.label or kind.key) for kind in registry.kinds()}
    page.object_list = [
        Result(documents[c.pk], labels.get(c.kind, ""), snippets.get(c.pk, ""))
        for c in page.object_list
        if c.pk in documents
    ]
    total = len(found)
    return SearchResults(
        total=total,
        more=more,
        page=page,
        kinds=kind_options(counted, found, filters),
        years=year_options(found, filters),
        facets=facet_options([c.pk for c in found], filters.facets) if total else {},
        suggestion=suggestion_for(query, few_results=total < FEW_RESULTS),
    )
