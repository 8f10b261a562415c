"""Cross-site request forgery defence for the public forms, without a token cookie.

Django's CSRF protection needs a `csrftoken` cookie, and a page that sets a cookie (and
varies on `Cookie`) cannot be stored by a shared cache or a CDN. The forms every reader
sees — comments, subscribe, the language switcher, the Mastodon hand-off — use
`same_origin_post` instead: the browser itself says where a POST came from, and anything
but this site is refused with the CSRF failure page (403).

In order, the first header present decides:

1. `Sec-Fetch-Site` (every current browser): only `same-origin` passes.
2. `Origin` (every browser since 2020 on a form POST): must be SITE_URL's origin or one of
   CSRF_TRUSTED_ORIGINS; `null` (sandboxed frames, privacy-stripped) is refused.
3. `Referer`: its origin, checked the same way.

A POST with none of them is refused: an old browser that sent neither could not be told
from a forged one. Pages that act for one signed-in or token-holding person (the admin,
subscription management, data requests) keep Django's token.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def trusted_origins() -> set[str]:
    return {_origin(settings.SITE_URL), *(o.lower() for o in settings.CSRF_TRUSTED_ORIGINS)}


def cross_site_reason(request: HttpRequest) -> str:
    """Why `request` may have come from another site; "" when it came from this one."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return "" if fetch_site == "same-origin" else f"Sec-Fetch-Site is {fetch_site}"
    origin = request.headers.get("Origin")
    if origin is not None:
        return "" if origin.lower() in trusted_origins() else f"Origin {origin} is not trusted"
    referer = request.headers.get("Referer")
    if referer:
        return "" if _origin(referer) in trusted_origins() else "Referer is another site"
    return "no Sec-Fetch-Site, Origin or Referer"


def same_origin_post(view: Callable) -> Callable:
    """Refuse unsafe requests that a browser says came from another site; no token needed."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # The test client's own switch, as Django's CsrfViewMiddleware honours it.
        enforce = not getattr(request, "_dont_enforce_csrf_checks", False)
        if request.method not in SAFE_METHODS and enforce:
            reason = cross_site_reason(request)
            if reason:
                return import_string(settings.CSRF_FAILURE_VIEW)(request, reason=reason)
        return view(request, *args, **kwargs)

    return wrapper
