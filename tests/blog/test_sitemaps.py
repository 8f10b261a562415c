import xml.etree.ElementTree as ET

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from tests.factories import ArticleFactory, AuthorProfileFactory, ResourcePackFactory

pytestmark = pytest.mark.django_db
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lists_public_articles_tags_categories_authors_packs_and_pages(client):
    profile = AuthorProfileFactory(user__username="ruth")
    article = ArticleFactory(published=True, author=profile.user, tags=["probation"])
    ArticleFactory(slug="hidden-draft", tags=["secret-tag"])
    pack = ResourcePackFactory()
    page = FlatPage.objects.create(url="/about/", title="About", content="x")
    page.sites.add(Site.objects.get_current())

    response = client.get("/sitemap.xml")
    locations = {loc.text for loc in ET.fromstring(response.content).iter(f"{NS}loc")}

    base = "https://oversight.example"
    assert f"{base}{article.get_absolute_url()}" in locations
    assert f"{base}/tags/probation/" in locations
    assert f"{base}{article.category.get_absolute_url()}" in locations
    assert f"{base}/authors/ruth/" in locations
    assert f"{base}{pack.get_absolute_url()}" in locations
    assert f"{base}/about/" in locations
    assert not any("hidden-draft" in loc or "secret-tag" in loc for loc in locations)


def test_sitemap_includes_inspection_pages(client):
    from tests.inspections.factories import InspectionFactory

    inspection = InspectionFactory(slug="durham-2016")
    body = client.get("/sitemap.xml").content.decode()
    assert f"https://oversight.example{inspection.get_absolute_url()}" in body
