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


@pytest.mark.parametrize(
    "path, title",
    [
        ("/", "Oversight"),
        ("/articles/", "All articles"),
        ("/resources/", "Resource packs"),
        ("/inspections/", "Inspections"),
        ("/inspections/data/", "Open data"),
        ("/about-us/", "About us"),
    ],
)
def test_home_listings_the_data_page_and_flat_pages_have_social_metadata(client, path, title):
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site

    FlatPage.objects.create(
        url="/about-us/", title="About us", content="<p>Who we are.</p>"
    ).sites.add(Site.objects.get_current())
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    url = f"https://oversight.example{path}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:title" content="{title}">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_a_later_page_of_a_listing_is_its_own_canonical_page(client):
    from tests.factories import ArticleFactory

    ArticleFactory.create_batch(11, published=True)
    html = client.get("/articles/", {"page": 2}).content.decode()
    assert '<link rel="canonical" href="https://oversight.example/articles/?page=2">' in html
