"""Services of the inspections app: work that writes many rows in one transaction."""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from inspections.imports import ImportFailed, Row, read_files
from inspections.models import (
    Finding,
    InspectedOrganisation,
    Inspection,
    Inspectorate,
    Measure,
    Operator,
    Organisation,
    Programme,
    RatingLevel,
    RatingScale,
    Recommendation,
    Score,
    Theme,
)

# Rows that others point at are loaded first.
IMPORT_ORDER = ["organisations", "inspections", "ratings", "findings", "scores", "recommendations"]
# Inspection columns that are fields of its own (the rest name other rows).
INSPECTION_FIELDS = [
    "title",
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
]


def standard_order(code: str) -> int:
    """Numbered standards sort by number (“1.1” → 11); other measures and themes after them."""
    try:
        return int(Decimal(code) * 10)
    except ArithmeticError:
        return 1000


@dataclass
class ImportReport:
    dry_run: bool
    rows: Counter = field(default_factory=Counter)  # rows read, per dataset
    changes: dict[str, Counter] = field(default_factory=dict)  # per model: created/updated/…

    def count(self, model: type[models.Model], outcome: str) -> None:
        self.changes.setdefault(str(model._meta.verbose_name_plural), Counter())[outcome] += 1

    def lines(self) -> list[str]:
        lines = [f"read {count} rows of {name}" for name, count in self.rows.items()]
        for name, outcomes in self.changes.items():
            counts = ", ".join(
                f"{outcomes[outcome]} {outcome}" for outcome in ("created", "updated", "unchanged")
            )
            lines.append(f"{name}: {counts}")
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return lines


