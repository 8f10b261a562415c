"""The open datasets: their columns, a published contract, and the one query behind each.

A dataset's rows are tuples in column order from `values_list` (joins and tag lists done in
SQL), read with `.iterator()`, sorted on exported columns only.
"""

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Aggregate, Exists, OuterRef, Q, QuerySet, Subquery, TextField
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItemBase

from core.site import absolute_url
from inspections.models import (
    DatePrecision,
    Finding,
    InspectedOrganisation,
    Inspection,
    Organisation,
    Recommendation,
    Score,
    TaggedFinding,
    TaggedInspection,
)

CHUNK_ROWS = 2000  # rows fetched from the database at a time

# Column kinds: how a value is written (and read back by the import).
TEXT, CHOICE, DATE, INT, DECIMAL, BOOL, LIST = (
    "text",
    "choice",
    "date",
    "int",
    "decimal",
    "bool",
    "list",
)
KIND_LABELS = {
    TEXT: _("text"),
    CHOICE: _("one of a set of words"),
    DATE: _("date, YYYY-MM-DD"),
    INT: _("whole number"),
    DECIMAL: _("number"),
    BOOL: _("true or false"),
    LIST: _("list"),
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: Promise | str
    required: bool = False  # the import refuses a row where it is empty
    choices: tuple[str, ...] = ()
    derived: bool = False  # written for readers, ignored (and optional) on import

    @property
    def kind_label(self) -> str:
        if self.kind == CHOICE:
            return ", ".join(self.choices)
        return str(KIND_LABELS[self.kind])


RowSource = Callable[["QuerySet[Inspection] | None"], Iterable[tuple]]
CountSource = Callable[["QuerySet[Inspection] | None"], QuerySet]


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Promise | str
    row: Promise | str  # what one row is
    columns: tuple[Column, ...]
    rows: RowSource = field(repr=False)  # tuples in column order, for inspections in scope
    base: CountSource = field(repr=False)  # the rows' model queryset, for counting

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def count(self, scope: "QuerySet[Inspection] | None" = None) -> int:
        return self.base(scope).count()


# Reading the database. `scope` is a queryset of the inspections to export, or None for all.


class _JSONList(Aggregate):
    """A group's values as JSON array text: json_group_array on SQLite, json_agg on PostgreSQL."""

    function = "JSON_GROUP_ARRAY"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, function="JSON_AGG", **extra_context)
        return f"({sql})::text", params


def _with_tag_names(queryset: QuerySet, through: type[TaggedItemBase]) -> QuerySet:
    """Annotate `tag_names`: each row's tag names as JSON array text, in the row's own query.

    The fastest shape differs by database (measured with 200,000 findings): PostgreSQL
    aggregates over a join 2.5 times faster than it runs a subquery per row; SQLite runs the
    subquery per row 1.7 times faster than the GROUP BY.
    """
    if connections[queryset.db].vendor == "postgresql":
        name = f"{through._meta.get_field('content_object').related_query_name()}__tag__name"
        return queryset.annotate(tag_names=_JSONList(name, filter=Q(**{f"{name}__isnull": False})))
    tags = (
        through.objects.filter(content_object=OuterRef("pk"))
        .order_by()
        .values("content_object")
        .annotate(names=_JSONList("tag__name"))
        .values("names")
    )
    return queryset.annotate(tag_names=Subquery(tags, output_field=TextField()))


def _tag_list(names: str | None) -> list[str]:
    # Sorted here, not in SQL, so the order is the same on every database.
    return sorted(json.loads(names)) if names else []


def _in_scope(queryset: QuerySet, scope: "QuerySet[Inspection] | None", path: str) -> QuerySet:
    """Rows of the inspections in `scope`; of every public inspection when it is None."""
    scope = _inspections_base(scope)
    return queryset.filter(**{f"{path}__in": scope.values("pk")})


def _page_url(route: str) -> Callable[[str], str]:
    """Absolute page address from a slug, reversing the route once rather than per row."""
    marker = "--slug--"
    before, after = absolute_url(reverse(route, kwargs={"slug": marker})).split(marker)
    return lambda slug: f"{before}{slug}{after}"


def _inspections_base(scope):
    return scope if scope is not None else Inspection.objects.published()


