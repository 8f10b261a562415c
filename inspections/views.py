from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.content import listing_facts
from core.jsonld import json_ld
from core.pagecache import fragment, kept
from core.pagination import paginate
from core.site import absolute_url
from inspections import charts, exports
from inspections.forms import InspectionFilterForm
from inspections.models import (
    DatePrecision,
    Finding,
    InspectedOrganisation,
    Inspection,
    Measure,
    Organisation,
    Score,
    Theme,
)
from inspections.preview import preview_inspection_pk
from inspections.querysets import record_prefetches
from inspections.vocabulary import rating_word

INSPECTIONS_PER_PAGE = 20
COMPARE_LIMIT = len(charts.PALETTE)


@dataclass
class ThemeGroup:
    theme: Theme | None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class OrganisationFindings:
    organisation: Organisation
    inspected: InspectedOrganisation | None
    themes: list[ThemeGroup]


@dataclass
class ScoreTable:
    """Scores of one kind laid out measure by measure, one column per organisation."""

    organisations: list[Organisation]
    rows: list[tuple[Measure, list[Score | None]]]

    def __bool__(self):
        return bool(self.rows)


def group_by_theme(findings: Iterable[Finding]) -> list[ThemeGroup]:
    groups: dict[int | None, ThemeGroup] = {}
    for finding in findings:
        groups.setdefault(finding.theme_id, ThemeGroup(finding.theme)).findings.append(finding)

    def theme_order(group: ThemeGroup) -> tuple:
        return (0, group.theme.order, group.theme.name) if group.theme else (1, 0, "")

    return sorted(groups.values(), key=theme_order)


def group_findings(
    inspected: Sequence[InspectedOrganisation], findings: Sequence[Finding]
) -> list[OrganisationFindings]:
    """Findings per organisation (in the inspection's order), then per theme."""
    sections = []
    by_org: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.organisation_id:
            by_org.setdefault(finding.organisation_id, []).append(finding)
    for row in inspected:
        sections.append(
            OrganisationFindings(
                row.organisation, row, group_by_theme(by_org.pop(row.organisation_id, []))
            )
        )
    for rest in by_org.values():  # a finding about an organisation not listed as inspected
        sections.append(OrganisationFindings(rest[0].organisation, None, group_by_theme(rest)))
    return sections


def score_table(scores: Iterable[Score], organisations: Sequence[Organisation] = ()) -> ScoreTable:
    """Lay `scores` out by measure; columns are `organisations` plus any others scored."""
    columns = list(organisations)
    cells: dict[tuple[int, int], Score] = {}
    measures: dict[int, Measure] = {}
    for score in scores:
        if all(org.pk != score.organisation_id for org in columns):
            columns.append(score.organisation)
        measures.setdefault(score.measure_id, score.measure)
        cells.setdefault((score.measure_id, score.organisation_id), score)
    used = {org_id for _measure, org_id in cells}
    columns = [org for org in columns if org.pk in used]
    ordered = sorted(measures.values(), key=lambda m: (m.order, m.code, m.name))
    rows = [(m, [cells.get((m.pk, org.pk)) for org in columns]) for m in ordered]
    return ScoreTable(columns, rows)


def percentage_chart(table: ScoreTable, *, title: str) -> charts.BarChart | None:
    if not table:
        return None
    groups = [
        charts.Group(
            measure.label,
            tuple(
                charts.Datum(score.percentage, score.approximate) if score else charts.Datum(None)
                for score in row
            ),
        )
        for measure, row in table.rows
    ]
    description = ngettext(
        "%(measures)d measure, one bar per organisation (%(names)s). "
        "The same figures follow in a table.",
        "%(measures)d measures, one bar per organisation (%(names)s). "
        "The same figures follow in a table.",
        len(groups),
    ) % {
        "measures": len(groups),
        "names": ", ".join(org.display_name for org in table.organisations),
    }
    return charts.bar_chart(
        series=[org.display_name for org in table.organisations],
        groups=groups,
        title=title,
        description=description,
        missing_label=_("no figure"),
    )


