"""What sharing attaches to pages: metadata in <head> and the share bars."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from core.jsonld import json_ld
from core.slots import shared
from sharing import links


@shared
def social_meta(context, obj, **options) -> str:
    """Canonical URL, Open Graph, Twitter card and JSON-LD for the page's main object."""
    if obj is None:
        return ""
    item = links.shareable(obj)
    return render_to_string(
        "sharing/_social_meta.html",
        {
            "item": item,
            "site_name": settings.SITE_NAME,
            "json_ld_blocks": [json_ld(block) for block in links.structured_data(item)],
        },
    )


@shared
def share_links(context, obj, placement: str = "top", **options) -> str:
    """Plain share links (no third-party script), plus print and copy-link."""
    if obj is None:
        return ""
    item = links.shareable(obj)
    return render_to_string(
        "sharing/_share_links.html",
        {
            "placement": placement,
            "item": item,
            "links": links.share_links(item, reverse("sharing:share-mastodon")),
            "url": item.url,
        },
    )