class _Loader:
    def __init__(self, report: ImportReport, publish: bool = True):
        self.report = report
        # New inspections: public now (open data describes published reports), or drafts.
        self.new_inspection = (
            {"status": Inspection.Status.PUBLISHED, "live_at": timezone.now()}
            if publish
            else {"status": Inspection.Status.DRAFT}
        )
        self.problems: list[str] = []
        self.refs: dict[tuple, tuple[models.Model | None, dict, str]] = {}
        self.inspections: dict[str, Inspection | None] = {}
        self.organisations: dict[str, Organisation | None] = {}
        self.seen: dict[tuple, str] = {}
        self.follows: list[tuple[Row, Inspection]] = []

    def problem(self, where: str, column: str, message: str) -> None:
        self.problems.append(f"{where}: {column}: {message}")

    # Generic create-or-update.

    def upsert(
        self,
        where: str,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        columns: dict[str, str],
        create: dict[str, Any] | None = None,
        tags: list[str] | None = None,
        members: dict[str, list[models.Model]] | None = None,
    ) -> models.Model | None:
        """The object `lookup` finds, or a new one, given `values`; None when it is invalid.

        `members` sets many-to-many fields (name -> the related objects) when they differ.
        """
        obj = model._default_manager.filter(**lookup).first()
        created = obj is None
        if created:
            obj = model(**lookup, **(create or {}))
        changed = self._assign(obj, values)
        if created or changed:
            try:
                obj.full_clean()
                with transaction.atomic():
                    obj.save()
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    column = "row" if name == NON_FIELD_ERRORS else columns.get(name, name)
                    for message in messages:
                        self.problem(where, column, message)
                return None
            except IntegrityError as exc:
                self.problem(where, "row", f"refused by the database: {exc}")
                return None
        if tags is not None:
            current = [] if created else sorted(tag.name for tag in obj.tags.all())
            if current != sorted(tags):
                obj.tags.set(tags)
                changed = True
        for name, related in (members or {}).items():
            manager = getattr(obj, name)
            current = set() if created else set(manager.values_list("pk", flat=True))
            if current != {item.pk for item in related}:
                manager.set(related)
                changed = True
        outcome = "created" if created else "updated" if changed else "unchanged"
        self.report.count(model, outcome)
        return obj

    @staticmethod
    def _assign(obj: models.Model, values: dict[str, Any]) -> bool:
        changed = False
        for name, value in values.items():
            model_field = obj._meta.get_field(name)
            if model_field.is_relation:
                current = getattr(obj, model_field.attname)
                if current != (value.pk if value is not None else None):
                    setattr(obj, name, value)
                    changed = True
            elif getattr(obj, name) != value:
                setattr(obj, name, value)
                changed = True
        return changed

    def reference(
        self,
        where: str,
        model: type[models.Model],
        lookup: dict[str, Any],
        values: dict[str, Any],
        columns: dict[str, str],
        create: dict[str, Any] | None = None,
    ) -> models.Model | None:
        """Like upsert, for rows many rows point at: written once; later rows must agree."""
        key = (model, *sorted((k, getattr(v, "pk", v)) for k, v in lookup.items()))
        if key in self.refs:
            return self.agreed(key, where, values, columns)
        obj = self.upsert(where, model, lookup, values, columns, create)
        self.refs[key] = (obj, values, where)
        return obj

    def agreed(
        self, key: tuple, where: str, values: dict[str, Any], columns: dict[str, str]
    ) -> models.Model | None:
        """The object loaded for `key`, after checking this row gives it the same values."""
        obj, first, first_where = self.refs[key]
        for name, value in values.items():
            if value != first[name]:
                self.problem(
                    where,
                    columns.get(name, name),
                    f"“{value}” differs from “{first[name]}” at {first_where}",
                )
        return obj

    def unique(self, where: str, key: tuple, description: str) -> bool:
        if key in self.seen:
            self.problem(where, "row", f"{description} is also at {self.seen[key]}")
            return False
        self.seen[key] = where
        return True

    # Lookups of rows other rows point at.

    def inspection(self, where: str, slug: str, column: str = "inspection") -> Inspection | None:
        if slug not in self.inspections:
            found = Inspection.objects.select_related("inspectorate", "programme")
            self.inspections[slug] = found.filter(slug=slug).first()
            if self.inspections[slug] is None:
                self.problem(
                    where,
                    column,
                    f"no inspection “{slug}” in the database or in an inspections file",
                )
        return self.inspections[slug]

    def organisation(
        self, where: str, slug: str, column: str = "organisation"
    ) -> Organisation | None:
        if slug not in self.organisations:
            self.organisations[slug] = Organisation.objects.filter(slug=slug).first()
            if self.organisations[slug] is None:
                self.problem(
                    where,
                    column,
                    f"no organisation “{slug}” in the database or in an organisations file",
                )
        return self.organisations[slug]

    def level(self, row: Row, inspection: Inspection) -> RatingLevel | None:
        values = row.values
        if not values["rating"]:
            return None
        scale = self.reference(
            row.where,
            RatingScale,
            {"slug": values["rating_scale"]},
            {},
            {"slug": "rating_scale"},
            create={"name": values["rating_scale"], "inspectorate": inspection.inspectorate},
        )
        if scale is None:
            return None
        return self.reference(
            row.where,
            RatingLevel,
            {"scale": scale, "rank": values["rating_rank"]},
            {"label": values["rating"]},
            {"label": "rating", "rank": "rating_rank", "slug": "rating"},
            create={"slug": slugify(values["rating"])[:100]},
        )

    def theme(self, row: Row, inspection: Inspection) -> Theme | None:
        """The code's theme of the inspection's programme, else the shared one, else a new one."""
        code, name = row.values["theme"], row.values["theme_name"]
        programme = inspection.programme
        key = (Theme, programme.pk if programme else None, code)
        if key in self.refs:
            return self.agreed(key, row.where, {"name": name}, {"name": "theme_name"})
        themes = Theme.objects.filter(code=code)
        theme = themes.filter(programme=programme).first() if programme else None
        theme = theme or themes.filter(programme=None).first()
        lookup = {"pk": theme.pk} if theme else {"programme": programme, "code": code}
        obj = self.upsert(
            row.where,
            Theme,
            lookup,
            {"name": name},
            {"name": "theme_name", "code": "theme"},
            create={"order": standard_order(code)},
        )
        self.refs[key] = (obj, {"name": name}, row.where)
        return obj

    # One method per dataset.

    def load_organisations(self, row: Row) -> None:
        values = row.values
        if not self.unique(row.where, ("organisation", values["slug"]), "this organisation"):
            return
        operator = None
        if values["operator"]:
            operator = self.reference(
                row.where,
                Operator,
                {"slug": values["operator"]},
                {"name": values["operator_name"]},
                {"slug": "operator", "name": "operator_name"},
            )
            if operator is None:
                self.organisations[values["slug"]] = None
                return
        fields = ("name", "short_name", "kind", "area", "active_from", "active_to")
        self.organisations[values["slug"]] = self.upsert(
            row.where,
            Organisation,
            {"slug": values["slug"]},
            {**{name: values[name] for name in fields}, "operator": operator},
            {},
        )

    def load_inspections(self, row: Row) -> None:
        values = row.values
        slug = values["slug"]
        if not self.unique(row.where, ("inspection", slug), "this inspection"):
            return
        self.inspections[slug] = None  # until it loads, rows pointing at it are skipped
        inspectorate = self.reference(
            row.where,
            Inspectorate,
            {"slug": values["inspectorate"]},
            {"name": values["inspectorate_name"]},
            {"slug": "inspectorate", "name": "inspectorate_name"},
        )
        if inspectorate is None:
            return
        programme = None
        if values["programme"]:
            programme = self.reference(
                row.where,
                Programme,
                {"slug": values["programme"]},
                {"name": values["programme_name"]},
                {"slug": "programme", "name": "programme_name"},
                create={"inspectorate": inspectorate},
            )
            if programme is None:
                return
        inspection = self.upsert(
            row.where,
            Inspection,
            {"slug": slug},
            {
                **{name: values[name] for name in INSPECTION_FIELDS},
                "inspectorate": inspectorate,
                "programme": programme,
            },
            {},
            create=self.new_inspection,
            tags=values["tags"],
        )
        self.inspections[slug] = inspection
        if inspection is not None:
            self.follows.append((row, inspection))

    def link_follow_ups(self) -> None:
        for row, inspection in self.follows:
            slug = row.values["follows"]
            earlier = self.inspection(row.where, slug, "follows") if slug else None
            if slug and earlier is None:
                continue
            if inspection.follows_id != (earlier.pk if earlier else None):
                inspection.follows = earlier
                inspection.save(update_fields=["follows"])

    def load_ratings(self, row: Row) -> None:
        values = row.values
        key = ("rating", values["inspection"], values["organisation"])
        if not self.unique(row.where, key, "this inspection and organisation"):
            return
        inspection = self.inspection(row.where, values["inspection"])
        organisation = self.organisation(row.where, values["organisation"])
        if inspection is None or organisation is None:
            return
        level = self.level(row, inspection)
        if values["rating"] and level is None:
            return
        self.upsert(
            row.where,
            InspectedOrganisation,
            {"inspection": inspection, "organisation": organisation},
            {
                "role": values["role"],
                "order": values["order"],
                "overall_rating": level,
                "caseload": values["caseload"],
                "caseload_note": values["caseload_note"],
            },
            {"overall_rating": "rating"},
        )

    def load_findings(self, row: Row) -> None:
        values = row.values
        key = ("finding", values["inspection"], values["order"])
        if not self.unique(row.where, key, "a finding with this inspection and order"):
            return
        inspection = self.inspection(row.where, values["inspection"])
        if inspection is None:
            return
        organisation = None
        if values["organisation"]:
            organisation = self.organisation(row.where, values["organisation"])
            if organisation is None:
                return
        theme = self.theme(row, inspection) if values["theme"] else None
        if values["theme"] and theme is None:
            return
        self.upsert(
            row.where,
            Finding,
            {"inspection": inspection, "order": values["order"]},
            {
                "organisation": organisation,
                "theme": theme,
                "polarity": values["polarity"],
                "text": values["text"],
            },
            {},
            tags=values["tags"],
        )

    def load_scores(self, row: Row) -> None:
        values = row.values
        key = ("score", values["inspection"], values["organisation"], values["measure"])
        if not self.unique(row.where, key, "this inspection, organisation and measure"):
            return
        inspection = self.inspection(row.where, values["inspection"])
        organisation = self.organisation(row.where, values["organisation"])
        if inspection is None or organisation is None:
            return
        measure = self.reference(
            row.where,
            Measure,
            {"slug": values["measure"]},
            {
                "code": values["measure_code"],
                "name": values["measure_name"],
                "order": values["measure_order"],
            },
            {"slug": "measure", "code": "measure_code", "name": "measure_name"},
            create={"programme": inspection.programme},
        )
        level = self.level(row, inspection)
        if measure is None or (values["rating"] and level is None):
            return
        self.upsert(
            row.where,
            Score,
            {"inspection": inspection, "organisation": organisation, "measure": measure},
            {
                "percentage": values["percentage"],
                "count": values["count"],
                "rating": level,
                "approximate": values["approximate"],
                "note": values["note"],
            },
            {},
        )

    def load_recommendations(self, row: Row) -> None:
        values = row.values
        key = ("recommendation", values["inspection"], values["order"])
        if not self.unique(row.where, key, "a recommendation with this inspection and order"):
            return
        inspection = self.inspection(row.where, values["inspection"])
        addressed_to = [
            self.organisation(row.where, slug, "addressed_to") for slug in values["addressed_to"]
        ]
        if inspection is None or any(organisation is None for organisation in addressed_to):
            return
        self.upsert(
            row.where,
            Recommendation,
            {"inspection": inspection, "order": values["order"]},
            {
                "text": values["text"],
                "addressed_to_other": values["addressed_to_other"],
                "note": values["note"],
            },
            {},
            members={"addressed_to": addressed_to},
        )


