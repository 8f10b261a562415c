import datetime
from decimal import Decimal

import factory

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
