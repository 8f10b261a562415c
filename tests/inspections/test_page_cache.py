import pytest

from tests.inspections.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def test_editing_an_inspection_shows_on_its_cached_page_and_the_list(client, settings, on_commit):
    settings.PAGE_CACHE = True
    inspection = InspectionFactory(title="Probation in North London")
    url = inspection.get_absolute_url()
    for address in (url, "/inspections/"):
        client.get(address)
        assert client.get(address)["X-Page-Cache"] == "hit"
    with on_commit():
        inspection.title = "Probation in Camden"
        inspection.save()
    for address in (url, "/inspections/"):
        response = client.get(address)
        assert response.status_code == 200 and "Probation in Camden" in response.content.decode()
