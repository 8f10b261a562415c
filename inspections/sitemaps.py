"""Sitemap sections for inspection and organisation pages (config/urls.py lists sections)."""

from django.db.models import Max

from core.sitemaps import HubSitemap, SiteUrlSitemap
from inspections.models import Inspection, Organisation


class InspectionSitemap(SiteUrlSitemap):
    changefreq = "monthly"

    def items(self):
        return Inspection.objects.published().newest_first().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


class OrganisationSitemap(SiteUrlSitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Organisation.objects.filter(inspected__inspection__in=Inspection.objects.published())
            .annotate(latest=Max("inspected__inspection__updated_at"))
            .order_by("name")
        )

    def lastmod(self, item):
        return item.latest


def latest_inspection_change():
    return Inspection.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class InspectionHubSitemap(HubSitemap):
    # The data page's tables and downloads are built from the published inspections.
    hubs = (
        ("inspections:inspection-list", latest_inspection_change),
        ("inspections:data", latest_inspection_change),
    )


sitemaps = {
    "inspection-hubs": InspectionHubSitemap,
    "inspections": InspectionSitemap,
    "organisations": OrganisationSitemap,
}