def inspection_list(request):
    inspections = Inspection.objects.published()
    form = InspectionFilterForm(request.GET, options=inspections.filter_options())
    inspections = inspections.newest_first()
    inspections = form.filter(inspections) if form.is_valid() else inspections.none()
    page = paginate(request, inspections.for_listing(), per_page=INSPECTIONS_PER_PAGE)
    description = _(
        "Inspection reports: who was inspected, what the inspectors found and how each "
        "organisation was rated."
    )
    context = {
        "form": form,
        "page_obj": page,
        "inspections": page.object_list,
        "page_facts": listing_facts(request, _("Inspections"), description),
    }
    context["downloads"] = (
        exports.download_links(exports.filter_values(form)) if form.is_valid() else []
    )
    return render(request, "inspections/inspection_list.html", context)


def inspection_detail(request, slug):
    context = inspection_page(request, slug)
    return render(request, "inspections/inspection_detail.html", context)


def inspection_print(request, slug):
    context = inspection_page(request, slug)
    path = context["inspection"].get_absolute_url()
    context.update(
        base_template="print_base.html",
        printing=True,
        canonical_path=path,
        canonical_url=absolute_url(path),
    )
    return render(request, "inspections/inspection_detail.html", context)


def inspection_preview(request, token):
    """An inspection exactly as readers will see it, for staff, through a signed expiring link."""
    if not request.user.is_active or not request.user.is_staff:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not request.user.has_perm("inspections.view_inspection"):
        raise PermissionDenied
    pk = preview_inspection_pk(token)
    if pk is None:
        raise Http404(_("This preview link is not valid or has expired."))
    inspection = get_object_or_404(Inspection.objects.for_detail(), pk=pk)
    messages.info(request, _("Preview: this is how the inspection will look when it is public."))
    context = inspection_context(request, inspection)
    response = render(request, "inspections/inspection_detail.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    patch_cache_control(response, private=True, no_store=True)
    return response


def inspection_page(request, slug: str) -> dict:
    """Everything the inspection page (and its print version) shows."""
    inspection = kept(
        request,
        f"inspections:inspection:{slug}",
        lambda: get_object_or_404(Inspection.objects.published().for_detail(), slug=slug),
    )
    return inspection_context(request, inspection)


def inspection_context(request, inspection: Inspection) -> dict:
    """The header's inspection, and the record and dataset description as fragments: the
    same for every reader until the content changes, so their rows load only to render them
    (the record's first: the dataset and the page's share metadata then reuse its tags)."""
    return {
        "inspection": inspection,
        "record": fragment(
            request,
            f"inspections:record:{inspection.pk}",
            lambda: render_to_string(
                "inspections/_inspection_record.html", record_context(inspection)
            ),
        ),
        "dataset_json_ld": fragment(
            request,
            f"inspections:dataset:{inspection.pk}",
            lambda: json_ld(exports.inspection_json_ld(inspection, inspection.tags.all())),
        ),
    }


def record_context(inspection: Inspection) -> dict:
    """What the record under the page's header shows (it loads the record's rows)."""
    prefetch_related_objects([inspection], *record_prefetches())
    inspected = list(inspection.inspected.all())
    findings = list(inspection.findings.all())
    scores = list(inspection.scores.all())
    organisations = [row.organisation for row in inspected]
    percentages = score_table([s for s in scores if s.percentage is not None], organisations)
    return {
        "inspection": inspection,
        "inspected": inspected,
        "finding_sections": group_findings(inspected, findings),
        "joint_findings": group_by_theme(f for f in findings if f.organisation_id is None),
        "has_findings": bool(findings),
        "percentages": percentages,
        "chart": percentage_chart(percentages, title=_("Scores as percentages")),
        "ratings": score_table([s for s in scores if s.rating_id], organisations),
        "counts": score_table(
            [s for s in scores if s.count is not None and s.percentage is None], organisations
        ),
        "recommendations": list(inspection.recommendations.all()),
        "tags": list(inspection.tags.all()),
        # Articles are blog's; the reverse relation's manager carries blog's published().
        "articles": list(
            inspection.articles.published()
            .only("title", "slug", "published_at", "language")
            .order_by("-published_at")
        ),
    }


def organisation_detail(request, slug):
    organisation = get_object_or_404(Organisation.objects.select_related("operator"), slug=slug)
    history = list(InspectedOrganisation.objects.published().newest_first_for([organisation]))
    events = [
        charts.Event(
            date=row.inspection.published_on,
            date_label=_date_label(row.inspection),
            label=rating_word(row.overall_rating.label) if row.overall_rating else _("not rated"),
            rated=row.overall_rating_id is not None,
        )
        for row in history
    ]
    timeline = charts.timeline(
        events=events,
        title=_("Inspections of %(name)s over time") % {"name": organisation.display_name},
        description=_(
            "A dot for each inspection, filled when it gave an overall rating, labelled with "
            "the date and the rating. The list of inspections follows."
        ),
    )
    context = {
        "organisation": organisation,
        "history": history,
        "timeline": timeline,
        "scores": list(Score.objects.published().of_organisation(organisation)),
    }
    return render(request, "inspections/organisation_detail.html", context)


def compare(request):
    organisations = list(Organisation.objects.order_by("kind", "name"))
    by_slug = {org.slug: org for org in organisations}
    requested = list(dict.fromkeys(request.GET.getlist("org")))
    unknown = [slug for slug in requested if slug not in by_slug]
    known = [by_slug[slug] for slug in requested if slug in by_slug]
    chosen = known[:COMPARE_LIMIT]
    # score_table keeps the first score per measure and organisation: the newest.
    table = score_table(Score.objects.published().for_comparison(chosen), chosen)
    latest = {}
    rows = InspectedOrganisation.objects.published().newest_first_for(chosen) if chosen else []
    for row in rows:
        latest.setdefault(row.organisation_id, row)
    context = {
        "organisations": organisations,
        "chosen": chosen,
        "chosen_slugs": {org.slug for org in chosen},
        "unknown": unknown,
        "too_many": len(known) > COMPARE_LIMIT,
        "compare_limit": COMPARE_LIMIT,
        "percentages": table,
        "chart": percentage_chart(table, title=_("Percentage scores side by side")),
        "latest": [(org, latest.get(org.pk)) for org in chosen],
    }
    return render(request, "inspections/compare.html", context)


def _date_label(inspection: Inspection) -> str:
    fmt = "M Y" if inspection.date_precision == DatePrecision.MONTH else "j M Y"
    return date_format(inspection.published_on, fmt)


def data(request):
    """The open-data page: what each dataset holds, its columns, licence, citation, downloads."""
    summary = exports.coverage()
    context = {
        "datasets": [(links, links.dataset.count()) for links in exports.download_links()],
        "licence": exports.licence(),
        "title": exports.catalogue_title(),
        "summary": summary,
        "page_url": absolute_url(reverse("inspections:data")),
        "json_ld": json_ld(exports.catalogue_json_ld(summary)),
        "page_facts": listing_facts(
            request,
            _("Open data"),
            _(
                "Every inspection, rating, finding and score in our record as open data: CSV "
                "and JSON downloads, with each column documented."
            ),
        ),
    }
    return render(request, "inspections/data.html", context)


def data_download(request, name, format):
    """One dataset as CSV or JSON, streamed, for the inspections the list filters select."""
    dataset = exports.DATASETS.get(name)
    if dataset is None or format not in exports.FORMATS:
        raise Http404(_("There is no such dataset."))
    form = exports.DownloadFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(form.errors_text(), content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        exports.stream(dataset, format, form.scope()),
        content_type=exports.FORMATS[format].content_type,
    )
    name = exports.filename(dataset, format, exports.filter_values(form))
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site's scripts may read it
    return response
