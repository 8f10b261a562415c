"""Read rules for inspections: one named queryset method per question the site asks.

Kept apart from models.py for length; the Prefetch querysets import their models lazily
because models.py imports this module.
"""

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from taggit.models import Tag

if TYPE_CHECKING:
    from inspections.models import Organisation


LARGEST_ID = 2**63 - 1


def _published_inspections():
    from inspections.models import Inspection

    return Inspection.objects.published()


def record_prefetches() -> list[Prefetch | str]:
    """An inspection's record as its page shows it: tags, the organisations inspected,
    findings, scores and recommendations (for `prefetch_related_objects`, once wanted)."""
    from inspections.models import Finding, InspectedOrganisation, Recommendation, Score

    return [
        "tags",
        Prefetch(
            "inspected",
            queryset=InspectedOrganisation.objects.select_related(
                "organisation__operator", "overall_rating"
            ),
        ),
        Prefetch("findings", queryset=Finding.objects.select_related("theme", "organisation")),
        Prefetch(
            "scores",
            queryset=Score.objects.select_related("measure", "rating", "organisation"),
        ),
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.prefetch_related("addressed_to"),
        ),
    ]


class InspectionQuerySet(models.QuerySet):
    def published(self):
        """The one definition of "visible to the public": status published and its go-live
        time (`live_at`) come. Views, feeds, sitemaps, search, open data, email announcements
        and plug-ins all ask here; rows of other models ask through `_published_inspections`.
        """
        from inspections.models import Inspection

        return self.filter(status=Inspection.Status.PUBLISHED, live_at__lte=timezone.now())

    def scheduled(self):
        """Published inspections whose go-live time has not come (the twin of published())."""
        from inspections.models import Inspection

        return self.filter(status=Inspection.Status.PUBLISHED, live_at__gt=timezone.now())

    def going_public(self):
        """Public now, or at their go-live time by themselves: what the search index holds
        (each document dated by `live_at`, so search shows it only from then)."""
        return self.published() | self.scheduled()

    def in_review(self):
        from inspections.models import Inspection

        return self.filter(status=Inspection.Status.REVIEW)

    def next_publication_at(self) -> datetime.datetime | None:
        """When the next scheduled inspection goes live; None when none is waiting."""
        return self.scheduled().aggregate(at=models.Min("live_at"))["at"]

    def newest_first(self):
        return self.order_by("-published_on", "-pk")

    def for_listing(self):
        """Everything a card shows: inspectorate and each organisation with its rating."""
        from inspections.models import InspectedOrganisation

        return self.select_related("inspectorate", "programme").prefetch_related(
            Prefetch(
                "inspected",
                queryset=InspectedOrganisation.objects.select_related(
                    "organisation", "overall_rating"
                ),
            )
        )

    def for_detail(self):
        """The inspection page's header: inspectorate, programme and the inspection it
        follows up. The record under it, tags included: `record_prefetches()`."""
        return self.select_related("inspectorate", "programme", "follows")

    def for_feed(self):
        return self.for_listing().prefetch_related("tags")

    def published_in(self, year: int):
        return self.filter(published_on__year=year)

    def by_inspectorate(self, slug: str):
        return self.filter(inspectorate__slug=slug)

    def covering(self, *, kind: str = "", rating: str = ""):
        """Inspections with one organisation of `kind` rated `rating` (a level slug or id)."""
        from inspections.models import InspectedOrganisation

        inspected = InspectedOrganisation.objects.filter(inspection=OuterRef("pk"))
        if kind:
            inspected = inspected.filter(organisation__kind=kind)
        if rating:
            if rating.isdigit():
                if int(rating) > LARGEST_ID:  # no such row, and more than the column holds
                    return self.none()
                inspected = inspected.filter(overall_rating_id=int(rating))
            else:
                inspected = inspected.filter(overall_rating__slug=rating)
        return self.filter(Exists(inspected))

    def tagged(self, tag: Tag | str):
        slug = tag.slug if isinstance(tag, Tag) else tag
        return self.filter(tags__slug=slug)

    def filter_options(self) -> dict[str, list]:
        """Inspectorates, years and ratings that occur, for the list filters, in one query."""
        rows = (
            self.order_by()
            .values_list(
                "inspectorate__slug",
                "inspectorate__short_name",
                "inspectorate__name",
                "published_on__year",
                "inspected__overall_rating__slug",
                "inspected__overall_rating__label",
            )
            .distinct()
        )
        inspectorates, years, ratings = {}, set(), {}
        for slug, short_name, name, year, rating_slug, rating_label in rows:
            inspectorates[slug] = short_name or name
            years.add(year)
            if rating_slug:
                ratings[rating_slug] = rating_label
        return {
            "inspectorates": sorted(inspectorates.items(), key=lambda item: item[1]),
            "years": sorted(years, reverse=True),
            "ratings": sorted(ratings.items(), key=lambda item: item[1]),
        }


class FindingQuerySet(models.QuerySet):
    def published(self):
        """Findings of public inspections."""
        return self.filter(inspection__in=_published_inspections())

    def going_public(self):
        """Findings of inspections public now or at their go-live time (the search index)."""
        from inspections.models import Inspection

        return self.filter(inspection__in=Inspection.objects.going_public())

    def for_search(self):
        """What a finding's search entry names: inspection, organisation, theme, and tags as a
        plain list in `search_tags` (taggit builds a query per object for `tags`)."""
        return self.select_related(
            "inspection__inspectorate", "organisation", "theme"
        ).prefetch_related(Prefetch("tags", to_attr="search_tags"))


class InspectedOrganisationQuerySet(models.QuerySet):
    def published(self):
        """Rows of public inspections."""
        return self.filter(inspection__in=_published_inspections())

    def newest_first_for(self, organisations):
        """Rows of `organisations` (a list or queryset), newest inspection first."""
        return (
            self.filter(organisation__in=organisations)
            .select_related("inspection__inspectorate", "overall_rating")
            .order_by("-inspection__published_on", "-inspection__pk")
        )


MEASURE_ORDER = ["measure__order", "measure__code", "measure__name"]


class ScoreQuerySet(models.QuerySet):
    def published(self):
        """Scores of public inspections."""
        return self.filter(inspection__in=_published_inspections())

    def percentages(self):
        return self.filter(percentage__isnull=False)

    def of_organisation(self, organisation: "Organisation"):
        """Every score of `organisation`, by measure, newest inspection first."""
        return (
            self.filter(organisation=organisation)
            .select_related("measure", "rating", "inspection")
            .order_by(*MEASURE_ORDER, "-inspection__published_on")
        )

    def for_comparison(self, organisations):
        """Percentage scores of `organisations`, newest inspection first per measure."""
        return (
            self.percentages()
            .filter(organisation__in=organisations)
            .select_related("measure", "inspection")
            .order_by(*MEASURE_ORDER, "-inspection__published_on")
        )


class RecommendationQuerySet(models.QuerySet):
    def published(self):
        """Recommendations of public inspections."""
        return self.filter(inspection__in=_published_inspections())
