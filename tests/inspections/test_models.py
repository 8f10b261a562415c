import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inspections.models import DatePrecision, Inspection, Organisation
from tests.inspections.factories import (
    FindingFactory,
    InspectedOrganisationFactory,
    InspectionFactory,
    InspectorateFactory,
    MeasureFactory,
    OrganisationFactory,
    ProgrammeFactory,
    RatingLevelFactory,
    RatingScaleFactory,
    ScoreFactory,
    ThemeFactory,
    four_point_scale,
)

pytestmark = pytest.mark.django_db


def refused(**kwargs):
    """pytest.raises for a database refusal, inside a savepoint so the test can go on."""
    return pytest.raises(IntegrityError, **kwargs)


@pytest.mark.parametrize("value", ["100.01", "101", "-0.01", "-5"])
def test_database_refuses_a_percentage_outside_0_to_100(value):
    with refused(), transaction.atomic():
        ScoreFactory(percentage=Decimal(value))


@pytest.mark.parametrize("value", ["0", "0.5", "48", "100"])
def test_percentages_from_0_to_100_are_stored(value):
    score = ScoreFactory(percentage=Decimal(value))
    score.refresh_from_db()
    assert score.percentage == Decimal(value)


def test_database_refuses_a_bad_percentage_even_through_update():
    score = ScoreFactory(percentage=Decimal("40"))
    with refused(), transaction.atomic():
        type(score).objects.filter(pk=score.pk).update(percentage=Decimal("140"))


def test_database_refuses_a_score_without_any_value():
    with refused(), transaction.atomic():
        ScoreFactory(percentage=None, rating=None, count=None)


def test_a_score_may_be_only_a_rating_or_only_a_count():
    levels = four_point_scale()
    assert ScoreFactory(percentage=None, rating=levels["Good"]).pk
    assert ScoreFactory(percentage=None, count=5).pk


def test_database_refuses_two_scores_for_the_same_inspection_organisation_and_measure():
    score = ScoreFactory()
    with refused(), transaction.atomic():
        ScoreFactory(
            inspection=score.inspection, organisation=score.organisation, measure=score.measure
        )
    other_org = ScoreFactory(inspection=score.inspection, measure=score.measure)
    assert other_org.pk


def test_database_refuses_the_same_organisation_twice_in_one_inspection():
    row = InspectedOrganisationFactory()
    with refused(), transaction.atomic():
        InspectedOrganisationFactory(inspection=row.inspection, organisation=row.organisation)


@pytest.mark.parametrize(
    "factory, field",
    [
        (InspectionFactory, "slug"),
        (OrganisationFactory, "slug"),
        (InspectorateFactory, "name"),
        (MeasureFactory, "slug"),
    ],
)
def test_database_refuses_duplicate_unique_values(factory, field):
    first, second = factory(), factory()
    setattr(second, field, getattr(first, field))
    with refused(), transaction.atomic():
        second.save()


def test_database_refuses_two_levels_with_the_same_rank_or_slug_on_one_scale():
    level = RatingLevelFactory(label="Good", rank=3)
    with refused(), transaction.atomic():
        RatingLevelFactory(scale=level.scale, label="Very good", rank=3)
    with refused(), transaction.atomic():
        RatingLevelFactory(scale=level.scale, label="Good", rank=4)
    assert RatingLevelFactory(scale=RatingScaleFactory(), label="Good", rank=3).slug == "good"


def test_database_refuses_rank_zero():
    with refused(), transaction.atomic():
        RatingLevelFactory(rank=0)


def test_database_refuses_fieldwork_that_ends_before_it_starts():
    with refused(), transaction.atomic():
        InspectionFactory(
            fieldwork_start=datetime.date(2018, 6, 10), fieldwork_end=datetime.date(2018, 6, 1)
        )


def test_database_refuses_an_organisation_closing_before_it_opened():
    with refused(), transaction.atomic():
        OrganisationFactory(
            active_from=datetime.date(2014, 6, 1), active_to=datetime.date(2014, 1, 1)
        )


def test_database_refuses_a_programme_ending_before_it_starts():
    with refused(), transaction.atomic():
        ProgrammeFactory(start=datetime.date(2018, 4, 1), end=datetime.date(2016, 4, 1))


def test_database_refuses_two_themes_with_one_code_in_a_programme():
    theme = ThemeFactory(code="2.1")
    with refused(), transaction.atomic():
        ThemeFactory(programme=theme.programme, code="2.1")
    assert ThemeFactory(code="2.1").pk  # another programme may reuse the code


@pytest.mark.parametrize("slug", ["compare", "feed", "organisations", "data"])
def test_database_refuses_inspection_slugs_that_are_site_pages(slug):
    with refused(), transaction.atomic():
        InspectionFactory(slug=slug)


def test_month_precision_dates_are_stored_as_the_first_of_the_month():
    inspection = InspectionFactory(
        published_on=datetime.date(2016, 8, 23), date_precision=DatePrecision.MONTH
    )
    inspection.refresh_from_db()
    assert inspection.published_on == datetime.date(2016, 8, 1)


def test_slug_is_made_from_the_title_when_empty():
    inspection = InspectionFactory(title="Probation work in Durham", slug="")
    assert inspection.slug == "probation-work-in-durham"


def test_absolute_urls_use_the_named_routes():
    inspection = InspectionFactory(slug="durham-2016")
    organisation = OrganisationFactory(slug="dtv-crc")
    assert inspection.get_absolute_url() == "/inspections/durham-2016/"
    assert organisation.get_absolute_url() == "/inspections/organisations/dtv-crc/"


