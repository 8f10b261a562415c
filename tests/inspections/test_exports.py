import csv
import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.http import StreamingHttpResponse

from inspections.exports import DATASETS, export_bytes, writers
from inspections.models import Inspection, Organisation
from tests.inspections.factories import (
    FindingFactory,
    InspectedOrganisationFactory,
    InspectionFactory,
    InspectorateFactory,
    OrganisationFactory,
    ProgrammeFactory,
    RecommendationFactory,
    ScoreFactory,
    ThemeFactory,
    four_point_scale,
    two_era_dataset,
)

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
EXPORT_QUERY_LIMIT = 1

# The published contract: a change here is a change for everyone who reads the files.
COLUMNS = {
    "inspections": [
        "slug",
        "title",
        "inspectorate",
        "inspectorate_name",
        "programme",
        "programme_name",
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
        "follows",
        "tags",
        "url",
    ],
    "organisations": [
        "slug",
        "name",
        "short_name",
        "kind",
        "operator",
        "operator_name",
        "area",
        "active_from",
        "active_to",
        "url",
    ],
    "ratings": [
        "inspection",
        "organisation",
        "role",
        "order",
        "rating",
        "rating_rank",
        "rating_scale",
        "caseload",
        "caseload_note",
    ],
    "findings": [
        "inspection",
        "order",
        "organisation",
        "theme",
        "theme_name",
        "polarity",
        "text",
        "tags",
    ],
    "scores": [
        "inspection",
        "organisation",
        "measure",
        "measure_code",
        "measure_name",
        "measure_order",
        "percentage",
        "count",
        "rating",
        "rating_rank",
        "rating_scale",
        "approximate",
        "note",
    ],
    "recommendations": [
        "inspection",
        "order",
        "text",
        "addressed_to",
        "addressed_to_other",
        "note",
    ],
}


def rows_of(content: bytes, fmt: str) -> list[dict]:
    text = content.decode("utf-8")
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text, newline="")))
    return json.loads(text)


def download(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


@pytest.fixture
def dataset():
    return two_era_dataset()


@pytest.mark.parametrize("name", COLUMNS)
def test_each_dataset_has_its_published_columns_in_order(dataset, name):
    assert DATASETS[name].column_names == COLUMNS[name]
    header = export_bytes(name, "csv").split(b"\r\n", 1)[0].decode()
    assert header == ",".join(COLUMNS[name])
    for row in json.loads(export_bytes(name, "json")):
        assert list(row) == COLUMNS[name]


@pytest.mark.parametrize("name", COLUMNS)
def test_csv_and_json_hold_the_same_rows(dataset, name):
    csv_rows = rows_of(export_bytes(name, "csv"), "csv")
    json_rows = rows_of(export_bytes(name, "json"), "json")
    assert len(csv_rows) == len(json_rows) > 0

    def as_csv_text(value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, list):
            return "; ".join(value)
        return str(value)

    for csv_row, json_row in zip(csv_rows, json_rows, strict=True):
        assert csv_row == {key: as_csv_text(value) for key, value in json_row.items()}


def test_values_are_written_plainly_and_typed_in_json(dataset):
    [area, prison, single] = rows_of(export_bytes("inspections", "json"), "json")
    assert [area["slug"], prison["slug"], single["slug"]] == [
        "north-london-2016",
        "hmp-somewhere-2019",
        "london-crc-2019",
    ]
    assert area["tags"] == ["London", "Transforming Rehabilitation", "probation"]
    assert area["programme"] == "hmip-qi-2016" and prison["programme"] is None
    assert single["published_on"] == "2019-06-01" and single["date_precision"] == "month"
    assert single["follows"] == "north-london-2016"
    assert area["url"] == "https://oversight.example/inspections/north-london-2016/"
    assert (
        area["summary"] == 'Work was "well below" the expected standard;\nsome people went unseen.'
    )

    [csv_area, *_] = rows_of(export_bytes("inspections", "csv"), "csv")
    assert csv_area["tags"] == "London; Transforming Rehabilitation; probation"
    assert csv_area["fieldwork_start"] == "" and csv_area["programme"] == "hmip-qi-2016"

    scores = rows_of(export_bytes("scores", "json"), "json")
    by_measure = {(s["organisation"], s["measure"]): s for s in scores}
    assert by_measure[("london-crc", "protect-the-public")]["percentage"] == 40
    nps = by_measure[("nps-london", "protect-the-public")]
    assert nps["percentage"] == 70.5 and nps["approximate"] is True
    rated = by_measure[("london-crc", "hmip-standards-2018-21")]
    assert rated["percentage"] == 33.33 and rated["rating"] == "Inadequate"
    assert (
        rated["rating_rank"] == 1 and rated["rating_scale"] == dataset["levels"]["Good"].scale.slug
    )
    csv_scores = rows_of(export_bytes("scores", "csv"), "csv")
    assert [s["percentage"] for s in csv_scores if s["percentage"]] == ["40", "70.5", "33.33"]
    assert {s["approximate"] for s in csv_scores} == {"true", "false"}


def test_rows_are_identified_by_slugs_never_database_ids(dataset):
    inspection_slugs = set(Inspection.objects.values_list("slug", flat=True))
    organisation_slugs = set(Organisation.objects.values_list("slug", flat=True))
    for name in DATASETS:
        assert not [c for c in COLUMNS[name] if c == "id" or c.endswith(("_id", "pk"))]
        rows = rows_of(export_bytes(name, "csv"), "csv")
        for row in rows:
            if "inspection" in row:
                assert row["inspection"] in inspection_slugs
            if "organisation" in row:
                assert row["organisation"] in organisation_slugs | {""}
    findings = rows_of(export_bytes("findings", "json"), "json")
    joint = [f for f in findings if f["text"].startswith("Court allocation")]
    assert joint[0]["organisation"] is None and joint[0]["theme"] is None


def test_rows_come_by_publication_date_then_slug_then_position(dataset):
    findings = rows_of(export_bytes("findings", "csv"), "csv")
    keys = [(row["inspection"], int(row["order"])) for row in findings]
    assert keys == [
        ("north-london-2016", 0),
        ("north-london-2016", 1),
        ("north-london-2016", 2),
        ("north-london-2016", 3),
        ("hmp-somewhere-2019", 5),
        ("london-crc-2019", 0),
        ("london-crc-2019", 1),
    ]
    scores = rows_of(export_bytes("scores", "csv"), "csv")
    single = [row["measure_code"] for row in scores if row["inspection"] == "london-crc-2019"]
    assert single == ["1.1", "1.2", "2.1"]
    assert export_bytes("findings", "json") == export_bytes("findings", "json")


def test_organisations_are_those_the_exported_inspections_name(dataset):
    OrganisationFactory(slug="never-inspected")
    slugs = [row["slug"] for row in rows_of(export_bytes("organisations", "csv"), "csv")]
    assert slugs == ["hmp-somewhere", "london-crc", "nps-london"]
    london = rows_of(export_bytes("organisations", "json"), "json")[1]
    assert london["operator"] == "mtcnovo" and london["operator_name"] == "MTCnovo"
    assert london["active_from"] == "2014-06-01"


@pytest.mark.parametrize("name", COLUMNS)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_downloads_are_streamed_with_a_filename(client, dataset, name, fmt):
    response = client.get(f"/inspections/data/{name}.{fmt}")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse) and response.streaming
    media_type = {"csv": "text/csv", "json": "application/json"}[fmt]
    assert response["Content-Type"].startswith(media_type)
    assert response["Content-Disposition"] == f'attachment; filename="oversight-{name}.{fmt}"'
    content = b"".join(response.streaming_content)
    assert content == export_bytes(name, fmt)
    content.decode("utf-8")


