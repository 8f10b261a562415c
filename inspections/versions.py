"""What a version of an inspection records, how two read side by side, and restoring one.

A snapshot keeps the inspection's own fields and its rows (organisations and ratings,
findings, scores, recommendations) with both keys, to restore them, and names, so a version
reads without asking the database.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.diff import Change, changes
from inspections.models import (
    Finding,
    InspectedOrganisation,
    Inspection,
    InspectionVersion,
    Measure,
    Organisation,
    RatingLevel,
    Recommendation,
    Score,
    Theme,
)

FIELDS = {
    "title": gettext_lazy("Title"),
    "slug": gettext_lazy("Slug"),
    "inspectorate": gettext_lazy("Inspectorate"),
    "programme": gettext_lazy("Programme"),
    "area": gettext_lazy("Area"),
    "summary": gettext_lazy("Summary"),
    "published_on": gettext_lazy("Published on"),
    "date_precision": gettext_lazy("Date precision"),
    "fieldwork_start": gettext_lazy("Fieldwork start"),
    "fieldwork_end": gettext_lazy("Fieldwork end"),
    "fieldwork_precision": gettext_lazy("Fieldwork date precision"),
    "fieldwork_note": gettext_lazy("Fieldwork note"),
    "report_url": gettext_lazy("Report URL"),
    "press_release_url": gettext_lazy("Press release URL"),
    "follows": gettext_lazy("Follows up"),
    "quote": gettext_lazy("Chief inspector's quote"),
    "quote_attribution": gettext_lazy("Quote attribution"),
    "quote_context": gettext_lazy("Quote context"),
    "record_note": gettext_lazy("Note on this record"),
    "tags": gettext_lazy("Tags"),
    "comments_open": gettext_lazy("Comments open"),
    "language": gettext_lazy("Language"),
    "status": gettext_lazy("Status"),
    "live_at": gettext_lazy("Goes live at"),
}
ROWS = {
    "inspected": gettext_lazy("Organisations and ratings"),
    "findings": gettext_lazy("Findings"),
    "scores": gettext_lazy("Scores"),
    "recommendations": gettext_lazy("Recommendations"),
}
RELATED = ("inspectorate", "programme", "follows")
DATES = ("published_on", "fieldwork_start", "fieldwork_end")
PLAIN = [name for name in FIELDS if name not in {*RELATED, "tags", "live_at"}]


def _ref(obj) -> list | None:
    return [obj.pk, str(obj)] if obj is not None else None


def _date(value) -> str | None:
    return value.isoformat() if value else None


def inspection_snapshot(inspection: Inspection) -> dict[str, Any]:
    """Everything an editor changes on the inspection's page, JSON-able (five queries)."""
    data: dict[str, Any] = {}
    for name in PLAIN:
        value = getattr(inspection, name)
        data[name] = _date(value) if name in DATES else value
    for name in RELATED:
        data[name] = _ref(getattr(inspection, name))
    data["live_at"] = _date(inspection.live_at)
    data["tags"] = sorted((tag.name for tag in inspection.tags.all()), key=str.lower)
    data["inspected"] = [
        {
            "organisation": _ref(row.organisation),
            "role": row.role,
            "overall_rating": _ref(row.overall_rating),
            "caseload": row.caseload,
            "caseload_note": row.caseload_note,
            "order": row.order,
        }
        for row in inspection.inspected.select_related("organisation", "overall_rating__scale")
    ]
    data["findings"] = [
        {
            "organisation": _ref(row.organisation),
            "theme": _ref(row.theme),
            "polarity": row.polarity,
            "text": row.text,
            "order": row.order,
        }
        for row in inspection.findings.select_related("organisation", "theme")
    ]
    data["scores"] = [
        {
            "organisation": _ref(row.organisation),
            "measure": _ref(row.measure),
            "percentage": str(row.percentage) if row.percentage is not None else None,
            "rating": _ref(row.rating),
            "count": row.count,
            "approximate": row.approximate,
            "note": row.note,
        }
        for row in inspection.scores.select_related("organisation", "measure", "rating__scale")
    ]
    data["recommendations"] = [
        {
            "addressed_to": [_ref(org) for org in row.addressed_to.all()],
            "addressed_to_other": row.addressed_to_other,
            "text": row.text,
            "note": row.note,
            "order": row.order,
        }
        for row in inspection.recommendations.prefetch_related("addressed_to")
    ]
    return data


def _name(ref) -> str:
    return str(ref[1]) if ref else ""


def readable(name: str, value) -> str:
    """One snapshot value as an editor reads it."""
    if value in (None, "", []):
        return ""
    if name in RELATED:
        return _name(value)
    if name == "tags":
        return ", ".join(value)
    if name == "status":
        return str(dict(Inspection.Status.choices).get(value, value))
    if name == "live_at":
        when = parse_datetime(value)
        return date_format(timezone.localtime(when), "DATETIME_FORMAT") if when else value
    if name == "comments_open":
        return _("Yes") if value else _("No")
    if name == "inspected":
        return "\n".join(
            " · ".join(filter(None, [_name(r["organisation"]), _name(r["overall_rating"])]))
            for r in value
        )
    if name == "findings":
        return "\n".join(
            " · ".join(filter(None, [_name(r["organisation"]), _name(r["theme"]), r["polarity"]]))
            + f": {r['text']}"
            for r in value
        )
    if name == "scores":
        return "\n".join(_score_text(r) for r in value)
    if name == "recommendations":
        return "\n".join(r["text"] for r in value)
    return str(value)