def inspections_import(
    *,
    paths: Sequence[Path],
    dry_run: bool = False,
    publish: bool = True,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportReport:
    """Load open-data files (any datasets, CSV or JSON, any order) in one transaction.

    Every row is created or updated by its natural key. All or nothing: any problem raises
    ImportFailed listing them as file:line: column: problem, and nothing is written. New
    inspections go live at once with `publish`, else they are drafts; existing ones keep
    their status. `progress(dataset, done, total)` is called after each row.
    """
    rows, counts = read_files(paths)
    report = ImportReport(dry_run=dry_run, rows=counts)
    loader = _Loader(report, publish=publish)
    with transaction.atomic():
        for name in IMPORT_ORDER:
            load = getattr(loader, f"load_{name}")
            for done, row in enumerate(rows[name], 1):
                load(row)
                if progress:
                    progress(name, done, len(rows[name]))
            if name == "inspections":
                loader.link_follow_ups()
        if loader.problems:
            raise ImportFailed(loader.problems)  # leaving the block rolls everything back
        if dry_run:
            transaction.set_rollback(True)
    return report


# The editorial workflow: draft → in review → published (or scheduled by a future live_at).


@transaction.atomic
def inspections_publish(
    *, inspections: Iterable[Inspection], when: datetime.datetime | None = None
) -> int:
    """Publish `inspections`: live at `when`, else at the time they carry, else now.

    Saved one by one so that the save signals (page cache, search index) run.
    """
    now = timezone.now()
    count = 0
    for inspection in inspections:
        inspection.status = Inspection.Status.PUBLISHED
        inspection.live_at = when or inspection.live_at or now
        inspection.save(update_fields=["status", "live_at", "updated_at"])
        count += 1
    return count


@transaction.atomic
def inspections_unpublish(*, inspections: Iterable[Inspection]) -> int:
    """Take `inspections` off the site (back to draft), keeping their go-live time."""
    count = 0
    for inspection in inspections:
        if inspection.status != Inspection.Status.DRAFT:
            inspection.status = Inspection.Status.DRAFT
            inspection.save(update_fields=["status", "updated_at"])
            count += 1
    return count


@transaction.atomic
def inspections_submit(*, inspections: Iterable[Inspection]) -> int:
    """Send draft `inspections` to an editor for review."""
    count = 0
    for inspection in inspections:
        if inspection.status == Inspection.Status.DRAFT:
            inspection.status = Inspection.Status.REVIEW
            inspection.save(update_fields=["status", "updated_at"])
            count += 1
    return count
