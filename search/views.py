from dataclasses import dataclass

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.content import ContentKind, registry
from core.search import MAX_QUERY_LENGTH, text_search

RESULTS_PER_KIND = 20


@dataclass(frozen=True)
class ResultSection:
    kind: ContentKind
    results: list


def search_sections(query: str) -> list[ResultSection]:
    """The public matches for `query` of every searchable kind, in registry order."""
    sections = []
    for kind in registry.kinds():
        if not kind.search_fields:
            continue
        matches = text_search(kind.public(), query, kind.search_fields)
        results = list(kind.search_results(matches)[:RESULTS_PER_KIND])
        if results:
            sections.append(ResultSection(kind=kind, results=results))
    return sections


@require_GET
def search(request):
    """Public content of every registered kind matching `?q=`."""
    query = request.GET.get("q", "").strip()
    context = {"query": query, "too_long": len(query) > MAX_QUERY_LENGTH}
    if query and not context["too_long"]:
        context.update(searched=True, sections=search_sections(query))
    status = 400 if context["too_long"] else 200
    return render(request, "search/search.html", context, status=status)
