import pytest

from tests.factories import ResourcePackFactory
from tests.inspections.factories import InspectedOrganisationFactory

pytestmark = pytest.mark.django_db


def test_resource_packs_and_organisations_have_canonical_and_social_metadata(client):
    pack = ResourcePackFactory(title="Transforming Rehabilitation", promo_text="Every development.")
    organisation = InspectedOrganisationFactory().organisation
    for obj, title in [(pack, pack.title), (organisation, organisation.name)]:
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 200
        html = response.content.decode()
        url = f"https://oversight.example{obj.get_absolute_url()}"
        assert f'<link rel="canonical" href="{url}">' in html
        assert f'<meta property="og:title" content="{title}">' in html
        assert f'<meta property="og:url" content="{url}">' in html
        assert '<meta name="twitter:card"' in html
