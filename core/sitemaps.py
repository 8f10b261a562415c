import datetime
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from core.i18n import hreflang
from core.site import absolute_url


class SiteUrlSitemap(Sitemap):
    """Sitemap whose addresses come from SITE_URL rather than the request or the Site row.

    Each address lists its versions in each interface language (`?lang=`, core/i18n.py)
    as `xhtml:link` alternates, as its page does with `<link rel="alternate" hreflang>`.
    """

    def get_urls(self, page=1, site=None, protocol=None):
        parts = urlsplit(settings.SITE_URL)

        class SiteUrlSite:
            domain = parts.netloc + parts.path

        urls = super().get_urls(page=page, site=SiteUrlSite, protocol=parts.scheme)
        for url in urls:
            url["alternates"] = language_versions(url["location"])
        return urls


def language_versions(location: str) -> list[dict[str, str]]:
    """The `?lang=` address of `location` in each interface language, then `x-default`."""
    joiner = "&" if "?" in location else "?"
    versions = [
        {"lang_code": hreflang(code), "location": f"{location}{joiner}lang={code}"}
        for code, _name in settings.LANGUAGES
    ]
    return [*versions, {"lang_code": "x-default", "location": location}]


class HubSitemap(SiteUrlSitemap):
    """Listings and hubs (the home page, /articles/, …): `hubs` is (route name, lastmod)
    pairs, lastmod a function giving when the newest content the page shows changed."""

    changefreq = "daily"
    hubs: tuple[tuple[str, Callable[[], datetime.datetime | None]], ...] = ()

    def items(self):
        return list(self.hubs)

    def location(self, item):
        return reverse(item[0])

    def lastmod(self, item):
        return item[1]()


# The sitemaps protocol's limit per file; past it /sitemap.xml becomes an index of sections.
MAX_SITEMAP_URLS = 50_000


def sitemap_or_index(request: HttpRequest, sitemaps: dict, section_url_name: str):
    """The whole sitemap while it holds at most MAX_SITEMAP_URLS addresses; past that, an
    index of its sections (each split into pages of at most that many), addressed from
    SITE_URL."""
    sections = {name: site() if callable(site) else site for name, site in sitemaps.items()}
    for site in sections.values():
        site.limit = MAX_SITEMAP_URLS
    if sum(site.paginator.count for site in sections.values()) <= MAX_SITEMAP_URLS:
        return sitemap_view(request, sections)
    entries = []
    for name, site in sections.items():
        location = reverse(section_url_name, kwargs={"section": name})
        for page in site.paginator.page_range:
            query = f"?p={page}" if page > 1 else ""
            entries.append(SitemapIndexItem(absolute_url(location + query)))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def sitemap_section(request: HttpRequest, sitemaps: dict, section: str):
    """One section of the sitemap (`?p=` for its pages), as the index lists them."""
    sections = {name: site() if callable(site) else site for name, site in sitemaps.items()}
    for site in sections.values():
        site.limit = MAX_SITEMAP_URLS
    return sitemap_view(request, sections, section=section)
