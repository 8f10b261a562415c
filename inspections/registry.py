"""What inspections registers with core: inspections and findings, and their sitemaps."""

from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.content import ContentKind, PageFacts, SearchEntry, plain_summary, registry
from inspections.models import (
    Finding,
    InspectedOrganisation,
    Inspection,
    Inspectorate,
    Organisation,
)


def inspection_facts(inspection: Inspection) -> PageFacts:
    """Share and metadata facts for an inspection record (inspectorate and tags loaded)."""
    return PageFacts(
        title=inspection.title,
        path=inspection.get_absolute_url(),
        description=plain_summary(inspection.summary, 300),
        print_path=reverse("inspections:inspection-print", kwargs={"slug": inspection.slug}),
        og_type="article",
        published=inspection.published_on,
        modified=inspection.updated_at,
        author_name=inspection.inspectorate.name,
        section=_("Inspections"),
        tags=[tag.name for tag in inspection.tags.all()],
        breadcrumbs=[
            (_("Home"), reverse("blog:home")),
            (_("Inspections"), reverse("inspections:inspection-list")),
            (inspection.title, inspection.get_absolute_url()),
        ],
        json_ld_type="Report",
        kind="inspections",
        slug=inspection.slug,
    )


def organisation_facts(organisation: Organisation) -> PageFacts:
    path = organisation.get_absolute_url()
    return PageFacts(
        title=organisation.name,
        path=path,
        description=_("Inspections of %(name)s and how it was rated over time.")
        % {"name": organisation.name},
        breadcrumbs=[
            (_("Home"), reverse("blog:home")),
            (_("Inspections"), reverse("inspections:inspection-list")),
            (organisation.name, path),
        ],
    )


def inspection_search_entry(inspection: Inspection) -> SearchEntry:
    """What an inspection record offers the site search (`for_search()` rows loaded)."""
    inspectorate = inspection.inspectorate
    inspected = list(inspection.inspected.all())
    organisations = [row.organisation for row in inspected]
    tags = list(inspection.tags.all())
    return SearchEntry(
        title=inspection.title,
        url=inspection.get_absolute_url(),
        summary=inspection.summary,
        keywords=[
            inspectorate.name,
            inspectorate.short_name,
            inspection.area,
            inspection.programme.name if inspection.programme else "",
            *(name for o in organisations for name in (o.name, o.short_name, o.area)),
            *(row.overall_rating.label for row in inspected if row.overall_rating),
            *(tag.name for tag in tags),
        ],
        body=inspection.quote,
        byline=" · ".join(filter(None, [inspectorate.display_name, inspection.area])),
        date=inspection.published_on,
        public_from=inspection.live_at,
        facets={
            "inspectorate": [(inspectorate.slug, inspectorate.display_name)],
            "organisation": [(o.slug, o.display_name) for o in organisations],
            "tag": [(tag.slug, tag.name) for tag in tags],
        },
        language=inspection.language,
    )


@lru_cache(maxsize=4096)
def _findings_url(slug: str, script_prefix: str) -> str:
    # A hundred findings share an inspection; reverse() is the dearest step of their entries.
    return reverse("inspections:inspection-detail", kwargs={"slug": slug}) + "#findings-title"


@lru_cache(maxsize=64)
def _polarity_label(polarity: str, language: str | None) -> str:
    # Not get_polarity_display() per finding: it hashes every lazy label of the choices.
    return str(Finding.Polarity(polarity).label)


def finding_search_entry(finding: Finding) -> SearchEntry:
    """What one finding offers the site search, under its organisation and theme."""
    inspection, organisation, theme = finding.inspection, finding.organisation, finding.theme
    heading = organisation.display_name if organisation else inspection.title
    tags = finding.search_tags
    return SearchEntry(
        title=" · ".join(filter(None, [heading, theme.label if theme else ""])),
        url=_findings_url(inspection.slug, get_script_prefix()),
        summary=finding.text,
        keywords=[
            organisation.name if organisation else "",
            _polarity_label(finding.polarity, get_language()),
            *(tag.name for tag in tags),
        ],
        byline=inspection.title,
        date=inspection.published_on,
        public_from=inspection.live_at,
        facets={
            "inspectorate": [(inspection.inspectorate.slug, inspection.inspectorate.display_name)],
            "organisation": [(organisation.slug, organisation.display_name)]
            if organisation
            else [],
            "tag": [(tag.slug, tag.name) for tag in tags],
        },
        language=inspection.language,
    )


def register() -> None:
    from inspections import sitemaps

    registry.register(
        ContentKind(
            key="inspections",
            model=Inspection,
            public=Inspection.objects.published,
            label=gettext_lazy("Inspection record"),
            describe=inspection_facts,
            path_prefix="inspections",
            published_field="published_on",
            commentable=True,
            search_index=lambda: (
                Inspection.objects.going_public().for_listing().prefetch_related("tags")
            ),
            search_entry=inspection_search_entry,
            search_related=(
                (InspectedOrganisation, lambda row: [row.inspection_id]),
                (Organisation, lambda organisation: organisation.inspections.all()),
                (Inspectorate, lambda inspectorate: inspectorate.inspections.all()),
            ),
        )
    )
    registry.register(
        ContentKind(
            key="findings",
            model=Finding,
            public=Finding.objects.published,
            label=gettext_lazy("Finding"),
            search_index=lambda: Finding.objects.going_public().for_search(),
            search_entry=finding_search_entry,
            search_boost=0.5,
            search_related=(
                (Inspection, lambda inspection: inspection.findings.all()),
                (Organisation, lambda organisation: organisation.findings.all()),
            ),
        )
    )
    registry.register_page(Organisation, organisation_facts)
    for name, sitemap in sitemaps.sitemaps.items():
        registry.register_sitemap(name, sitemap)
