from urllib.parse import urlencode

from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods

from blog.models import Article
from core.forms import MastodonShareForm, is_shareable_url
from core.search import MAX_QUERY_LENGTH
from core.site import absolute_url
from core.social_images import preview_image
from inspections.models import Finding, Inspection

SEARCH_RESULTS_PER_KIND = 20


@require_GET
def search(request):
    """Articles, inspections and findings matching `?q=`."""
    query = request.GET.get("q", "").strip()
    context = {"query": query, "too_long": len(query) > MAX_QUERY_LENGTH}
    if query and not context["too_long"]:
        limit = SEARCH_RESULTS_PER_KIND
        context.update(
            searched=True,
            articles=list(Article.objects.search(query).for_listing()[:limit]),
            inspections=list(
                Inspection.objects.search(query).select_related("inspectorate")[:limit]
            ),
            findings=list(Finding.objects.search(query)[:limit]),
        )
    status = 400 if context["too_long"] else 200
    return render(request, "core/search.html", context, status=status)


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
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        reason = f"database unreachable: {exc.__class__.__name__}"
        return JsonResponse({"status": "error", "reason": reason}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def favicon(request):
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@require_http_methods(["GET", "POST"])
# Browsers apply form-action to the redirect that follows the POST: allow the reader's server.
@csp_update({"form-action": ["https:"]})
def share_mastodon(request):
    """Ask the reader for their Mastodon server, then send them to its share page."""
    if request.method == "POST":
        form = MastodonShareForm(request.POST)
        if form.is_valid():
            text = f"{form.cleaned_data['text']} {form.cleaned_data['url']}"
            target = f"https://{form.cleaned_data['instance']}/share?{urlencode({'text': text})}"
            return HttpResponseRedirect(target)
        return render(request, "core/share_mastodon.html", {"form": form}, status=400)
    initial = {"text": request.GET.get("text", "")[:500], "url": request.GET.get("url", "")}
    if not is_shareable_url(initial["url"]):
        return render(request, "core/share_mastodon.html", {"form": None}, status=400)
    form = MastodonShareForm(initial=initial)
    return render(request, "core/share_mastodon.html", {"form": form})


SOCIAL_IMAGE_SOURCES = {
    "articles": lambda slug: Article.objects.published().only("title", "slug").get(slug=slug),
    "inspections": lambda slug: Inspection.objects.only("title", "slug").get(slug=slug),
}


@require_GET
@cache_control(max_age=86_400, public=True)
def social_image(request, kind, slug):
    """The generated link-preview image of a page that has no picture of its own."""
    try:
        item = SOCIAL_IMAGE_SOURCES[kind](slug)
    except (KeyError, ObjectDoesNotExist) as exc:
        raise Http404 from exc
    label = {"articles": _("Analysis"), "inspections": _("Inspection record")}[kind]
    name = preview_image(
        kind=kind, slug=item.slug, title=item.title, site_name=settings.SITE_NAME, label=label
    )
    return FileResponse(default_storage.open(name, "rb"), content_type="image/png")


def csrf_failure(request, reason=""):
    """A readable 403 page for an expired or missing CSRF token (the reason stays in logs)."""
    return render(request, "403_csrf.html", status=403)
