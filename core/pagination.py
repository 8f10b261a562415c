"""Pagination shared by every listing: junk or out-of-range page numbers are a 404."""

from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _


def paginate(request: HttpRequest, queryset, per_page: int | None = None) -> Page:
    """The requested page of `queryset` (`?page=N`)."""
    paginator = Paginator(queryset, per_page or settings.ARTICLES_PER_PAGE)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404(_("There is no such page.")) from exc
