"""The demo's inspection records, loaded the way any site loads them: as open-data files.

demo/inspections-demo.json holds the facts. The open-data files name inspectorates,
programmes, rating scales and operators only by slug and name; what else a site knows about
them (short names, websites, programme dates, a scale's levels with their points and badge
tones, the order of a programme's themes) an editor sets up in the admin, and
`reference_rows_create()` does that here. Everything else — organisations, inspections,
ratings, findings, scores and recommendations — is written as the CSV files that
/inspections/data/ offers and loaded by `inspections.services.inspections_import()`.
"""

import datetime
import json
import tempfile
from collections.abc import Collection, Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils.text import slugify

from core.site import absolute_url
from inspections.exports import DATASETS
from inspections.exports.writers import csv_chunks
from inspections.models import (
    DatePrecision,
    Inspection,
    Inspectorate,
    Operator,
    Organisation,
    Programme,
    RatingLevel,
    RatingScale,
    Theme,
)
from inspections.services import ImportReport, inspections_import, standard_order

FACTS_FILE = Path(__file__).resolve().parent / "inspections-demo.json"

# Our own one-sentence summaries, written from the facts in the file (not from any report).
SUMMARIES = {
    "durham-quality-impact-2016": (
        "The first Quality & Impact inspection found the NPS in Durham doing good work apart "
        "from its on-the-day court reports, while Durham Tees Valley CRC had rebuilt its "
        "management but let basic supervision slip."
    ),
    "derbyshire-quality-impact-2016": (
        "In Derbyshire the NPS kept a firm grip on risk, but the DLNR CRC's work ranged from "
        "adequate to poor, with very large caseloads and public protection not given priority."
    ),
    "kent-quality-impact-2016": (
        "Kent reversed the pattern of the first inspections: the KSS CRC's simple model was "
        "working and morale was high, while the NPS was short of experienced officers and "
        "fell short on protecting the public."
    ),
    "north-of-london-quality-impact-2016": (
        "London CRC's work in the north of London was far below the expected standard, with "
        "people unseen for weeks and risks missed; the NPS did better, though unevenly."
    ),
    "cumbria-quality-impact-2017": (
        "Inspectors called the CRC's work in Cumbria the strongest they had seen from any CRC "
        "since 2014, and found NPS staff focused on public protection in complex cases."
    ),
    "london-nps-quality-impact-2018": (
        "The NPS in London had improved noticeably and protected the public well, but its "
        "rehabilitative work and reviews of cases were inconsistent."
    ),
    "london-crc-quality-impact-2018": (
        "Back in London, inspectors found the CRC had moved to local teams and come a long "
        "way since 2016, yet public protection and rehabilitation were still not good enough."
    ),
    "merseyside-crc-2018": (
        "The first inspection under the 2018 standards rated Merseyside CRC as requiring "
        "improvement: committed staff and praised services for women, but weak risk "
        "management in domestic abuse and safeguarding cases."
    ),
    "nps-north-west-2019": (
        "The NPS North West division was rated good, with outstanding work with victims, "
        "although about a fifth of probation officer posts were empty."
    ),
    "durham-tees-valley-crc-2019": (
        "Durham Tees Valley CRC was well led, with staff proud to work there, but risk and "
        "safeguarding were under-examined and quality management was still weak."
    ),
    "cumbria-and-lancashire-crc-2019": (
        "Cumbria and Lancashire CRC had good leadership and programmes, but four of its ten "
        "standards were judged inadequate, with weak assessments and too few home visits."
    ),
    "london-crc-2019": (
        "London CRC was judged good on five standards and requiring improvement on five: "
        "strong leadership and better resettlement work, but risks to victims poorly "
        "assessed in nearly half the cases inspected."
    ),
}

# What each short quote was said about, phrased for the page.
QUOTE_CONTEXTS = {
    "kent-quality-impact-2016": "On low staffing and agency staff in the Kent NPS",
    "north-of-london-quality-impact-2016": "On people supervised by the CRC",
    "merseyside-crc-2018": "On the CRC's services for women",
}

# The file's notes on what its sources did not give, shown to readers as caveats.
RECORD_NOTES = ["measures_note", "standard_ratings_note", "recommendations_note"]

# Human names for the file's free theme codes (programme themes carry their own names).
THEME_NAMES = {
    "overall": "Overall judgement",
    "caseloads": "Caseloads",
    "staffing": "Staffing",
    "court_work": "Court work",
    "reviewing": "Reviewing",
    "context": "Context",
    "leadership_and_operations": "Leadership, workloads and operating model",
}
THEME_ORDER = {"overall": 0, "context": 900}
UNDECLARED_THEME_ORDER = 500

