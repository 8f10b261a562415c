import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from core.cache import cache_healthy
from core.site import absolute_url


@require_GET
@cache_control(max_age=86_400, public=True)
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {absolute_url(reverse('django.contrib.sitemaps.views.sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
def healthz(request):
    """503 when the database is down (nothing works); 200 "degraded" when only the cache is
    (pages are served without it; rate-limited forms refuse politely)."""
    cache = "ok" if cache_healthy() else "unreachable"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        reason = f"database unreachable: {exc.__class__.__name__}"
        body = {"status": "error", "reason": reason, "database": "unreachable", "cache": cache}
        return JsonResponse(body, status=503)
    if cache != "ok":
        reason = "cache unreachable: serving without it"
        body = {"status": "degraded", "reason": reason, "database": connection.vendor}
        return JsonResponse({**body, "cache": cache})
    return JsonResponse({"status": "ok", "database": connection.vendor, "cache": cache})


def favicon(request):
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def csrf_failure(request, reason=""):
    """A readable 403 page for an expired or missing CSRF token (the reason stays in logs)."""
    return render(request, "403_csrf.html", status=403)


DATABASE_RETRY_SECONDS = 30


def server_error(request):
    """The 500 page, or a 503 with Retry-After when the database cannot be reached.

    Rendered without context processors or the base template: they may need the database.
    Pages come back by themselves: Django reconnects on the next request.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    return defaults.server_error(request)


# Uploads a browser may show in the page; anything else is offered as a download.
INLINE_MEDIA_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}


def media(request, path):
    """Uploaded files, when Django serves them (SERVE_MEDIA): never run, never sniffed.

    Each answer is sandboxed by its own CSP, and only images and PDFs are shown inline.
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = response.get("Content-Type", "").split(";")[0]
    if content_type not in INLINE_MEDIA_TYPES:
        response["Content-Disposition"] = "attachment"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
