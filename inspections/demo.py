"""Demo inspections, loaded from the facts in inspections/demo/inspections-demo.json.

`inspections_demo_load()` is idempotent: every row is matched on its natural key (a slug,
or its parent and position) with get_or_create, so a second run creates nothing and never
overwrites what editors have changed since.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from inspections.models import (
    DatePrecision,
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

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "inspections-demo.json"

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


class _Loader:
    def __init__(self, data: dict[str, Any]):
        self.data = data
        self.created = 0
        self.inspectorates: dict[str, Inspectorate] = {}
        self.scales: dict[str, RatingScale] = {}
        self.levels: dict[tuple[str, str], RatingLevel] = {}
        self.programmes: dict[str, Programme] = {}
        self.standard_names: dict[tuple[str, str], str] = {}
        self.operators: dict[str, Operator] = {}
        self.organisations: dict[str, Organisation] = {}
        self.inspection_slugs = {item["id"]: item["slug"] for item in data["inspections"]}

    def get_or_create(self, model, defaults=None, **lookup):
        obj, created = model.objects.get_or_create(defaults=defaults or {}, **lookup)
        self.created += created
        return obj

    def run(self) -> int:
        for item in self.data["inspectorates"]:
            self.inspectorates[item["id"]] = self.get_or_create(
                Inspectorate,
                slug=item["id"],
                defaults={
                    "name": item["name"],
                    "short_name": item.get("short_name", ""),
                    "website": item.get("website") or "",
                },
            )
        for item in self.data["rating_scales"]:
            self.load_scale(item)
        for item in self.data["programmes"]:
            self.load_programme(item)
        for item in self.data["operators"]:
            self.operators[item["id"]] = self.get_or_create(
                Operator,
                slug=item["id"],
                defaults={"name": item["name"], "description": item.get("note", "")},
            )
        for item in self.data["organisations"]:
            active = item.get("active") or {}
            self.organisations[item["id"]] = self.get_or_create(
                Organisation,
                slug=item["id"],
                defaults={
                    "name": item["name"],
                    "short_name": item.get("short_name", ""),
                    "kind": KINDS.get(item.get("kind"), Organisation.Kind.OTHER),
                    "operator": self.operators.get(item.get("operator")),
                    "area": item.get("area", ""),
                    "active_from": parse_date(active.get("from"))[0],
                    "active_to": parse_date(active.get("to"))[0],
                },
            )
        inspections = [self.load_inspection(item) for item in self.data["inspections"]]
        for item, inspection in zip(self.data["inspections"], inspections, strict=True):
            follows = self.inspection_slugs.get(item.get("follow_up_of"))
            if follows and inspection.follows_id is None:
                inspection.follows = Inspection.objects.get(slug=follows)
                inspection.save(update_fields=["follows"])
        return self.created

    def load_scale(self, item: dict[str, Any]) -> None:
        scale = self.get_or_create(
            RatingScale,
            slug=item["id"],
            defaults={
                "inspectorate": self.inspectorates[item["inspectorate"]],
                "name": item["name"],
            },
        )
        self.scales[item["id"]] = scale
        levels = sorted(item["levels"], key=lambda level: level["rank"])
        for position, level in enumerate(levels):
            self.levels[(item["id"], level["label"])] = self.get_or_create(
                RatingLevel,
                scale=scale,
                slug=slugify(level["label"]),
                defaults={
                    "label": level["label"],
                    "rank": level["rank"],
                    "points": level.get("points"),
                    "tone": tone_for(position, len(levels)),
                },
            )

    def load_programme(self, item: dict[str, Any]) -> None:
        unit = item.get("unit_of_inspection", "")
        programme = self.get_or_create(
            Programme,
            slug=item["id"],
            defaults={
                "inspectorate": self.inspectorates[item["inspectorate"]],
                "name": item["name"],
                "start": parse_date(item.get("start"))[0],
                "end": parse_date(item.get("end"))[0],
                "rating_scale": self.scales.get(item.get("rating_scale")),
                "description": f"Unit of inspection: {unit}." if unit else "",
            },
        )
        self.programmes[item["id"]] = programme
        order = 10
        for theme in item.get("themes", []):
            name = THEME_NAMES.get(theme["code"], theme["name"])
            self.theme(programme, theme["code"], name, order)
            order += 10
        for domain in item.get("domains", []):
            standards = domain.get("standards")
            if not standards:
                self.theme(programme, domain["code"], domain["name"], order)
                order += 10
            for standard in standards or []:
                self.standard_names[(item["id"], standard["code"])] = standard["name"]
                self.theme(programme, standard["code"], standard["name"], order)
                order += 10

    def theme(self, programme: Programme, code: str, name: str = "", order: int = 500) -> Theme:
        if not name:
            name = THEME_NAMES.get(code) or code.replace("_", " ").capitalize()
        return self.get_or_create(
            Theme,
            programme=programme,
            code=code,
            defaults={"name": name, "order": THEME_ORDER.get(code, order)},
        )

    def measure(self, programme: Programme | None, name: str, code: str = "") -> Measure:
        slug = slugify(f"{programme.slug}-{code}" if code else name)[:120]
        return self.get_or_create(
            Measure,
            slug=slug,
            defaults={
                "programme": programme,
                "code": code,
                "name": name,
                "order": standard_order(code),
            },
        )

    def load_inspection(self, item: dict[str, Any]) -> Inspection:
        programme = self.programmes.get(item.get("programme"))
        published_on, precision = parse_date(item["published_on"])
        fieldwork = item.get("fieldwork") or {}
        fieldwork_start, fieldwork_precision = parse_date(
            fieldwork.get("start") or fieldwork.get("month")
        )
        quote = (item.get("quotes") or [{}])[0]
        inspection, new = Inspection.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "inspectorate": self.inspectorates[item["inspectorate"]],
                "programme": programme,
                "area": item.get("area", ""),
                "published_on": published_on,
                "date_precision": item.get("date_precision") or precision,
                "fieldwork_start": fieldwork_start,
                "fieldwork_end": parse_date(fieldwork.get("end"))[0],
                "fieldwork_precision": fieldwork_precision or DatePrecision.DAY,
                "fieldwork_note": fieldwork.get("note", ""),
                "report_url": item.get("report_url") or "",
                "press_release_url": item.get("press_release_url") or "",
                "summary": SUMMARIES.get(item["slug"], ""),
                "quote": quote.get("text", ""),
                "quote_attribution": quote.get("speaker", ""),
                "quote_context": QUOTE_CONTEXTS.get(item["slug"], quote.get("context", "")),
                "record_note": " ".join(item[key] for key in RECORD_NOTES if item.get(key)),
            },
        )
        self.created += new
        scale_id = programme.rating_scale.slug if programme and programme.rating_scale else None
        kinds = set()
        for order, row in enumerate(item.get("organisations", [])):
            organisation = self.organisations[row["organisation"]]
            kinds.add(organisation.kind)
            rating = row.get("overall_rating")
            self.get_or_create(
                InspectedOrganisation,
                inspection=inspection,
                organisation=organisation,
                defaults={
                    "role": row.get("role") or InspectedOrganisation.Role.SUBJECT,
                    "overall_rating": self.levels[(scale_id, rating)] if rating else None,
                    "caseload": row.get("caseload_at_inspection"),
                    "caseload_note": caseload_note(row),
                    "order": order,
                },
            )
            self.load_scores(inspection, programme, scale_id, organisation, row)
        for order, finding in enumerate(item.get("findings", [])):
            self.get_or_create(
                Finding,
                inspection=inspection,
                order=order,
                defaults={
                    "organisation": self.organisations.get(finding.get("organisation")),
                    "theme": self.theme(programme, finding["theme"])
                    if finding.get("theme")
                    else None,
                    "polarity": finding["polarity"],
                    "text": finding["text"],
                },
            )
        for order, recommendation in enumerate(item.get("recommendations", [])):
            obj, created = Recommendation.objects.get_or_create(
                inspection=inspection,
                order=order,
                defaults={
                    "text": recommendation["text"],
                    "addressed_to_other": recommendation.get("addressed_to_text", ""),
                    "note": recommendation.get("note", ""),
                },
            )
            self.created += created
            if created:
                obj.addressed_to.set(
                    [self.organisations[slug] for slug in recommendation.get("addressed_to", [])]
                )
        if new:
            tags = ["probation"] if item["inspectorate"] == "hmi-probation" else []
            for kind in sorted(kinds):
                tags += [tag for tag in TAGS_BY_KIND.get(kind, []) if tag not in tags]
            inspection.tags.add(*tags)
        return inspection

    def load_scores(self, inspection, programme, scale_id, organisation, row) -> None:
        for measure in row.get("measures", []):
            value = Decimal(str(measure["value"]))
            is_percent = measure.get("unit") == "percent"
            self.get_or_create(
                Score,
                inspection=inspection,
                organisation=organisation,
                measure=self.measure(programme, measure["measure"]),
                defaults={
                    "percentage": value if is_percent else None,
                    "count": None if is_percent else int(value),
                    "approximate": bool(measure.get("approximate")),
                    "note": measure.get("note", ""),
                },
            )
        for standard in row.get("standard_ratings", []):
            code = standard["standard"]
            name = self.standard_names.get((programme.slug, code), code)
            self.get_or_create(
                Score,
                inspection=inspection,
                organisation=organisation,
                measure=self.measure(programme, name, code),
                defaults={
                    "rating": self.levels[(scale_id, standard["rating"])],
                    "note": standard.get("note", ""),
                },
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


def standard_order(code: str) -> int:
    """Numbered standards sort by number (“1.1” → 11); other measures after them."""
    try:
        return int(Decimal(code) * 10)
    except ArithmeticError:
        return 1000


def tone_for(position: int, count: int) -> str:
    """Badge tone from a level's place on its scale (0 = lowest): lowest is negative,
    the upper half positive, anything between middling."""
    if position == 0:
        return RatingLevel.Tone.NEGATIVE
    if position >= count // 2:
        return RatingLevel.Tone.POSITIVE
    return RatingLevel.Tone.MIDDLING


@transaction.atomic
def inspections_demo_load(path: Path = DEMO_FILE) -> int:
    """Load every inspection in the demo facts file; returns how many rows it created."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return _Loader(data).run()
