"""Site-wide presentation tags: share links and the social/SEO metadata of a page."""

from django import template
from django.conf import settings
from django.urls import reverse

from core import sharing
from core.jsonld import json_ld

register = template.Library()


@register.inclusion_tag("includes/_share_links.html")
def share_links(obj, placement: str = "top") -> dict:
    """Plain share links (no third-party script), plus print and copy-link."""
    item = sharing.shareable(obj)
    return {
        "placement": placement,
        "item": item,
        "links": sharing.share_links(item, reverse("core:share-mastodon")),
        "url": item.url,
    }


@register.inclusion_tag("includes/_social_meta.html", takes_context=True)
def social_meta(context, obj) -> dict:
    """Canonical URL, Open Graph, Twitter card and JSON-LD for the page's main object."""
    item = sharing.shareable(obj)
    return {
        "item": item,
        "site_name": settings.SITE_NAME,
        "json_ld_blocks": [json_ld(block) for block in sharing.structured_data(item)],
        "csp_nonce": context.get("csp_nonce"),
    }