KINDS = {
    "CRC": Organisation.Kind.CRC,
    "NPS_DIVISION": Organisation.Kind.NPS_DIVISION,
    "PROBATION_REGION": Organisation.Kind.PROBATION_REGION,
    "PDU": Organisation.Kind.PDU,
    "PRISON": Organisation.Kind.PRISON,
    "YOT": Organisation.Kind.YOT,
}

TAGS_BY_KIND = {
    Organisation.Kind.CRC: ["CRC", "Transforming Rehabilitation"],
    Organisation.Kind.NPS_DIVISION: ["NPS", "Transforming Rehabilitation"],
}


@cache
def facts() -> dict[str, Any]:
    """The facts file, read once per process."""
    return json.loads(FACTS_FILE.read_text(encoding="utf-8"))


def records_load() -> int:
    """Set up the reference rows, then import every demo inspection not yet in the database.

    Returns how many rows were created. An inspection already there is left alone with its
    ratings, findings, scores and recommendations, so editors' changes survive a second run.
    """
    created = reference_rows_create()
    files = open_data_files(
        existing_inspections=set(Inspection.objects.values_list("slug", flat=True)),
        existing_organisations=set(Organisation.objects.values_list("slug", flat=True)),
    )
    if files:
        report = open_data_import(files)
        created += sum(outcomes["created"] for outcomes in report.changes.values())
    return created


def open_data_import(files: dict[str, bytes]) -> ImportReport:
    """Write `files` (dataset name -> CSV) to a scratch directory and import them."""
    with tempfile.TemporaryDirectory(prefix="oversight-demo-") as directory:
        paths = []
        for name, content in files.items():
            path = Path(directory) / f"{name}.csv"
            path.write_bytes(content)
            paths.append(path)
        return inspections_import(paths=paths)


# Reference rows: what an editor sets up in the admin before importing records.


def reference_rows_create() -> int:
    """Create the inspectorates, scales, programmes, themes and operators that are missing."""
    data = facts()
    created = 0

    def get_or_create(model, defaults=None, **lookup):
        nonlocal created
        obj, new = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        created += new
        return obj

    inspectorates = {
        item["id"]: get_or_create(
            Inspectorate,
            slug=item["id"],
            defaults={
                "name": item["name"],
                "short_name": item.get("short_name", ""),
                "website": item.get("website") or "",
            },
        )
        for item in data["inspectorates"]
    }
    scales = {}
    for item in data["rating_scales"]:
        scale = get_or_create(
            RatingScale,
            slug=item["id"],
            defaults={"inspectorate": inspectorates[item["inspectorate"]], "name": item["name"]},
        )
        scales[item["id"]] = scale
        levels = sorted(item["levels"], key=lambda level: level["rank"])
        for position, level in enumerate(levels):
            get_or_create(
                RatingLevel,
                scale=scale,
                rank=level["rank"],
                defaults={
                    "label": level["label"],
                    "slug": slugify(level["label"]),
                    "points": level.get("points"),
                    "tone": tone_for(position, len(levels)),
                },
            )
    for item in data["programmes"]:
        unit = item.get("unit_of_inspection", "")
        programme = get_or_create(
            Programme,
            slug=item["id"],
            defaults={
                "inspectorate": inspectorates[item["inspectorate"]],
                "name": item["name"],
                "start": parse_date(item.get("start"))[0],
                "end": parse_date(item.get("end"))[0],
                "rating_scale": scales.get(item.get("rating_scale")),
                "description": f"Unit of inspection: {unit}." if unit else "",
            },
        )
        for code, (name, order) in programme_themes(item["id"]).items():
            get_or_create(
                Theme, programme=programme, code=code, defaults={"name": name, "order": order}
            )
    for item in data["operators"]:
        get_or_create(
            Operator,
            slug=item["id"],
            defaults={"name": item["name"], "description": item.get("note", "")},
        )
    return created


def programme_themes(programme_id: str) -> dict[str, tuple[str, int]]:
    """Code -> (name, order) of a programme's themes: those it declares, in its own order,
    then the other codes its inspections' findings use."""
    data = facts()
    programme = next(item for item in data["programmes"] if item["id"] == programme_id)
    declared = [
        (theme["code"], THEME_NAMES.get(theme["code"], theme["name"]))
        for theme in programme.get("themes", [])
    ]
    for domain in programme.get("domains", []):
        standards = domain.get("standards") or [domain]
        declared += [(standard["code"], standard["name"]) for standard in standards]
    themes = {}
    for position, (code, name) in enumerate(declared, start=1):
        themes.setdefault(code, (name, THEME_ORDER.get(code, position * 10)))
    for inspection in data["inspections"]:
        if inspection.get("programme") != programme_id:
            continue
        for finding in inspection.get("findings", []):
            code = finding.get("theme")
            if code and code not in themes:
                themes[code] = (theme_name(code), THEME_ORDER.get(code, UNDECLARED_THEME_ORDER))
    return themes