def test_theme_and_measure_labels_lead_with_a_standard_number():
    assert ThemeFactory.build(code="2.1", name="Assessment").label == "2.1 Assessment"
    assert ThemeFactory.build(code="caseloads", name="Caseloads").label == "Caseloads"
    assert MeasureFactory.build(code="1.1", name="Leadership").label == "1.1 Leadership"
    assert MeasureFactory.build(code="", name="Posts vacant").label == "Posts vacant"


def test_rating_levels_name_their_scale_so_the_same_word_is_told_apart():
    level = RatingLevelFactory(label="Good", scale=RatingScaleFactory(name="Healthy prison test"))
    assert str(level) == "Good (Healthy prison test)"


def test_holds_a_2016_area_inspection_with_two_organisations_side_by_side():
    inspection = InspectionFactory(title="Quality & Impact: Durham")
    crc = OrganisationFactory(kind=Organisation.Kind.CRC)
    nps = OrganisationFactory(kind=Organisation.Kind.NPS_DIVISION)
    measure = MeasureFactory(name="Work to protect the public of sufficient quality")
    for organisation, value in [(crc, "55"), (nps, "71.5")]:
        InspectedOrganisationFactory(inspection=inspection, organisation=organisation)
        ScoreFactory(
            inspection=inspection,
            organisation=organisation,
            measure=measure,
            percentage=Decimal(value),
        )
    FindingFactory(inspection=inspection, organisation=None, text="Joint working was strained.")

    assert set(inspection.organisations.all()) == {crc, nps}
    assert inspection.findings.get().organisation is None
    assert sorted(s.percentage for s in inspection.scores.all()) == [55, Decimal("71.5")]


def test_holds_a_2018_inspection_with_an_overall_rating_and_rated_standards():
    levels = four_point_scale()
    programme = ProgrammeFactory(rating_scale=levels["Good"].scale)
    inspection = InspectionFactory(programme=programme)
    crc = OrganisationFactory()
    InspectedOrganisationFactory(
        inspection=inspection, organisation=crc, overall_rating=levels["Requires improvement"]
    )
    leadership = MeasureFactory(code="1.1", name="Leadership", programme=programme)
    ScoreFactory(
        inspection=inspection,
        organisation=crc,
        measure=leadership,
        percentage=None,
        rating=levels["Good"],
    )
    row = inspection.inspected.get()
    assert row.overall_rating.label == "Requires improvement"
    assert inspection.scores.get().rating.rank == 3


def test_overall_rating_must_come_from_the_programmes_scale():
    levels = four_point_scale()
    programme = ProgrammeFactory(rating_scale=levels["Good"].scale)
    stranger = RatingLevelFactory(label="Reasonably good")
    row = InspectedOrganisationFactory(
        inspection=InspectionFactory(programme=programme), overall_rating=stranger
    )
    with pytest.raises(ValidationError):
        row.full_clean()
    row.overall_rating = levels["Good"]
    row.full_clean()


def test_finding_theme_must_belong_to_the_inspections_programme():
    inspection = InspectionFactory(programme=ProgrammeFactory())
    finding = FindingFactory(inspection=inspection, theme=ThemeFactory())
    with pytest.raises(ValidationError):
        finding.full_clean()
    finding.theme = ThemeFactory(programme=inspection.programme)
    finding.full_clean()


def test_listing_queryset_filters_combine():
    levels = four_point_scale()
    good_crc = InspectionFactory(published_on=datetime.date(2019, 3, 1))
    InspectedOrganisationFactory(inspection=good_crc, overall_rating=levels["Good"])
    good_nps = InspectionFactory(published_on=datetime.date(2019, 5, 1))
    InspectedOrganisationFactory(
        inspection=good_nps,
        overall_rating=levels["Good"],
        organisation=OrganisationFactory(kind=Organisation.Kind.NPS_DIVISION),
    )
    older = InspectionFactory(published_on=datetime.date(2016, 8, 1))
    InspectedOrganisationFactory(inspection=older)

    inspections = Inspection.objects.all()
    assert set(inspections.published_in(2019)) == {good_crc, good_nps}
    assert set(inspections.covering(rating="good")) == {good_crc, good_nps}
    assert set(inspections.covering(rating=str(levels["Good"].pk))) == {good_crc, good_nps}
    assert set(inspections.covering(kind="crc", rating="good")) == {good_crc}
    assert set(inspections.covering(kind="crc").published_in(2016)) == {older}
    assert list(inspections.newest_first()) == [good_nps, good_crc, older]


def test_tagged_accepts_a_tag_or_a_slug():
    tagged = InspectionFactory(tags=["Transforming Rehabilitation"])
    InspectionFactory(tags=["prisons"])
    tag = tagged.tags.get()
    assert list(Inspection.objects.tagged(tag)) == [tagged]
    assert list(Inspection.objects.tagged("transforming-rehabilitation")) == [tagged]


def test_filter_options_list_what_occurs_in_one_query(django_assert_num_queries):
    levels = four_point_scale(InspectorateFactory(slug="hmi-probation", short_name="HMI Probation"))
    rated = InspectionFactory(
        inspectorate=levels["Good"].scale.inspectorate, published_on=datetime.date(2019, 2, 22)
    )
    InspectedOrganisationFactory(inspection=rated, overall_rating=levels["Good"])
    InspectionFactory(published_on=datetime.date(2016, 8, 1))  # no organisations at all

    with django_assert_num_queries(1):
        options = Inspection.objects.filter_options()

    assert ("hmi-probation", "HMI Probation") in options["inspectorates"]
    assert len(options["inspectorates"]) == 2
    assert options["years"] == [2019, 2016]
    assert options["ratings"] == [("good", "Good")]
