"""RSS 2.0 feeds of inspections (all, one organisation's, one inspectorate's with the
articles that discuss them), with absolute URLs from SITE_URL (core.site.absolute_url)."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.content import registry as content_registry
from core.feeds import RssFeed
from core.site import absolute_url
from inspections.models import Inspection, Inspectorate, Organisation
from inspections.vocabulary import rating_word


class LatestInspectionsFeed(Feed):
    feed_type = RssFeed
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
            f"{row.organisation.display_name}: {rating_word(row.overall_rating.label)}"
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
        return _item_date(item)

    def item_categories(self, item):
        return [item.inspectorate.display_name, *(tag.name for tag in item.tags.all())]


class OrganisationFeed(LatestInspectionsFeed):
    """Inspections of one organisation, newest first."""

    def get_object(self, request, slug):
        return get_object_or_404(Organisation, slug=slug)

    def title(self, obj=None):
        return _("%(site)s: inspections of %(name)s") % {
            "site": settings.SITE_NAME,
            "name": obj.name,
        }

    def description(self, obj=None):
        return _("Inspection reports on %(name)s recorded on %(site)s, newest first.") % {
            "name": obj.name,
            "site": settings.SITE_NAME,
        }

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return absolute_url(reverse("inspections:organisation-feed", args=[obj.slug]))

    def items(self, obj=None):
        return (
            Inspection.objects.published()
            .filter(inspected__organisation=obj)
            .newest_first()
            .for_feed()[: settings.FEED_ITEMS]
        )


def _public_articles():
    """Articles visible to the public, asked of the content registry (blog's own rule)."""
    return content_registry.for_label("blog.article").public()


class InspectorateFeed(LatestInspectionsFeed):
    """One inspectorate's inspections and the articles that discuss them, newest first."""

    def get_object(self, request, slug):
        return get_object_or_404(Inspectorate, slug=slug)

    def title(self, obj=None):
        return _("%(site)s: %(name)s") % {"site": settings.SITE_NAME, "name": obj.name}

    def description(self, obj=None):
        return _(
            "Inspection reports by %(name)s, and the articles on %(site)s that discuss them, "
            "newest first."
        ) % {"name": obj.name, "site": settings.SITE_NAME}

    def link(self, obj=None):
        return absolute_url(inspectorate_url(obj.slug))

    def feed_url(self, obj=None):
        return absolute_url(reverse("inspections:inspectorate-feed", args=[obj.slug]))

    def items(self, obj=None):
        limit = settings.FEED_ITEMS
        inspections = list(
            Inspection.objects.published()
            .by_inspectorate(obj.slug)
            .newest_first()
            .for_feed()[:limit]
        )
        discussed = Inspection.objects.published().filter(articles=OuterRef("pk"), inspectorate=obj)
        articles = list(
            _public_articles()
            .filter(Exists(discussed))
            .select_related("author__profile")
            .prefetch_related("tags")
            .order_by("-published_at", "-pk")[:limit]
        )
        return sorted([*inspections, *articles], key=_item_date, reverse=True)[:limit]

    def item_description(self, item):
        if isinstance(item, Inspection):
            return super().item_description(item)
        return item.standfirst

    def item_author_name(self, item):
        if isinstance(item, Inspection):
            return super().item_author_name(item)
        return item.author_name

    def item_pubdate(self, item):
        return _item_date(item)

    def item_categories(self, item):
        if isinstance(item, Inspection):
            return super().item_categories(item)
        return [tag.name for tag in item.tags.all()]


def inspectorate_url(slug: str) -> str:
    """An inspectorate's page: the inspection list narrowed to it."""
    return f"{reverse('inspections:inspection-list')}?inspectorate={slug}"


def _item_date(item) -> datetime.datetime:
    if isinstance(item, Inspection):
        return timezone.make_aware(datetime.datetime.combine(item.published_on, datetime.time()))
    return item.published_at