def theme_name(code: str) -> str:
    """A readable name for one of the file's free theme codes (“court_work” → “Court work”)."""
    return THEME_NAMES.get(code) or code.replace("_", " ").capitalize()


# The records, as rows of the open datasets (tuples in column order, derived columns too).


def open_data_files(
    *,
    existing_inspections: Collection[str] = (),
    existing_organisations: Collection[str] = (),
) -> dict[str, bytes]:
    """Dataset name -> CSV of the demo records, leaving out the inspections and
    organisations already loaded (and an inspection's rows with it); empty datasets are left
    out too."""
    rows = open_data_rows()
    keep = {
        "organisations": lambda row: row[0] not in existing_organisations,
        "inspections": lambda row: row[0] not in existing_inspections,
    }
    files = {}
    for name, dataset in DATASETS.items():
        kept = [row for row in rows[name] if keep.get(name, keep["inspections"])(row)]
        if kept:
            files[name] = b"".join(csv_chunks(dataset.columns, kept))
    return files


def open_data_rows() -> dict[str, list[tuple]]:
    """Every demo record as rows of the open datasets, by dataset name.

    Rows of ratings, findings, scores and recommendations start with their inspection's slug.
    """
    data = facts()
    rows: dict[str, list[tuple]] = {name: [] for name in DATASETS}
    operators = {item["id"]: item["name"] for item in data["operators"]}
    for item in data["organisations"]:
        slug, active = item["id"], item.get("active") or {}
        operator = item.get("operator") or ""
        rows["organisations"].append(
            (
                slug,
                item["name"],
                item.get("short_name", ""),
                KINDS.get(item.get("kind"), Organisation.Kind.OTHER).value,
                operator,
                operators[operator] if operator else "",
                item.get("area", ""),
                parse_date(active.get("from"))[0],
                parse_date(active.get("to"))[0],
                _url("inspections:organisation-detail", slug),
            )
        )
    for item in data["inspections"]:
        rows["inspections"].append(_inspection_row(item))
        rows["ratings"] += _rating_rows(item)
        rows["findings"] += _finding_rows(item)
        rows["scores"] += _score_rows(item)
        rows["recommendations"] += _recommendation_rows(item)
    return rows


def _url(route: str, slug: str) -> str:
    return absolute_url(reverse(route, kwargs={"slug": slug}))


def _names() -> dict[str, dict[str, str]]:
    data = facts()
    return {
        key: {item["id"]: item["name"] for item in data[key]}
        for key in ("inspectorates", "programmes")
    }


def _organisation_kinds() -> dict[str, str]:
    return {
        item["id"]: KINDS.get(item.get("kind"), Organisation.Kind.OTHER)
        for item in facts()["organisations"]
    }


def _inspection_row(item: dict[str, Any]) -> tuple:
    names = _names()
    slugs = {other["id"]: other["slug"] for other in facts()["inspections"]}
    published_on, precision = parse_date(item["published_on"])
    fieldwork = item.get("fieldwork") or {}
    fieldwork_start, fieldwork_precision = parse_date(
        fieldwork.get("start") or fieldwork.get("month")
    )
    quote = (item.get("quotes") or [{}])[0]
    programme = item.get("programme") or ""
    return (
        item["slug"],
        item["title"],
        item["inspectorate"],
        names["inspectorates"][item["inspectorate"]],
        programme,
        names["programmes"][programme] if programme else "",
        item.get("area", ""),
        published_on,
        item.get("date_precision") or precision,
        fieldwork_start,
        parse_date(fieldwork.get("end"))[0],
        fieldwork_precision or DatePrecision.DAY,
        fieldwork.get("note", ""),
        item.get("report_url") or "",
        item.get("press_release_url") or "",
        SUMMARIES.get(item["slug"], ""),
        quote.get("text", ""),
        quote.get("speaker", ""),
        QUOTE_CONTEXTS.get(item["slug"], quote.get("context", "")),
        " ".join(item[key] for key in RECORD_NOTES if item.get(key)),
        slugs.get(item.get("follow_up_of"), ""),
        sorted(_inspection_tags(item)),
        _url("inspections:inspection-detail", item["slug"]),
    )


