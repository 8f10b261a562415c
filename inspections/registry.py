"""What inspections registers with core: inspections and findings, and their sitemaps."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.content import ContentKind, PageFacts, plain_summary, registry
from inspections.models import Finding, Inspection


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
            search_fields={"title": "A", "summary": "B", "area": "C"},
            search_results=lambda matches: matches.select_related("inspectorate"),
            search_template="inspections/_search_inspections.html",
        )
    )
    registry.register(
        ContentKind(
            key="findings",
            model=Finding,
            public=Finding.objects.published,
            label=gettext_lazy("Finding"),
            search_fields={"text": "A"},
            search_results=lambda matches: matches.select_related(
                "inspection__inspectorate", "organisation", "theme"
            ),
            search_template="inspections/_search_findings.html",
        )
    )
    for name, sitemap in sitemaps.sitemaps.items():
        registry.register_sitemap(name, sitemap)