def test_a_long_export_arrives_in_several_chunks(client, dataset, monkeypatch):
    monkeypatch.setattr(writers, "CHUNK_BYTES", 200)
    for fmt in ("csv", "json"):
        chunks = list(client.get(f"/inspections/data/findings.{fmt}").streaming_content)
        assert len(chunks) > 3
        assert rows_of(b"".join(chunks), fmt)


def test_json_downloads_are_valid_json_even_when_empty(client):
    for name in DATASETS:
        assert json.loads(download(client, f"/inspections/data/{name}.json")) == []
        assert download(client, f"/inspections/data/{name}.csv").count(b"\r\n") == 1


@pytest.fixture
def filterable():
    levels = four_point_scale(InspectorateFactory(slug="hmi-probation"))
    inspectorate = levels["Good"].scale.inspectorate
    good_nps = InspectionFactory(
        slug="good-nps", inspectorate=inspectorate, published_on=datetime.date(2019, 2, 1)
    )
    InspectedOrganisationFactory(
        inspection=good_nps,
        organisation=OrganisationFactory(kind=Organisation.Kind.NPS_DIVISION),
        overall_rating=levels["Good"],
    )
    ri_crc = InspectionFactory(
        slug="ri-crc", inspectorate=inspectorate, published_on=datetime.date(2019, 8, 1)
    )
    InspectedOrganisationFactory(inspection=ri_crc, overall_rating=levels["Requires improvement"])
    area = InspectionFactory(
        slug="area", inspectorate=inspectorate, published_on=datetime.date(2016, 8, 1)
    )
    InspectedOrganisationFactory(inspection=area)
    prison = InspectionFactory(
        slug="prison",
        inspectorate=InspectorateFactory(slug="hmi-prisons"),
        published_on=datetime.date(2019, 5, 1),
    )
    InspectedOrganisationFactory(
        inspection=prison, organisation=OrganisationFactory(kind=Organisation.Kind.PRISON)
    )
    for inspection in (good_nps, ri_crc, area, prison):
        FindingFactory(inspection=inspection)
        ScoreFactory(inspection=inspection)
    return levels


@pytest.mark.parametrize(
    "query, expected",
    [
        ("inspectorate=hmi-probation", {"good-nps", "ri-crc", "area"}),
        ("inspectorate=hmi-prisons", {"prison"}),
        ("year=2019", {"good-nps", "ri-crc", "prison"}),
        ("kind=crc", {"ri-crc", "area"}),
        ("kind=nps-division", {"good-nps"}),
        ("rating=good", {"good-nps"}),
        ("rating=requires-improvement&year=2019&inspectorate=hmi-probation", {"ri-crc"}),
        ("kind=crc&year=2016", {"area"}),
        ("kind=crc&rating=good", set()),
        ("inspection=prison", {"prison"}),
        ("inspectorate=no-such-body", set()),
        ("", {"good-nps", "ri-crc", "area", "prison"}),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_dataset_honours_the_list_filters(client, filterable, query, expected, fmt):
    inspections = rows_of(download(client, f"/inspections/data/inspections.{fmt}?{query}"), fmt)
    assert {row["slug"] for row in inspections} == expected
    for name in ("ratings", "findings", "scores"):
        rows = rows_of(download(client, f"/inspections/data/{name}.{fmt}?{query}"), fmt)
        assert {row["inspection"] for row in rows} == expected, name
    organisations = rows_of(download(client, f"/inspections/data/organisations.{fmt}?{query}"), fmt)
    ratings = rows_of(download(client, f"/inspections/data/ratings.{fmt}?{query}"), fmt)
    assert {row["organisation"] for row in ratings} <= {row["slug"] for row in organisations}


def test_the_filename_names_the_filters(client, filterable):
    response = client.get("/inspections/data/scores.csv?year=2019&kind=crc&page=2")
    assert response["Content-Disposition"] == 'attachment; filename="oversight-scores-crc-2019.csv"'


@pytest.mark.parametrize(
    "query, message",
    [
        ("year=abc", "year: Unknown year."),
        ("year=99999", "year: Unknown year."),
        ("kind=spaceship", "kind: Unknown organisation kind."),
        ("inspectorate=%3Cscript%3E", "inspectorate: Unknown inspectorate."),
        ("inspection=%3Cb%3E", "inspection: Unknown inspection."),
    ],
)
def test_impossible_filter_values_are_refused_with_the_reason(client, filterable, query, message):
    for name in DATASETS:
        response = client.get(f"/inspections/data/{name}.csv?{query}")
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert message in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/inspections/data/secrets.csv",
        "/inspections/data/findings.xlsx",
        "/inspections/data/findings.CSV",
        "/inspections/data/findings",
        "/inspections/data/findings.csv.json",
    ],
)
def test_unknown_datasets_and_formats_are_404(client, url):
    # Without a trailing slash an address may first be redirected to the slashed one (nested
    # flat pages live at /a/b/): what the reader ends on is the 404 page.
    assert client.get(url, follow=True).status_code == 404


@pytest.mark.parametrize("name", COLUMNS)
@pytest.mark.parametrize("query", ["", "?inspectorate=hmi-probation&kind=crc&year=2019"])
def test_export_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, name, query
):
    levels = four_point_scale(InspectorateFactory(slug="hmi-probation"))
    programme = ProgrammeFactory(inspectorate=levels["Good"].scale.inspectorate)

    def add(count):
        for n in range(count):
            inspection = InspectionFactory(
                inspectorate=levels["Good"].scale.inspectorate,
                programme=programme,
                published_on=datetime.date(2019, 1, 1) + datetime.timedelta(days=n),
                tags=[f"tag-{n}", "probation"],
                follows=Inspection.objects.first(),
            )
            organisation = OrganisationFactory()
            InspectedOrganisationFactory(
                inspection=inspection, organisation=organisation, overall_rating=levels["Good"]
            )
            for _ in range(2):
                finding = FindingFactory(
                    inspection=inspection,
                    organisation=organisation,
                    theme=ThemeFactory(programme=programme),
                )
                finding.tags.add("caseloads")
            ScoreFactory(inspection=inspection, organisation=organisation, rating=levels["Good"])
            RecommendationFactory(inspection=inspection, addressed_to=[organisation])

    add(1)
    counts = []
    for fmt in ("csv", "json"):
        with django_assert_max_num_queries(EXPORT_QUERY_LIMIT) as one:
            one_rows = rows_of(download(client, f"/inspections/data/{name}.{fmt}{query}"), fmt)
        counts.append(len(one.captured_queries))
    add(29)
    for fmt, count in zip(("csv", "json"), counts, strict=True):
        with django_assert_max_num_queries(EXPORT_QUERY_LIMIT) as thirty:
            thirty_rows = rows_of(download(client, f"/inspections/data/{name}.{fmt}{query}"), fmt)
        assert len(thirty.captured_queries) == count
        assert len(thirty_rows) > len(one_rows)


def test_the_readme_documents_every_column_of_every_dataset():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Open data") :]
    section = section[: section.index("\n## ", 1)]
    for name, columns in COLUMNS.items():
        heading = re.search(rf"^### .*`{name}\.csv`.*$", section, re.M)
        assert heading, name
        part = section[heading.end() :].split("\n### ", 1)[0]
        for column in columns:
            assert f"| `{column}` |" in part, (name, column)
    assert "import_inspections" in section and "CC BY 4.0" in section
