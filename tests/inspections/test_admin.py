import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from inspections import models
from tests.inspections.factories import (
    FindingFactory,
    InspectedOrganisationFactory,
    InspectionFactory,
    OrganisationFactory,
    ProgrammeFactory,
    RecommendationFactory,
    ScoreFactory,
    four_point_scale,
)

pytestmark = pytest.mark.django_db

MODELS = [
    models.Inspectorate,
    models.RatingScale,
    models.RatingLevel,
    models.Programme,
    models.Theme,
    models.Measure,
    models.Operator,
    models.Organisation,
    models.Inspection,
    models.InspectedOrganisation,
    models.Finding,
    models.Score,
    models.Recommendation,
]


@pytest.fixture
def editor_client(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def test_every_model_is_registered():
    for model in MODELS:
        assert admin.site.is_registered(model), model


def test_inspection_admin_edits_everything_inline_with_organisation_autocomplete():
    inspection_admin = admin.site._registry[models.Inspection]
    inlines = {inline.model for inline in inspection_admin.inlines}
    assert inlines == {
        models.InspectedOrganisation,
        models.Finding,
        models.Score,
        models.Recommendation,
    }
    for inline in inspection_admin.inlines:
        if inline.model is models.Finding:  # its own short lists, see test_admin_desk.py
            continue
        fields = inline.autocomplete_fields
        assert "organisation" in fields or "addressed_to" in fields
    assert admin.site._registry[models.Organisation].search_fields


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_change_list_and_add_form_opens(editor_client, model):
    inspection = InspectionFactory()
    organisation = OrganisationFactory()
    InspectedOrganisationFactory(inspection=inspection, organisation=organisation)
    FindingFactory(inspection=inspection, organisation=organisation)
    ScoreFactory(inspection=inspection, organisation=organisation)
    RecommendationFactory(inspection=inspection, addressed_to=[organisation])
    four_point_scale()
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert editor_client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert editor_client.get(reverse(f"{prefix}_add")).status_code == 200


def test_inspection_change_form_opens_with_its_inlines(editor_client):
    levels = four_point_scale()
    inspection = InspectionFactory(programme=ProgrammeFactory(rating_scale=levels["Good"].scale))
    row = InspectedOrganisationFactory(inspection=inspection, overall_rating=levels["Good"])
    FindingFactory(inspection=inspection, organisation=row.organisation)
    response = editor_client.get(
        reverse("admin:inspections_inspection_change", args=[inspection.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    for prefix in ["inspected-", "findings-", "scores-", "recommendations-"]:
        assert f'id="{prefix}group"' in html, prefix


def test_inspection_list_filters_by_year(editor_client):
    InspectionFactory(title="From 2016", published_on=datetime.date(2016, 8, 1))
    InspectionFactory(title="From 2019", published_on=datetime.date(2019, 8, 1))
    html = editor_client.get(reverse("admin:inspections_inspection_changelist") + "?year=2019")
    assert "From 2019" in html.content.decode() and "From 2016" not in html.content.decode()


@pytest.mark.parametrize(
    "model", [models.Inspection, models.Score, models.InspectedOrganisation, models.Finding]
)
def test_change_lists_use_a_fixed_number_of_queries(
    editor_client, django_assert_max_num_queries, model
):
    levels = four_point_scale()

    def add(count):
        for _ in range(count):
            inspection = InspectionFactory(programme=ProgrammeFactory())
            row = InspectedOrganisationFactory(inspection=inspection, overall_rating=levels["Good"])
            FindingFactory(inspection=inspection, organisation=row.organisation)
            ScoreFactory(
                inspection=inspection,
                organisation=row.organisation,
                percentage=None,
                rating=levels["Good"],
            )

    url = reverse(f"admin:inspections_{model._meta.model_name}_changelist")
    add(1)
    with django_assert_max_num_queries(20) as one:
        response = editor_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    add(10)
    with django_assert_max_num_queries(20) as eleven:
        response = editor_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 11
    assert len(response.context["cl"].result_list) == 11
    assert len(one.captured_queries) == len(eleven.captured_queries)