def _inspection_rows(scope) -> Iterator[tuple]:
    rows = (
        _with_tag_names(_inspections_base(scope), TaggedInspection)
        .order_by("published_on", "slug")
        .values_list(
            "slug",
            "title",
            "inspectorate__slug",
            "inspectorate__name",
            "programme__slug",
            "programme__name",
            "area",
            "published_on",
            "date_precision",
            "fieldwork_start",
            "fieldwork_end",
            "fieldwork_precision",
            "fieldwork_note",
            "report_url",
            "press_release_url",
            "summary",
            "quote",
            "quote_attribution",
            "quote_context",
            "record_note",
            "follows__slug",
            "tag_names",
        )
    )
    url = _page_url("inspections:inspection-detail")
    for *cells, tags in rows.iterator(chunk_size=CHUNK_ROWS):
        yield (*cells, _tag_list(tags), url(cells[0]))


def _organisations_base(scope):
    def linked(model, inspection="inspection"):
        return _in_scope(model.objects.filter(organisation=OuterRef("pk")), scope, inspection)

    return Organisation.objects.filter(
        Exists(linked(InspectedOrganisation))
        | Exists(linked(Finding))
        | Exists(linked(Score))
        | Exists(linked(Recommendation.addressed_to.through, "recommendation__inspection"))
    )


def _organisation_rows(scope) -> Iterator[tuple]:
    rows = (
        _organisations_base(scope)
        .order_by("slug")
        .values_list(
            "slug",
            "name",
            "short_name",
            "kind",
            "operator__slug",
            "operator__name",
            "area",
            "active_from",
            "active_to",
        )
    )
    url = _page_url("inspections:organisation-detail")
    for cells in rows.iterator(chunk_size=CHUNK_ROWS):
        yield (*cells, url(cells[0]))


def _ratings_base(scope):
    return _in_scope(InspectedOrganisation.objects.all(), scope, "inspection")


def _rating_rows(scope) -> Iterator[tuple]:
    return (
        _ratings_base(scope)
        .order_by("inspection__published_on", "inspection__slug", "order", "organisation__slug")
        .values_list(
            "inspection__slug",
            "organisation__slug",
            "role",
            "order",
            "overall_rating__label",
            "overall_rating__rank",
            "overall_rating__scale__slug",
            "caseload",
            "caseload_note",
        )
        .iterator(chunk_size=CHUNK_ROWS)
    )


def _findings_base(scope):
    return _in_scope(Finding.objects.published(), scope, "inspection")


def _finding_rows(scope) -> Iterator[tuple]:
    rows = (
        _with_tag_names(_findings_base(scope), TaggedFinding)
        # pk only breaks ties between equal orders (the import reports those as duplicates).
        .order_by("inspection__published_on", "inspection__slug", "order", "pk")
        .values_list(
            "inspection__slug",
            "order",
            "organisation__slug",
            "theme__code",
            "theme__name",
            "polarity",
            "text",
            "tag_names",
        )
    )
    for *cells, tags in rows.iterator(chunk_size=CHUNK_ROWS):
        yield (*cells, _tag_list(tags))


def _scores_base(scope):
    return _in_scope(Score.objects.all(), scope, "inspection")


def _score_rows(scope) -> Iterator[tuple]:
    return (
        _scores_base(scope)
        .order_by(
            "inspection__published_on",
            "inspection__slug",
            "organisation__slug",
            "measure__order",
            "measure__slug",
        )
        .values_list(
            "inspection__slug",
            "organisation__slug",
            "measure__slug",
            "measure__code",
            "measure__name",
            "measure__order",
            "percentage",
            "count",
            "rating__label",
            "rating__rank",
            "rating__scale__slug",
            "approximate",
            "note",
        )
        .iterator(chunk_size=CHUNK_ROWS)
    )


def _recommendations_base(scope):
    return _in_scope(Recommendation.objects.all(), scope, "inspection")


