"""Pagination shared by every listing: junk or out-of-range page numbers are a 404."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from core.pagecache import kept, request_content_version


def paginate(
    request: HttpRequest, queryset, per_page: int | None = None, *, count_key: str = ""
) -> Page:
    """The requested page of `queryset` (`?page=N`).

    `count_key` names the listing (whatever selects its rows): its length is then counted
    once a content version, in the shared cache (and each process's memory), rather than on
    every page view (a count of a long listing reads all of it). Only with the fragment cache
    on, which says the content version is shared by every process.
    """
    paginator = Paginator(queryset, per_page or settings.ARTICLES_PER_PAGE)
    if count_key and settings.FRAGMENT_CACHE:
        version = request_content_version(request)
        paginator.count = kept(
            request,
            f"listing-count:{count_key}",
            lambda: listing_count(count_key, queryset, version),
        )
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(_("There is no such page.")) from exc


def listing_count(name: str, queryset, version: str) -> int:
    """The number of rows in `queryset`, the listing `name`, in content version `version`."""
    digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
    key = f"listing-count:{version}:{digest}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, settings.PAGE_CACHE_SECONDS)
    return count
