"""WordPress's date archives, which an import cannot record one by one: `/?m=201612` (also
`?m=2016` and `?m=20161214`), `/?year=2016&monthnum=12`, and the paths `/2016/`, `/2016/12/`,
`/2016/12/14/` (each with `/page/N/`) answer with a 301 to this site's archive of that year
or month — a day goes to its month, as there are no day archives here (DESIGN.md's URL
contract: `/articles/<yyyy>/`, `/articles/<yyyy>/<mm>/`). A date no calendar has is a 404.

The query forms are answered before the home page would show itself; the paths only when
nothing else answered them (a 404), so an article, a flat page or a recorded redirect at
the same address wins.
"""

import datetime
import re
from urllib.parse import urlencode

from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

# WordPress's `m`: YYYY, YYYYMM or YYYYMMDD, optionally followed by hours, minutes, seconds.
M_VALUE = re.compile(r"([0-9]{4})([0-9]{2})?([0-9]{2})?(?:[0-9]{2}){0,3}", re.ASCII)
DATED_PATH = re.compile(
    r"/([0-9]{4})/(?:([0-9]{1,2})/(?:([0-9]{1,2})/)?)?(?:page/([0-9]{1,9})/?)?", re.ASCII
)
NUMBER = re.compile(r"[0-9]{1,9}", re.ASCII)


def archive_url(year: int, month: int | None = None, day: int | None = None, page: int = 1) -> str:
    """The address of this site's archive closest to a WordPress date archive; Http404 when
    the date is not a real one."""
    if not 1 <= year <= 9999:
        raise Http404(_("There is no such year."))
    if month is None:
        url = reverse("blog:article-archive-year", kwargs={"year": year})
    else:
        try:
            datetime.date(year, month, day or 1)
        except ValueError:
            raise Http404(_("There is no such date.")) from None
        url = reverse("blog:article-archive-month", kwargs={"year": year, "month": month})
    return f"{url}?{urlencode({'page': page})}" if page > 1 else url


def _number(value: str | None) -> int | None:
    """A WordPress query number; Http404 for anything else."""
    if value is None or value == "":
        return None
    if not NUMBER.fullmatch(value):
        raise Http404(_("There is no such date."))
    return int(value)


def query_archive(query) -> str:
    """Where `/?m=…` or `/?year=…&monthnum=…&day=…` should go ("" when it is neither)."""
    page = _number(query.get("paged")) or 1
    m = query.get("m", "")
    if m:
        match = M_VALUE.fullmatch(m)
        if match is None:
            raise Http404(_("There is no such date."))
        year, month, day = (int(part) if part else None for part in match.groups())
        return archive_url(year, month, day, page)
    year = _number(query.get("year"))
    if year is None:
        return ""
    month = _number(query.get("monthnum"))
    day = _number(query.get("day")) if month is not None else None
    return archive_url(year, month, day, page)


def path_archive(path: str) -> str:
    """Where a path like `/2016/12/` should go ("" when it is not a date archive's)."""
    match = DATED_PATH.fullmatch(path)
    if match is None:
        return ""
    year, month, day, page = (int(part) if part else None for part in match.groups())
    return archive_url(year, month, day, page or 1)


def date_archive_middleware(get_response):
    def middleware(request):
        if request.method not in {"GET", "HEAD"}:
            return get_response(request)
        if request.path == "/" and request.GET:
            new = query_archive(request.GET)
            if new:
                return HttpResponsePermanentRedirect(new)
        response = get_response(request)
        if response.status_code == 404:
            try:
                new = path_archive(request.path)
            except Http404:  # /2016/13/: the 404 already made says so
                return response
            if new:
                return HttpResponsePermanentRedirect(new)
        return response

    return middleware
