import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.demo import DEMO_FILE, SUMMARIES, inspections_demo_load
from inspections.models import (
    Finding,
    InspectedOrganisation,
    Inspection,
    Organisation,
    Recommendation,
    Score,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def facts():
    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def test_demo_loads_every_inspection_and_a_second_run_creates_nothing(facts):
    created = inspections_demo_load()

    assert created > 0
    assert Inspection.objects.count() == len(facts["inspections"]) == 12
    assert inspections_demo_load() == 0
    assert Inspection.objects.count() == 12


def test_demo_loads_findings_recommendations_and_organisations_from_the_file(facts):
    inspections_demo_load()
    expected_findings = sum(len(i["findings"]) for i in facts["inspections"])
    expected_recommendations = sum(len(i["recommendations"]) for i in facts["inspections"])
    assert Finding.objects.count() == expected_findings
    assert Recommendation.objects.count() == expected_recommendations
    assert Organisation.objects.count() == len(facts["organisations"])
    assert Finding.objects.filter(polarity="context").exists()
    assert not Finding.objects.filter(theme__isnull=True).exists()
    assert Finding.objects.filter(organisation__isnull=True).exists()  # joint findings


def test_demo_holds_both_eras(facts):
    inspections_demo_load()
    durham = Inspection.objects.get(slug="durham-quality-impact-2016")
    assert durham.inspected.count() == 2
    assert not durham.inspected.filter(overall_rating__isnull=False).exists()

    north_west = InspectedOrganisation.objects.get(inspection__slug="nps-north-west-2019")
    assert north_west.overall_rating.label == "Good"
    victim_work = Score.objects.get(inspection__slug="nps-north-west-2019", rating__isnull=False)
    assert victim_work.measure.label == "3.2 Statutory victim work"
    assert victim_work.rating.label == "Outstanding"


def test_demo_scores_keep_units_percent_as_percentages_and_counts_as_counts(facts):
    inspections_demo_load()
    expected = [
        (i["slug"], o["organisation"], m["measure"], m["value"], m["unit"])
        for i in facts["inspections"]
        for o in i["organisations"]
        for m in o.get("measures", [])
    ]
    assert expected
    for inspection, organisation, name, value, unit in expected:
        score = Score.objects.get(
            inspection__slug=inspection, organisation__slug=organisation, measure__name=name
        )
        if unit == "percent":
            assert score.percentage == value and score.count is None
        else:
            assert score.count == value and score.percentage is None
    home_visits = Score.objects.get(measure__name__startswith="Needed home visits")
    assert home_visits.approximate


def test_demo_does_not_invent_figures(facts):
    inspections_demo_load()
    figures = sum(
        len(o.get("measures", [])) + len(o.get("standard_ratings", []))
        for i in facts["inspections"]
        for o in i["organisations"]
    )
    assert Score.objects.count() == figures


def test_demo_summaries_are_ours_and_every_inspection_has_one(facts):
    inspections_demo_load()
    assert set(SUMMARIES) == {i["slug"] for i in facts["inspections"]}
    assert not Inspection.objects.filter(summary="").exists()
    seed_text = DEMO_FILE.parents[3] / "shared" / "seed" / "article-page.txt"
    if seed_text.exists():
        seed = seed_text.read_text(encoding="utf-8")
        for summary in SUMMARIES.values():
            assert summary not in seed


def test_demo_links_follow_up_inspections():
    inspections_demo_load()
    follow_up = Inspection.objects.get(slug="london-crc-2019")
    assert follow_up.follows.slug == "london-crc-quality-impact-2018"


def test_demo_rerun_writes_nothing():
    inspections_demo_load()
    with CaptureQueriesContext(connection) as queries:
        assert inspections_demo_load() == 0
    assert not any(q["sql"].startswith(("INSERT", "UPDATE")) for q in queries.captured_queries)


def test_demo_keeps_the_files_caveats_about_missing_figures():
    inspections_demo_load()
    merseyside = Inspection.objects.get(slug="merseyside-crc-2018")
    assert "not readable" in merseyside.record_note
