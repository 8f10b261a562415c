import datetime
from decimal import Decimal

import factory
from django.utils import timezone

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


class InspectorateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspectorate
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"HM Inspectorate number {n}")
    slug = factory.Sequence(lambda n: f"inspectorate-{n}")
    short_name = factory.Sequence(lambda n: f"HMI {n}")
    website = "https://www.justiceinspectorates.gov.uk/"


class RatingScaleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatingScale
        django_get_or_create = ["slug"]

    inspectorate = factory.SubFactory(InspectorateFactory)
    name = factory.Sequence(lambda n: f"Rating scale {n}")
    slug = factory.Sequence(lambda n: f"scale-{n}")


class RatingLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RatingLevel

    scale = factory.SubFactory(RatingScaleFactory)
    label = factory.Sequence(lambda n: f"Level {n}")
    rank = factory.Sequence(lambda n: n + 1)
    tone = RatingLevel.Tone.NEUTRAL


def four_point_scale(inspectorate=None) -> dict[str, RatingLevel]:
    """HMI Probation's four words, as data (templates never spell them out)."""
    scale = RatingScaleFactory(inspectorate=inspectorate or InspectorateFactory())
    words = [
        ("Inadequate", RatingLevel.Tone.NEGATIVE),
        ("Requires improvement", RatingLevel.Tone.MIDDLING),
        ("Good", RatingLevel.Tone.POSITIVE),
        ("Outstanding", RatingLevel.Tone.POSITIVE),
    ]
    return {
        label: RatingLevelFactory(scale=scale, label=label, rank=rank, points=rank - 1, tone=tone)
        for rank, (label, tone) in enumerate(words, start=1)
    }


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["slug"]

    inspectorate = factory.SubFactory(InspectorateFactory)
    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    programme = factory.SubFactory(ProgrammeFactory)
    code = factory.Sequence(lambda n: f"theme_{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Operator {n}")
    slug = factory.Sequence(lambda n: f"operator-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Community Rehabilitation Company {n}")
    short_name = factory.Sequence(lambda n: f"CRC {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.CRC
    operator = factory.SubFactory(OperatorFactory)
    area = "London"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Work of sufficient quality, measure {n}")
    slug = factory.Sequence(lambda n: f"measure-{n}")


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Inspection of probation work, number {n}")
    slug = factory.Sequence(lambda n: f"inspection-{n}")
    inspectorate = factory.SubFactory(InspectorateFactory)
    area = "North London"
    published_on = datetime.date(2016, 12, 14)
    summary = "Work was well below the expected standard."
    status = Inspection.Status.PUBLISHED
    live_at = datetime.datetime(2016, 12, 14, 9, 30, tzinfo=datetime.UTC)

    class Params:
        draft = factory.Trait(status=Inspection.Status.DRAFT, live_at=None)
        in_review = factory.Trait(status=Inspection.Status.REVIEW, live_at=None)
        scheduled = factory.Trait(
            status=Inspection.Status.PUBLISHED,
            live_at=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3)),
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


class InspectedOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectedOrganisation

    inspection = factory.SubFactory(InspectionFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    polarity = Finding.Polarity.CONCERN
    text = factory.Sequence(lambda n: f"Finding number {n}: caseloads were too high.")
    order = factory.Sequence(lambda n: n)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    inspection = factory.SubFactory(InspectionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    measure = factory.SubFactory(MeasureFactory)
    percentage = Decimal("50")


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    inspection = factory.SubFactory(InspectionFactory)
    text = factory.Sequence(lambda n: f"Recommendation {n}: reduce caseloads.")

    @factory.post_generation
    def addressed_to(self, create, extracted, **kwargs):
        if create and extracted:
            self.addressed_to.set(extracted)


def two_era_dataset() -> dict:
    """HMI Probation's two eras — 2016 area inspections scored in percentages, 2019 single
    inspections rated on the four-point scale — plus a prison, with awkward text throughout."""
    hmip = InspectorateFactory(
        slug="hmi-probation", name="HM Inspectorate of Probation", short_name="HMI Probation"
    )
    levels = four_point_scale(hmip)
    quality = ProgrammeFactory(
        slug="hmip-qi-2016", name="Quality & Impact inspections", inspectorate=hmip
    )
    standards = ProgrammeFactory(
        slug="hmip-standards-2018",
        name="Inspection standards (2018)",
        inspectorate=hmip,
        rating_scale=levels["Good"].scale,
    )
    crc = OrganisationFactory(
        slug="london-crc",
        name="London Community Rehabilitation Company",
        short_name="London CRC",
        operator=OperatorFactory(slug="mtcnovo", name="MTCnovo"),
        area="London",
        active_from=datetime.date(2014, 6, 1),
        active_to=datetime.date(2021, 6, 25),
    )
    nps = OrganisationFactory(
        slug="nps-london",
        name="National Probation Service – London division",
        short_name="NPS London",
        kind=Organisation.Kind.NPS_DIVISION,
        operator=None,
    )

    area = InspectionFactory(
        slug="north-london-2016",
        title="Quality & Impact inspection: probation work in the north of London",
        inspectorate=hmip,
        programme=quality,
        area="North London, “Barnet”, Enfield",
        published_on=datetime.date(2016, 12, 14),
        fieldwork_note="two weeks of fieldwork",
        report_url="https://www.justiceinspectorates.gov.uk/hmiprobation/report.pdf",
        summary='Work was "well below" the expected standard;\nsome people went unseen.',
        quote="lost in the system",
        quote_attribution="Dame Glenys Stacey, HM Chief Inspector of Probation",
        tags=["probation", "London", "Transforming Rehabilitation"],
    )
    InspectedOrganisationFactory(
        inspection=area, organisation=crc, order=0, caseload=29000, caseload_note="about 29,000"
    )
    InspectedOrganisationFactory(inspection=area, organisation=nps, order=1)
    protect = ThemeFactory(
        programme=quality, code="protecting_the_public", name="Protecting the public", order=10
    )
    caseloads = ThemeFactory(programme=quality, code="caseloads", name="Caseloads; staffing")
    FindingFactory(
        inspection=area,
        order=0,
        organisation=crc,
        theme=caseloads,
        text="Some caseloads were unmanageable, at 200 or more.",
    ).tags.add("caseloads", "CRC")
    FindingFactory(
        inspection=area, order=1, organisation=crc, theme=protect, text="Risks were missed."
    )
    FindingFactory(
        inspection=area,
        order=2,
        organisation=nps,
        theme=protect,
        polarity=Finding.Polarity.STRENGTH,
        text="Public protection work was acceptable.",
    )
    FindingFactory(
        inspection=area,
        order=3,
        organisation=None,
        polarity=Finding.Polarity.MIXED,
        text="Court allocation between the two was strained.",
    )
    protect_measure = MeasureFactory(
        slug="protect-the-public",
        name="Work to protect the public of sufficient quality",
        programme=quality,
        order=1000,
    )
    unseen = MeasureFactory(slug="people-unseen", name="People unseen for weeks", order=1001)
    ScoreFactory(inspection=area, organisation=crc, measure=protect_measure, percentage=40)
    ScoreFactory(
        inspection=area,
        organisation=nps,
        measure=protect_measure,
        percentage=Decimal("70.5"),
        approximate=True,
        note="“about” seven in ten",
    )
    ScoreFactory(inspection=area, organisation=crc, measure=unseen, percentage=None, count=12)

    single = InspectionFactory(
        slug="london-crc-2019",
        title="An inspection of London Community Rehabilitation Company",
        inspectorate=hmip,
        programme=standards,
        area="London",
        published_on=datetime.date(2019, 6, 1),
        date_precision=DatePrecision.MONTH,
        fieldwork_start=datetime.date(2019, 1, 7),
        fieldwork_end=datetime.date(2019, 1, 18),
        summary="",
        follows=area,
        tags=["CRC", "probation"],
    )
    InspectedOrganisationFactory(
        inspection=single, organisation=crc, overall_rating=levels["Requires improvement"]
    )
    assessment = ThemeFactory(programme=standards, code="2.1", name="Assessment", order=21)
    FindingFactory(
        inspection=single,
        order=0,
        organisation=crc,
        theme=assessment,
        text="Assessments missed domestic abuse.",
    )
    FindingFactory(
        inspection=single,
        order=1,
        organisation=crc,
        polarity=Finding.Polarity.CONTEXT,
        text="Staff turnover was high.",
    )
    for code, order, level in [("1.1", 11, "Good"), ("1.2", 12, "Requires improvement")]:
        ScoreFactory(
            inspection=single,
            organisation=crc,
            measure=MeasureFactory(
                slug=f"hmip-standards-2018-{code.replace('.', '')}",
                code=code,
                name=f"Standard {code}",
                programme=standards,
                order=order,
            ),
            percentage=None,
            rating=levels[level],
        )
    ScoreFactory(
        inspection=single,
        organisation=crc,
        measure=MeasureFactory(
            slug="hmip-standards-2018-21", code="2.1", name="Assessment", order=21
        ),
        percentage=Decimal("33.33"),
        rating=levels["Inadequate"],
    )

    prisons = InspectorateFactory(slug="hmi-prisons", name="HM Inspectorate of Prisons")
    prison = InspectionFactory(
        slug="hmp-somewhere-2019",
        title="Report on an unannounced inspection of HMP Somewhere",
        inspectorate=prisons,
        published_on=datetime.date(2019, 3, 5),
        summary="",
    )
    hmp = OrganisationFactory(
        slug="hmp-somewhere", name="HMP Somewhere", kind=Organisation.Kind.PRISON, operator=None
    )
    InspectedOrganisationFactory(inspection=prison, organisation=hmp)
    FindingFactory(
        inspection=prison,
        order=5,
        organisation=hmp,
        theme=ThemeFactory(programme=None, code="context", name="Context"),
        polarity=Finding.Polarity.CONTEXT,
        text="Built in 1850.",
    )
    RecommendationFactory(
        inspection=area,
        order=0,
        text="Reduce caseloads to a level where people are seen; report back “quarterly”.",
        addressed_to=[nps, crc],
        addressed_to_other="Ministry of Justice",
        note="Accepted in part.",
    )
    RecommendationFactory(inspection=single, order=0, text="Assess domestic abuse risk.")
    return {"area": area, "single": single, "prison": prison, "crc": crc, "levels": levels}
