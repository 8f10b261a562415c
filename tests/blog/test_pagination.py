import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_page_two_links_back_to_the_listing_itself_not_page_one(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    for n in range(2):
        ArticleFactory(published=True, title=f"Listed {n}")
    response = client.get("/?page=2")
    assert response.status_code == 200 and "Listed 0" in response.content.decode()
    html = response.content.decode()
    assert 'rel="prev" href="/"' in html and "page=1" not in html


def test_filtered_listings_keep_their_filters_on_the_way_back_to_page_one(client, monkeypatch):
    from inspections import views
    from tests.inspections.factories import InspectionFactory

    monkeypatch.setattr(views, "INSPECTIONS_PER_PAGE", 1)
    for n in range(2):
        InspectionFactory(title=f"Inspected {n}")
    html = client.get("/inspections/?year=2016&page=2").content.decode()
    assert 'rel="prev" href="/inspections/?year=2016"' in html
