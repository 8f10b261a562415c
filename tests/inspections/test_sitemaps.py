import pytest

from inspections.sitemaps import sitemaps
from tests.inspections.factories import (
    InspectedOrganisationFactory,
    InspectionFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def test_sitemap_sections_list_inspections_and_inspected_organisations_absolutely():
    row = InspectedOrganisationFactory(
        inspection=InspectionFactory(slug="durham-2016"), organisation__slug="dtv-crc"
    )
    OrganisationFactory(slug="never-inspected")

    urls = {
        name: [entry["location"] for entry in section().get_urls()]
        for name, section in sitemaps.items()
    }

    assert urls["inspections"] == ["https://oversight.example/inspections/durham-2016/"]
    assert urls["organisations"] == ["https://oversight.example/inspections/organisations/dtv-crc/"]
    assert row.inspection.updated_at
