import pytest

from tests.factories import ArticleFactory
from tests.inspections.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def test_article_page_lists_the_inspections_it_discusses(client):
    inspection = InspectionFactory(title="North of London inspection")
    article = ArticleFactory(published=True)
    article.related_inspections.add(inspection)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "The inspections behind this article" in html
    assert f'href="{inspection.get_absolute_url()}"' in html


def test_inspection_page_lists_only_published_articles_about_it(client):
    inspection = InspectionFactory()
    live = ArticleFactory(published=True, title="Live analysis")
    draft = ArticleFactory(title="Draft analysis")
    scheduled = ArticleFactory(scheduled=True, title="Scheduled analysis")
    for article in (live, draft, scheduled):
        article.related_inspections.add(inspection)

    html = client.get(inspection.get_absolute_url()).content.decode()

    assert "Live analysis" in html
    assert "Draft analysis" not in html and "Scheduled analysis" not in html


def test_tag_page_lists_inspections_with_the_tag(client):
    inspection = InspectionFactory(title="Durham area inspection")
    inspection.tags.add("probation")
    InspectionFactory(title="Untagged inspection")
    ArticleFactory(published=True, tags=["probation"])

    html = client.get("/tags/probation/").content.decode()

    assert "Durham area inspection" in html
    assert "Untagged inspection" not in html


def test_tag_with_only_inspections_still_has_a_page(client):
    inspection = InspectionFactory(title="Only an inspection")
    inspection.tags.add("prisons")
    response = client.get("/tags/prisons/")
    assert response.status_code == 200
    assert "Only an inspection" in response.content.decode()