def _recommendation_rows(scope) -> Iterator[tuple]:
    addressed_to = (
        Recommendation.addressed_to.through.objects.filter(recommendation=OuterRef("pk"))
        .order_by()
        .values("recommendation")
        .annotate(slugs=_JSONList("organisation__slug"))
        .values("slugs")
    )
    rows = (
        _recommendations_base(scope)
        .annotate(addressed_to_slugs=Subquery(addressed_to, output_field=TextField()))
        # pk only breaks ties between equal orders (the import reports those as duplicates).
        .order_by("inspection__published_on", "inspection__slug", "order", "pk")
        .values_list(
            "inspection__slug",
            "order",
            "text",
            "addressed_to_slugs",
            "addressed_to_other",
            "note",
        )
    )
    for slug, order, text, slugs, other, note in rows.iterator(chunk_size=CHUNK_ROWS):
        yield (slug, order, text, _tag_list(slugs), other, note)


# The datasets. Column names and order are a contract: add columns at the end, never rename.

PRECISIONS = tuple(DatePrecision.values)

INSPECTION_COLUMN = Column(
    "inspection", TEXT, _("The inspection’s slug (see the inspections dataset)."), required=True
)
ORGANISATION_COLUMN = Column(
    "organisation", TEXT, _("The organisation’s slug (see the organisations dataset)."), True
)
RATING_COLUMNS = (
    Column("rating", TEXT, _("The judgement, in the inspectorate’s own words.")),
    Column("rating_rank", INT, _("The judgement’s place on its scale: 1 is the lowest.")),
    Column("rating_scale", TEXT, _("Slug of the rating scale the judgement is on.")),
)

INSPECTIONS = Dataset(
    name="inspections",
    title=_("Inspections"),
    row=_("One row per inspection report."),
    rows=_inspection_rows,
    base=_inspections_base,
    columns=(
        Column(
            "slug",
            TEXT,
            _("Identifies the inspection; the last part of its address on this site."),
            required=True,
        ),
        Column("title", TEXT, _("The report’s title."), required=True),
        Column("inspectorate", TEXT, _("Slug of the inspectorate, e.g. hmi-probation."), True),
        Column("inspectorate_name", TEXT, _("The inspectorate’s full name."), required=True),
        Column("programme", TEXT, _("Slug of the inspection programme; empty if not known.")),
        Column("programme_name", TEXT, _("The programme’s name, e.g. Quality & Impact.")),
        Column("area", TEXT, _("The area the inspection covered.")),
        Column(
            "published_on",
            DATE,
            _("When the report was published. With month precision the day is always 01."),
            required=True,
        ),
        Column(
            "date_precision",
            CHOICE,
            _("day, or month when only the month of publication is known."),
            required=True,
            choices=PRECISIONS,
        ),
        Column("fieldwork_start", DATE, _("First day of fieldwork; empty if not known.")),
        Column("fieldwork_end", DATE, _("Last day of fieldwork; empty if not known.")),
        Column(
            "fieldwork_precision",
            CHOICE,
            _("day, or month when only the month of fieldwork is known."),
            required=True,
            choices=PRECISIONS,
        ),
        Column("fieldwork_note", TEXT, _("What is known of the fieldwork when dates are not.")),
        Column("report_url", TEXT, _("The report on the inspectorate’s website.")),
        Column("press_release_url", TEXT, _("The inspectorate’s press release.")),
        Column("summary", TEXT, _("Our short summary of what the inspectors found.")),
        Column("quote", TEXT, _("The chief inspector’s words, quoted exactly.")),
        Column("quote_attribution", TEXT, _("Who said them.")),
        Column("quote_context", TEXT, _("What they were said about.")),
        Column("record_note", TEXT, _("Gaps and caveats in this record.")),
        Column("follows", TEXT, _("Slug of the earlier inspection this one follows up.")),
        Column("tags", LIST, _("Tags, in alphabetical order.")),
        Column("url", TEXT, _("The inspection’s page on this site."), derived=True),
    ),
)

ORGANISATIONS = Dataset(
    name="organisations",
    title=_("Organisations"),
    row=_("One row per organisation named in at least one of the inspections exported."),
    rows=_organisation_rows,
    base=_organisations_base,
    columns=(
        Column("slug", TEXT, _("Identifies the organisation."), required=True),
        Column("name", TEXT, _("Its full name."), required=True),
        Column("short_name", TEXT, _("The short name used in charts and tables.")),
        Column(
            "kind",
            CHOICE,
            _("What sort of organisation it is."),
            required=True,
            choices=tuple(Organisation.Kind.values),
        ),
        Column("operator", TEXT, _("Slug of the company or body that runs it; may be empty.")),
        Column("operator_name", TEXT, _("The operator’s name.")),
        Column("area", TEXT, _("The area it covers.")),
        Column("active_from", DATE, _("When it started work, where known.")),
        Column("active_to", DATE, _("When it stopped, where known.")),
        Column("url", TEXT, _("The organisation’s page on this site."), derived=True),
    ),
)