def _score_text(row: dict) -> str:
    value = " ".join(
        filter(
            None,
            [
                f"{row['percentage']}%" if row["percentage"] else "",
                _name(row["rating"]),
                str(row["count"]) if row["count"] is not None else "",
            ],
        )
    )
    return f"{_name(row['organisation'])} · {_name(row['measure'])}: {value}"


def labels() -> dict[str, str]:
    return {name: str(label) for name, label in {**FIELDS, **ROWS}.items()}


def version_changes(old: dict, new: dict) -> list[Change]:
    """The fields and rows that differ between two snapshots, each as a word-level diff."""
    names = labels()
    return changes(
        {name: readable(name, old.get(name)) for name in names},
        {name: readable(name, new.get(name)) for name in names},
        names,
    )


def inspection_version_record(
    *, inspection: Inspection, user: AbstractBaseUser | None, note: str = ""
) -> InspectionVersion | None:
    """Keep the inspection as it now is; None when nothing changed since the last version."""
    data = inspection_snapshot(inspection)
    last = inspection.versions.only("data").first()
    if last is not None and last.data == data and not note:
        return None
    return InspectionVersion.objects.create(
        inspection=inspection,
        title=inspection.title,
        data=data,
        created_by=user if user is not None and user.pk else None,
        note=note,
    )


def _pk(ref) -> int | None:
    return ref[0] if ref else None


@transaction.atomic
def inspection_version_restore(
    *, version: InspectionVersion, user: AbstractBaseUser | None
) -> InspectionVersion:
    """Put a version back: fields, tags and rows. The restore is itself a new version.

    Rows that point at something deleted since (an organisation, a theme) are left out.
    The status is not restored: what is public changes only through publishing.
    """
    inspection = Inspection.objects.select_for_update().get(pk=version.inspection_id)
    data = version.data
    for name in PLAIN:
        if name in data and name != "status":
            setattr(inspection, name, data[name])
    for name in RELATED:
        if name in data:
            setattr(inspection, f"{name}_id", _pk(data[name]))
    inspection.full_clean()  # a slug taken since, for one, is refused as a ValidationError
    inspection.save()
    inspection.tags.set(data.get("tags", []))

    organisations = set(Organisation.objects.values_list("pk", flat=True))
    levels = set(RatingLevel.objects.values_list("pk", flat=True))

    def known(ref, among) -> bool:
        return ref is None or ref[0] in among

    inspection.inspected.all().delete()
    InspectedOrganisation.objects.bulk_create(
        InspectedOrganisation(
            inspection=inspection,
            organisation_id=_pk(r["organisation"]),
            role=r["role"],
            overall_rating_id=_pk(r["overall_rating"])
            if known(r["overall_rating"], levels)
            else None,
            caseload=r["caseload"],
            caseload_note=r["caseload_note"],
            order=r["order"],
        )
        for r in data.get("inspected", [])
        if known(r["organisation"], organisations)
    )
    themes = set(Theme.objects.values_list("pk", flat=True))
    measures = set(Measure.objects.values_list("pk", flat=True))
    inspection.findings.all().delete()
    Finding.objects.bulk_create(
        Finding(
            inspection=inspection,
            organisation_id=_pk(r["organisation"]),
            theme_id=_pk(r["theme"]),
            polarity=r["polarity"],
            text=r["text"],
            order=r["order"],
        )
        for r in data.get("findings", [])
        if known(r["organisation"], organisations) and known(r["theme"], themes)
    )
    inspection.scores.all().delete()
    Score.objects.bulk_create(
        Score(
            inspection=inspection,
            organisation_id=_pk(r["organisation"]),
            measure_id=_pk(r["measure"]),
            percentage=r["percentage"],
            rating_id=_pk(r["rating"]) if known(r["rating"], levels) else None,
            count=r["count"],
            approximate=r["approximate"],
            note=r["note"],
        )
        for r in data.get("scores", [])
        if known(r["organisation"], organisations) and known(r["measure"], measures)
    )
    inspection.recommendations.all().delete()
    for r in data.get("recommendations", []):
        recommendation = Recommendation.objects.create(
            inspection=inspection,
            addressed_to_other=r["addressed_to_other"],
            text=r["text"],
            note=r["note"],
            order=r["order"],
        )
        recommendation.addressed_to.set(
            [_pk(ref) for ref in r["addressed_to"] if known(ref, organisations)]
        )
    when = date_format(timezone.localtime(version.created_at), "DATETIME_FORMAT")
    note = _("Restored the version of %(when)s") % {"when": when}
    return inspection_version_record(inspection=inspection, user=user, note=note)
