"""Old addresses, kept by Django's redirects app: one rule for recording them, and the
query-string forms (`/?p=12`) that the home page would otherwise answer itself.

Django's RedirectFallbackMiddleware answers a recorded address only when the site has
nothing there (a 404). WordPress's default addresses are the home page plus a query string,
so `query_redirect_middleware` looks those up before the view runs.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import transaction
from django.http import HttpResponseGone, HttpResponsePermanentRedirect

# WordPress's query-string addresses, in the order WordPress itself resolves them.
QUERY_KEYS = ("p", "page_id", "attachment_id", "cat", "tag", "author", "feed")


def query_path(query: dict) -> str:
    """The canonical form of a WordPress query address (`/?p=12`), or "" when it is none.

    Only the first recognised key counts, so `/?p=12&utm_source=x` finds `/?p=12`.
    """
    for key in QUERY_KEYS:
        value = query.get(key)
        if value:
            return "/?" + urlencode({key: value})
    return ""


def query_redirect_middleware(get_response):
    def middleware(request):
        if request.path == "/" and request.GET and request.method in {"GET", "HEAD"}:
            old_path = query_path(request.GET)
            if old_path:
                redirect = (
                    Redirect.objects.filter(site_id=settings.SITE_ID, old_path=old_path)
                    .only("new_path")
                    .first()
                )
                if redirect is not None:
                    if not redirect.new_path:
                        return HttpResponseGone()
                    return HttpResponsePermanentRedirect(redirect.new_path)
        return get_response(request)

    return middleware


@transaction.atomic
def redirect_record(*, old_path: str, new_path: str, site_id: int | None = None) -> bool:
    """From now on send `old_path` to `new_path`, never through a chain or round a loop.

    Redirects that ended at `old_path` are pointed at `new_path`; a redirect from
    `new_path` (an address that is live again, as when a slug is changed back) is removed.
    Returns False when there is nothing to record (the two are the same).
    """
    if old_path == new_path:
        return False
    redirects = Redirect.objects.filter(site_id=site_id or settings.SITE_ID)
    redirects.filter(old_path=new_path).delete()
    redirects.filter(new_path=old_path).update(new_path=new_path)
    redirects.update_or_create(
        site_id=site_id or settings.SITE_ID, old_path=old_path, defaults={"new_path": new_path}
    )
    return True
