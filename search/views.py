from django.conf import settings
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core.site import absolute_url
from search import results
from search.forms import SearchForm
from search.query import MAX_QUERY_LENGTH, parse_query


@require_GET
def search(request):
    """Public content of every searchable kind matching `?q=`, ranked, narrowed, paginated."""
    form = SearchForm(request.GET)
    filters = form.filters()
    raw = form.cleaned_data.get("q", "")
    query = parse_query(raw)
    context = {
        "form": form,
        "query": query,
        "filters": filters,
        "searched": bool(raw),
        "max_length": MAX_QUERY_LENGTH,
    }
    if query:
        context["results"] = results.search(request, query, filters)
    return render(request, "search/search.html", context)


@require_GET
@cache_control(max_age=86_400, public=True)
def opensearch(request):
    """The OpenSearch description that lets browsers add the site's search."""
    context = {
        "site_name": settings.SITE_NAME,
        "search_url": absolute_url(reverse("search:search")),
        "icon_url": absolute_url(static("img/favicon.svg")),
        "language": get_language(),
    }
    return render(
        request,
        "search/opensearch.xml",
        context,
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )
