import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from inspections.exports import DATASETS, FORMATS, export_bytes
from inspections.imports import ImportFailed
from inspections.models import (
    Finding,
    InspectedOrganisation,
    Inspection,
    Measure,
    Organisation,
    Score,
    Theme,
)
from inspections.services import IMPORT_ORDER, inspections_import
from tests.inspections.factories import FindingFactory, InspectionFactory, two_era_dataset

pytestmark = pytest.mark.django_db

INSPECTION_MODELS = [Inspection, InspectedOrganisation, Finding, Score, Organisation, Measure]


def export_everything() -> dict[str, bytes]:
    return {f"{name}.{fmt}": export_bytes(name, fmt) for name in DATASETS for fmt in FORMATS}


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in INSPECTION_MODELS}


def edit_csv(path: Path, edit) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    edit(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.fixture
def exported(tmp_path, write_files) -> dict[str, Path]:
    two_era_dataset()
    return write_files(tmp_path / "export", export_everything())


@pytest.mark.parametrize("read_format", ["csv", "json"])
def test_export_import_into_an_empty_database_export_is_byte_identical(
    tmp_path, read_format, empty_the_database, write_files
):
    two_era_dataset()
    before = export_everything()
    assert all(content.count(b"\n") > 2 for content in before.values())
    # Both eras: percentages and ratings.
    assert b",70.5," in before["scores.csv"] and b",Requires improvement," in before["scores.csv"]
    paths = write_files(tmp_path, before)

    empty_the_database()
    # Last dependency first, to show the import sorts them itself.
    chosen = [paths[f"{name}.{read_format}"] for name in reversed(IMPORT_ORDER)]
    inspections_import(paths=chosen)

    after = export_everything()
    for filename in before:
        assert after[filename] == before[filename], filename


def one_format(exported: dict[str, Path], fmt: str) -> list[Path]:
    return [path for name, path in exported.items() if name.endswith(f".{fmt}")]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_importing_what_is_already_there_changes_nothing(exported, fmt):
    before = counts()
    first = inspections_import(paths=one_format(exported, fmt))
    again = inspections_import(paths=one_format(exported, fmt))

    assert counts() == before
    for report in (first, again):
        assert all(c["created"] == c["updated"] == 0 for c in report.changes.values())
        assert report.changes["findings"]["unchanged"] == 7
    assert again.rows["findings"] == len(json.loads(exported["findings.json"].read_bytes()))


def test_a_second_import_into_an_empty_database_changes_nothing(exported, empty_the_database):
    empty_the_database()
    first = inspections_import(paths=one_format(exported, "json"))
    assert first.changes["inspections"]["created"] == 3
    before = counts()
    again = inspections_import(paths=one_format(exported, "csv"))
    assert counts() == before
    assert all(c["created"] == c["updated"] == 0 for c in again.changes.values())


def test_a_changed_row_is_updated_in_place(exported):
    def retitle(rows):
        assert rows[0][1] == "title"
        rows[1][1] = "A new title"
        rows[1][-2] = "probation; reviewed"  # tags

    edit_csv(exported["inspections.csv"], retitle)
    before = counts()

    report = inspections_import(paths=[exported["inspections.csv"]])

    assert counts() == before
    inspection = Inspection.objects.get(slug="north-london-2016")
    assert inspection.title == "A new title"
    assert sorted(tag.name for tag in inspection.tags.all()) == ["probation", "reviewed"]
    assert report.changes["inspections"]["updated"] == 1


def test_any_subset_loads_into_an_empty_database(exported, empty_the_database):
    empty_the_database()
    inspections_import(paths=[exported["inspections.json"]])
    assert Inspection.objects.count() == 3 and not Finding.objects.exists()
    inspections_import(paths=[exported["findings.csv"], exported["organisations.csv"]])
    assert Finding.objects.count() == 7
    assert Finding.objects.filter(organisation=None).count() == 1
    assert Theme.objects.get(code="context").programme is None


def test_rows_pointing_at_missing_rows_are_reported(exported, empty_the_database):
    empty_the_database()
    with pytest.raises(ImportFailed) as failed:
        inspections_import(paths=[exported["ratings.csv"]])
    assert f"{exported['ratings.csv']}:2: inspection: no inspection “north-london-2016”" in str(
        failed.value
    )
    assert "organisation: no organisation “london-crc”" in str(failed.value)
    assert not Inspection.objects.exists() and not InspectedOrganisation.objects.exists()


def test_bad_rows_are_reported_by_file_line_and_column_and_nothing_is_written(
    exported, empty_the_database
):
    empty_the_database()

    def spoil(rows):
        header = rows[0]
        rows[1][header.index("percentage")] = "140"
        rows[2][header.index("approximate")] = "maybe"
        rows[3][header.index("measure_order")] = "first"

    edit_csv(exported["scores.csv"], spoil)
    findings = json.loads(exported["findings.json"].read_text())
    findings[1]["polarity"] = "glowing"
    findings[2]["order"] = "second"
    exported["findings.json"].write_text(
        "[\n" + ",\n".join(json.dumps(f) for f in findings) + "\n]\n", encoding="utf-8"
    )

    with pytest.raises(ImportFailed) as failed:
        inspections_import(paths=[exported[name] for name in sorted(exported)])

    scores, findings_path = exported["scores.csv"], exported["findings.json"]
    assert failed.value.problems == [
        f"{findings_path}:3: polarity: “glowing” is not one of strength, concern, mixed, context",
        f"{findings_path}:4: order: expected a whole number",
        f"{scores}:2: percentage: must be from 0 to 100",
        f"{scores}:3: approximate: expected true or false",
        f"{scores}:4: measure_order: expected a whole number",
    ]
    assert str(failed.value).startswith("5 problems; nothing was written.")
    assert all(count == 0 for count in counts().values())


def test_rows_the_database_refuses_are_reported_and_roll_everything_back(
    exported, empty_the_database
):
    empty_the_database()

    def spoil(rows):  # rows[1] spans lines 2 and 3: its summary has a line break
        rows[2][rows[0].index("slug")] = "not a slug"
        rows[3][rows[0].index("report_url")] = "javascript:alert(1)"

    edit_csv(exported["inspections.csv"], spoil)
    paths = [exported["organisations.csv"], exported["inspections.csv"]]

    with pytest.raises(ImportFailed) as failed:
        inspections_import(paths=paths)

    text = str(failed.value)
    assert f"{exported['inspections.csv']}:4: slug: Enter a valid “slug”" in text
    assert f"{exported['inspections.csv']}:5: report_url: Enter a valid URL." in text
    assert not Organisation.objects.exists() and not Inspection.objects.exists()


def test_a_csv_line_number_counts_line_breaks_inside_cells(exported):
    text = exported["inspections.csv"].read_text(encoding="utf-8")
    assert "standard;\nsome people" in text  # the first row spans two lines
    edit_csv(exported["inspections.csv"], lambda rows: rows[2].__setitem__(7, "14/12/2016"))
    with pytest.raises(ImportFailed) as failed:
        inspections_import(paths=[exported["inspections.csv"]])
    assert failed.value.problems == [
        f"{exported['inspections.csv']}:4: published_on: expected a date as YYYY-MM-DD"
    ]


def test_rows_that_disagree_about_a_shared_row_are_reported(exported):
    def rename(rows):  # rows[3] is the second HMI Probation inspection, on line 5
        rows[3][rows[0].index("inspectorate_name")] = "HMI Probation (renamed)"

    edit_csv(exported["inspections.csv"], rename)
    with pytest.raises(ImportFailed) as failed:
        inspections_import(paths=[exported["inspections.csv"]])
    [problem] = failed.value.problems
    assert problem.startswith(f"{exported['inspections.csv']}:5: inspectorate_name: ")
    assert "differs from “HM Inspectorate of Probation” at" in problem


def test_the_same_row_twice_is_reported(exported):
    csv_path, json_path = exported["findings.csv"], exported["findings.json"]
    with pytest.raises(ImportFailed) as failed:
        inspections_import(paths=[csv_path, json_path])
    assert failed.value.problems[0] == (
        f"{json_path}:2: row: a finding with this inspection and order is also at {csv_path}:2"
    )


def test_files_that_are_not_exports_are_refused(tmp_path):
    stray = tmp_path / "notes.txt"
    stray.write_text("hello")
    wrong = tmp_path / "people.csv"
    wrong.write_text("slug,name,favourite_colour\r\na,b,c\r\n")
    broken = tmp_path / "broken.json"
    broken.write_text('[\n{"slug": "a",\n "title": }\n]\n')
    with pytest.raises(ImportFailed) as failed:
        inspections_import(paths=[stray, wrong, broken, tmp_path / "missing.csv"])
    problems = failed.value.problems
    assert problems[0] == f"{stray}: not a .csv or .json file"
    assert problems[1].startswith(f"{wrong}:1: header: not the columns of any dataset")
    assert "unknown favourite_colour" in problems[1]
    assert problems[2].startswith(f"{broken}:3: not valid JSON")
    assert problems[3].startswith(f"{tmp_path / 'missing.csv'}: cannot be read")


def test_the_url_column_may_be_left_out_and_a_byte_order_mark_is_fine(
    exported, tmp_path, empty_the_database
):
    empty_the_database()
    text = exported["organisations.csv"].read_text(encoding="utf-8")
    lines = [line.rsplit(",", 1)[0] for line in text.splitlines()]
    trimmed = tmp_path / "organisations-from-excel.csv"
    trimmed.write_bytes("\ufeff".encode() + "\r\n".join(lines).encode() + b"\r\n")
    inspections_import(paths=[trimmed])
    assert Organisation.objects.count() == 3


def test_dry_run_checks_everything_and_writes_nothing(exported, empty_the_database):
    empty_the_database()
    report = inspections_import(paths=one_format(exported, "csv"), dry_run=True)
    assert report.changes["inspections"]["created"] == 3
    assert "dry run: nothing was written" in report.lines()
    assert all(count == 0 for count in counts().values())


def test_command_loads_files_and_reports(exported, empty_the_database):
    empty_the_database()
    out = io.StringIO()
    files = map(str, one_format(exported, "json"))
    call_command("import_inspections", *files, "--dry-run", stdout=out)
    assert "inspections: 3 created, 0 updated, 0 unchanged" in out.getvalue()
    assert not Inspection.objects.exists()

    call_command("import_inspections", str(exported["inspections.csv"]), stdout=out)
    assert Inspection.objects.count() == 3


def test_command_fails_with_the_problems_and_writes_nothing(exported):
    InspectionFactory(slug="already-here")
    edit_csv(exported["ratings.csv"], lambda rows: rows[1].__setitem__(2, "bystander"))
    with pytest.raises(CommandError) as failed:
        call_command("import_inspections", str(exported["ratings.csv"]))
    assert f"{exported['ratings.csv']}:2: role: “bystander” is not one of subject, partner" in str(
        failed.value
    )
    assert Inspection.objects.count() == 4


def test_the_import_reads_every_column_the_export_writes():
    from inspections.services import INSPECTION_FIELDS

    named_rows = {"slug", "inspectorate", "inspectorate_name", "programme", "programme_name"}
    others = {*named_rows, "follows", "tags", "url"}
    assert sorted([*INSPECTION_FIELDS, *others]) == sorted(DATASETS["inspections"].column_names)


FORMULAS = ['=HYPERLINK("http://evil.example","Click")', "+1+1", "-2", "@SUM(A1)", "'quoted"]


@pytest.mark.parametrize("read_format", ["csv", "json"])
def test_spreadsheet_formulas_are_guarded_in_csv_and_the_round_trip_is_byte_identical(
    tmp_path, read_format, empty_the_database, write_files
):
    inspection = two_era_dataset()
    first = inspection if isinstance(inspection, Inspection) else Inspection.objects.first()
    for n, text in enumerate(FORMULAS):
        FindingFactory(inspection=first, text=text, order=900 + n)
    before = export_everything()
    rows = list(csv.reader(io.StringIO(before["findings.csv"].decode())))
    texts = {row[rows[0].index("text")] for row in rows[1:]}
    for text in FORMULAS:
        assert "'" + text in texts  # shown as text by a spreadsheet
    json_texts = {item["text"] for item in json.loads(before["findings.json"])}
    assert set(FORMULAS) <= json_texts  # JSON is data, never guarded

    paths = write_files(tmp_path, before)
    empty_the_database()
    inspections_import(paths=[paths[f"{name}.{read_format}"] for name in IMPORT_ORDER])
    assert set(FORMULAS) <= set(Finding.objects.values_list("text", flat=True))
    after = export_everything()
    for filename in before:
        assert after[filename] == before[filename], filename


def test_command_shows_progress_on_standard_error(exported, empty_the_database):
    empty_the_database()
    out, err = io.StringIO(), io.StringIO()
    files = map(str, one_format(exported, "csv"))

    call_command("import_inspections", *files, stdout=out, stderr=err)

    progress = err.getvalue()  # not a terminal: plain lines, no bar
    assert "inspections: 3/3 100%" in progress
    assert "█" not in progress and "\r" not in progress
    assert "inspections: 3 created" in out.getvalue()  # the report stays on standard output