RATINGS = Dataset(
    name="ratings",
    title=_("Organisations inspected and overall ratings"),
    row=_(
        "One row per organisation an inspection covered, with its overall rating "
        "(empty where the inspection gave none)."
    ),
    rows=_rating_rows,
    base=_ratings_base,
    columns=(
        INSPECTION_COLUMN,
        ORGANISATION_COLUMN,
        Column(
            "role",
            CHOICE,
            _("subject when the organisation was inspected, partner when it was also covered."),
            required=True,
            choices=tuple(InspectedOrganisation.Role.values),
        ),
        Column("order", INT, _("Its place in the inspection’s list; lower first."), True),
        *RATING_COLUMNS,
        Column("caseload", INT, _("People supervised at the time, as the report gives it.")),
        Column("caseload_note", TEXT, _("A note on the caseload figure.")),
    ),
)

FINDINGS = Dataset(
    name="findings",
    title=_("Findings"),
    row=_("One row per finding: something the inspectors found, in our own words."),
    rows=_finding_rows,
    base=_findings_base,
    columns=(
        INSPECTION_COLUMN,
        Column(
            "order",
            INT,
            _("The finding’s place in the inspection; with inspection it identifies the row."),
            required=True,
        ),
        Column("organisation", TEXT, _("Slug of the organisation; empty for a joint finding.")),
        Column("theme", TEXT, _("Code of the theme, e.g. caseloads or 2.1; may be empty.")),
        Column("theme_name", TEXT, _("The theme’s name.")),
        Column(
            "polarity",
            CHOICE,
            _("Whether it is a strength, a concern, mixed, or context."),
            required=True,
            choices=tuple(Finding.Polarity.values),
        ),
        Column("text", TEXT, _("The finding."), required=True),
        Column("tags", LIST, _("Tags, in alphabetical order.")),
    ),
)

SCORES = Dataset(
    name="scores",
    title=_("Scores"),
    row=_(
        "One row per inspection, organisation and measure: a percentage of cases, a count, "
        "or a judgement on a standard."
    ),
    rows=_score_rows,
    base=_scores_base,
    columns=(
        INSPECTION_COLUMN,
        ORGANISATION_COLUMN,
        Column("measure", TEXT, _("Slug of what was measured."), required=True),
        Column("measure_code", TEXT, _("The standard’s number, e.g. 2.1; may be empty.")),
        Column("measure_name", TEXT, _("What was measured."), required=True),
        Column("measure_order", INT, _("Where the measure sorts among the others."), True),
        Column("percentage", DECIMAL, _("The figure as a percentage, 0 to 100.")),
        Column("count", INT, _("The figure as a count.")),
        *RATING_COLUMNS,
        Column("approximate", BOOL, _("true when the report gives the figure loosely."), True),
        Column("note", TEXT, _("A note on the figure.")),
    ),
)

RECOMMENDATIONS = Dataset(
    name="recommendations",
    title=_("Recommendations"),
    row=_("One row per recommendation an inspection made, in our own words."),
    rows=_recommendation_rows,
    base=_recommendations_base,
    columns=(
        INSPECTION_COLUMN,
        Column(
            "order",
            INT,
            _("Its place in the inspection; with inspection it identifies the row."),
            required=True,
        ),
        Column("text", TEXT, _("The recommendation."), required=True),
        Column(
            "addressed_to",
            LIST,
            _("Slugs of the organisations it is addressed to (see the organisations dataset)."),
        ),
        Column(
            "addressed_to_other",
            TEXT,
            _("Bodies it is also addressed to that are not organisations here."),
        ),
        Column("note", TEXT, _("A note on the recommendation.")),
    ),
)

# In the order a reader meets them; the import sorts by dependency itself.
DATASETS = {
    dataset.name: dataset
    for dataset in (INSPECTIONS, ORGANISATIONS, RATINGS, FINDINGS, SCORES, RECOMMENDATIONS)
}
