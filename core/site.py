"""Absolute URLs for anything that leaves the site (feeds, sitemaps, share links, emails).

They are built from settings.SITE_URL, never from the request's Host header, which a
client controls.
"""

from django.conf import settings


def absolute_url(path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}/{path.lstrip('/')}"


def absolute_links(html: str) -> str:
    """Make the site-relative links and images of an HTML fragment absolute.

    Feed readers, emails and printed pages resolve relative links against the wrong base.
    """
    base = settings.SITE_URL
    return html.replace('href="/', f'href="{base}/').replace('src="/', f'src="{base}/')
