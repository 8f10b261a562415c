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


def test_sitemap_lists_the_hubs_with_the_date_of_their_newest_content(client):
    from tests.inspections.factories import InspectionFactory

    article = ArticleFactory(published=True)
    inspection = InspectionFactory()
    pack = ResourcePackFactory()
    tree = ET.fromstring(client.get("/sitemap.xml").content)
    lastmods = {
        url.find(f"{NS}loc").text: url.find(f"{NS}lastmod").text for url in tree.iter(f"{NS}url")
    }
    base = "https://oversight.example"
    newest_article = max(article.published_at, article.updated_at).date().isoformat()
    assert lastmods[f"{base}/"].startswith(newest_article)
    assert lastmods[f"{base}/articles/"].startswith(newest_article)
    assert lastmods[f"{base}/resources/"].startswith(pack.updated_at.date().isoformat())
    assert lastmods[f"{base}/inspections/"].startswith(inspection.updated_at.date().isoformat())
    assert f"{base}/inspections/data/" in lastmods


def test_past_the_url_limit_the_sitemap_becomes_an_index_of_sections(client, monkeypatch):
    from core import sitemaps

    monkeypatch.setattr(sitemaps, "MAX_SITEMAP_URLS", 2)
    for _ in range(3):
        ArticleFactory(published=True)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{NS}sitemapindex"
    locations = [loc.text for loc in index.iter(f"{NS}loc")]
    assert "https://oversight.example/sitemap-articles.xml" in locations
    assert "https://oversight.example/sitemap-articles.xml?p=2" in locations
    page = ET.fromstring(client.get("/sitemap-articles.xml?p=2").content)
    assert len(list(page.iter(f"{NS}url"))) == 1
