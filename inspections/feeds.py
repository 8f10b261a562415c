"""RSS 2.0 feed of inspections, with absolute URLs from SITE_URL (core.site.absolute_url)."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from core.site import absolute_url
from inspections.models import Inspection


class LatestInspectionsFeed(Feed):
    feed_type = Rss201rev2Feed
    description_template = None

    def title(self, obj=None):
        return _("%(site)s: inspections") % {"site": settings.SITE_NAME}

    def description(self, obj=None):
        return _("Inspection reports recorded on %(site)s, newest first.") % {
            "site": settings.SITE_NAME
        }

    def link(self, obj=None):
        return absolute_url(reverse("inspections:inspection-list"))

    def feed_url(self, obj=None):
        return absolute_url(reverse("inspections:inspection-feed"))

    def items(self, obj=None):
        return Inspection.objects.published().newest_first().for_feed()[: settings.FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        ratings = [
            f"{row.organisation.display_name}: {row.overall_rating.label}"
            for row in item.inspected.all()
            if row.overall_rating
        ]
        return " ".join([item.summary, *([f"({'; '.join(ratings)})"] if ratings else [])])

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    def item_author_name(self, item):
        return item.inspectorate.name

    def item_pubdate(self, item):
        midnight = datetime.datetime.combine(item.published_on, datetime.time())
        return timezone.make_aware(midnight)

    def item_categories(self, item):
        return [item.inspectorate.display_name, *(tag.name for tag in item.tags.all())]
