from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap


class SiteUrlSitemap(Sitemap):
    """Sitemap whose addresses come from SITE_URL rather than the request or the Site row."""

    def get_urls(self, page=1, site=None, protocol=None):
        parts = urlsplit(settings.SITE_URL)

        class SiteUrlSite:
            domain = parts.netloc + parts.path

        return super().get_urls(page=page, site=SiteUrlSite, protocol=parts.scheme)