def _inspection_tags(item: dict[str, Any]) -> list[str]:
    kinds = _organisation_kinds()
    tags = ["probation"] if item["inspectorate"] == "hmi-probation" else []
    for kind in sorted({kinds[row["organisation"]] for row in item.get("organisations", [])}):
        tags += [tag for tag in TAGS_BY_KIND.get(kind, []) if tag not in tags]
    return tags


def _scale(item: dict[str, Any]) -> tuple[str, dict[str, int]]:
    """The slug of the inspection's rating scale, and its ranks by label."""
    programme = next((p for p in facts()["programmes"] if p["id"] == item.get("programme")), {})
    slug = programme.get("rating_scale") or ""
    scale = next((s for s in facts()["rating_scales"] if s["id"] == slug), {"levels": []})
    return slug, {level["label"]: level["rank"] for level in scale["levels"]}


def _rating_rows(item: dict[str, Any]) -> Iterable[tuple]:
    scale, ranks = _scale(item)
    for order, row in enumerate(item.get("organisations", [])):
        rating = row.get("overall_rating") or ""
        yield (
            item["slug"],
            row["organisation"],
            row.get("role") or "subject",
            order,
            rating,
            ranks[rating] if rating else None,
            scale if rating else "",
            row.get("caseload_at_inspection"),
            caseload_note(row),
        )


def _finding_rows(item: dict[str, Any]) -> Iterable[tuple]:
    themes = programme_themes(item["programme"]) if item.get("programme") else {}
    for order, finding in enumerate(item.get("findings", [])):
        code = finding.get("theme") or ""
        yield (
            item["slug"],
            order,
            finding.get("organisation") or "",
            code,
            themes[code][0] if code in themes else theme_name(code),
            finding["polarity"],
            finding["text"],
            [],
        )


def _score_rows(item: dict[str, Any]) -> Iterable[tuple]:
    scale, ranks = _scale(item)
    programme = item.get("programme") or ""
    standards = _standard_names(programme)
    for row in item.get("organisations", []):
        for measure in row.get("measures", []):
            value = Decimal(str(measure["value"]))
            is_percent = measure.get("unit") == "percent"
            yield (
                item["slug"],
                row["organisation"],
                slugify(measure["measure"])[:120],
                "",
                measure["measure"],
                standard_order(""),
                value if is_percent else None,
                None if is_percent else int(value),
                "",
                None,
                "",
                bool(measure.get("approximate")),
                measure.get("note", ""),
            )
        for standard in row.get("standard_ratings", []):
            code = standard["standard"]
            yield (
                item["slug"],
                row["organisation"],
                slugify(f"{programme}-{code}")[:120],
                code,
                standards.get(code, code),
                standard_order(code),
                None,
                None,
                standard["rating"],
                ranks[standard["rating"]],
                scale,
                False,
                standard.get("note", ""),
            )


def _standard_names(programme_id: str) -> dict[str, str]:
    programme = next((p for p in facts()["programmes"] if p["id"] == programme_id), {})
    return {
        standard["code"]: standard["name"]
        for domain in programme.get("domains", [])
        for standard in domain.get("standards") or []
    }


def _recommendation_rows(item: dict[str, Any]) -> Iterable[tuple]:
    for order, recommendation in enumerate(item.get("recommendations", [])):
        yield (
            item["slug"],
            order,
            recommendation["text"],
            sorted(recommendation.get("addressed_to", [])),
            recommendation.get("addressed_to_text", ""),
            recommendation.get("note", ""),
        )


def parse_date(value: str | None) -> tuple[datetime.date | None, str]:
    """“2016-08” → (1 August 2016, month); “2016-10-06” → (6 October 2016, day)."""
    if not value:
        return None, ""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 2:
        return datetime.date(parts[0], parts[1], 1), DatePrecision.MONTH
    return datetime.date(*parts), DatePrecision.DAY


def caseload_note(row: dict[str, Any]) -> str:
    """The file's caseload note, led by the figure when the note does not give it."""
    note, caseload = row.get("caseload_note", ""), row.get("caseload_at_inspection")
    if not caseload or f"{caseload:,}" in note:
        return note
    return f"{caseload:,}: {note[:1].lower()}{note[1:]}" if note else f"{caseload:,}"


def tone_for(position: int, count: int) -> str:
    """Badge tone from a level's place on its scale (0 = lowest): lowest is negative,
    the upper half positive, anything between middling."""
    if position == 0:
        return RatingLevel.Tone.NEGATIVE
    if position >= count // 2:
        return RatingLevel.Tone.POSITIVE
    return RatingLevel.Tone.MIDDLING
