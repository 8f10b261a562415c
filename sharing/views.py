from urllib.parse import urlencode

from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from core.content import registry
from core.csrf import same_origin_post
from sharing.forms import MastodonShareForm, is_shareable_url
from sharing.social_images import preview_image


@same_origin_post
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
        return render(request, "sharing/share_mastodon.html", {"form": form}, status=400)
    initial = {"text": request.GET.get("text", "")[:500], "url": request.GET.get("url", "")}
    if not is_shareable_url(initial["url"]):
        return render(request, "sharing/share_mastodon.html", {"form": None}, status=400)
    form = MastodonShareForm(initial=initial)
    return render(request, "sharing/share_mastodon.html", {"form": form})


@require_GET
@cache_control(max_age=86_400, public=True)
def social_image(request, kind, slug):
    """The generated link-preview image of a page that has no picture of its own."""
    try:
        content_kind = registry.get(kind)
        if content_kind.describe is None:  # no page of its own (findings, flat pages)
            raise LookupError(kind)
        item = content_kind.public().only("title", "slug").get(slug=slug)
    except (LookupError, ObjectDoesNotExist) as exc:
        raise Http404 from exc
    name = preview_image(
        kind=kind,
        slug=item.slug,
        title=item.title,
        site_name=settings.SITE_NAME,
        label=str(content_kind.label),
    )
    return FileResponse(default_storage.open(name, "rb"), content_type="image/png")
