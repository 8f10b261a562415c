"""Reading the search index for the results page: matches, facets, counts, a page, snippets.

A fixed number of queries whatever the number of results: counts by kind and year (one),
facet counts, the page of documents, their snippets, and the vocabulary check.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.functions import ExtractYear
from django.utils.safestring import SafeString

from core.content import registry
from core.pagination import paginate
from search.backends import backend
from search.models import SearchDocument, SearchFacet, SearchTerm
from search.query import WORD, ParsedQuery, normalise

RESULTS_PER_PAGE = 20
FACETS = ("tag", "category", "organisation", "inspectorate")
FACET_OPTIONS = 12
# With fewer results than this, words the site never uses get a "Did you mean …".
FEW_RESULTS = 3


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    year: int | None = None
    facets: dict[str, str] = field(default_factory=dict)  # facet name -> value
    sort: str = "relevance"  # or "date"

    def apply(self, documents: QuerySet, *, with_kind: bool = True) -> QuerySet:
        if with_kind and self.kind:
            documents = documents.filter(kind=self.kind)
        if self.year:
            documents = documents.filter(date__year=self.year)
        for name, value in self.facets.items():
            documents = documents.with_facet(name, value)
        return documents


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Result:
    document: SearchDocument
    kind_label: str
    snippet: SafeString


@dataclass
class SearchResults:
    total: int
    page: Page
    kinds: list[Option]
    years: list[Option]
    facets: dict[str, list[Option]]
    suggestion: str = ""


class KnownCount:
    """A queryset whose length is already known, so the paginator does not count it again."""

    def __init__(self, queryset: QuerySet, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __getitem__(self, key):
        return self.queryset[key]


def ordered(documents: QuerySet, query: ParsedQuery, sort: str) -> QuerySet:
    if sort == "date":
        return backend().matching(documents, query).order_by("-date", "-pk")
    matches = backend().ranked(documents, query)
    exact = Case(
        When(title_key=normalise(query.text), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return matches.annotate(exact_title=exact).order_by("-exact_title", "-rank", "-date", "-pk")


def counts(matches: QuerySet, filters: Filters) -> tuple[list[Option], list[Option]]:
    """Matches by kind (whatever kind is chosen) and by year (of the chosen kind), counted in
    one pass."""
    rows = (
        matches.order_by()
        .annotate(year=ExtractYear("date"))
        .values_list("kind", "year")
        .annotate(n=Count("pk"))
    )
    by_kind: Counter = Counter()
    by_year: Counter = Counter()
    for kind, year, n in rows:
        by_kind[kind] += n
        if year and (not filters.kind or kind == filters.kind):
            by_year[year] += n
    kinds = [
        Option(kind.key, str(kind.label or kind.key), by_kind[kind.key], kind.key == filters.kind)
        for kind in registry.kinds()
        if by_kind[kind.key]
    ]
    years = [
        Option(str(year), str(year), n, year == filters.year)
        for year, n in sorted(by_year.items(), reverse=True)
    ]
    return kinds, years


def facet_options(matches: QuerySet, selected: dict[str, str]) -> dict[str, list[Option]]:
    rows = (
        SearchFacet.objects.filter(document__in=matches.order_by().values("pk"))
        .values_list("name", "value", "label")
        .annotate(n=Count("pk"))
        .order_by("name", "-n", "label")
    )
    options: dict[str, list[Option]] = defaultdict(list)
    for name, value, label, n in rows:
        if len(options[name]) < FACET_OPTIONS or selected.get(name) == value:
            options[name].append(Option(value, label, n, selected.get(name) == value))
    return {name: options[name] for name in FACETS if options.get(name)}


def suggestion_for(query: ParsedQuery, *, few_results: bool) -> str:
    """With few results, the query with each word the site never uses replaced by its
    closest known word ("" when there is nothing better to suggest)."""
    words = set(query.words)
    # Asked every time, so the page's query count does not depend on the number of results.
    known = set(SearchTerm.objects.filter(word__in=words).values_list("word", flat=True))
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
    visible = SearchDocument.objects.visible()
    all_kinds = engine.matching(filters.apply(visible, with_kind=False), query)
    kinds, years = counts(all_kinds, filters)
    matches = all_kinds.filter(kind=filters.kind) if filters.kind else all_kinds
    total = sum(option.count for option in kinds if not filters.kind or option.selected)
    shown = filters.apply(visible)
    page = paginate(
        request, KnownCount(ordered(shown, query, filters.sort), total), RESULTS_PER_PAGE
    )
    documents = list(page.object_list)
    snippets = engine.snippets([document.pk for document in documents], query)
    labels = {kind.key: str(kind.label or kind.key) for kind in registry.kinds()}
    page.object_list = [
        Result(document, labels.get(document.kind, ""), snippets.get(document.pk, ""))
        for document in documents
    ]
    return SearchResults(
        total=total,
        page=page,
        kinds=kinds,
        years=years,
        facets=facet_options(matches, filters.facets) if total else {},
        suggestion=suggestion_for(query, few_results=total < FEW_RESULTS),
    )
