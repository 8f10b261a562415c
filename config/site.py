"""Absolute URLs for anything that leaves the site (feeds, sitemaps, share links, emails).

They are built from settings.SITE_URL, never from the request's Host header, which a
client controls.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}/{path.lstrip('/')}"
