import pytest

from tests.factories import ArticleFactory
from tests.inspections.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def public_urls():
    article = ArticleFactory(published=True, title="Caseloads")
    inspection = InspectionFactory()
    return [
        "/",
        article.get_absolute_url(),
        inspection.get_absolute_url(),
        "/inspections/",
        "/feed/",
        "/subscribe/",
        "/share/mastodon/?url=https%3A%2F%2Foversight.example%2Fx%2F&text=Caseloads",
    ]


def test_a_reader_without_a_session_gets_no_cookie_and_no_vary_cookie(client):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url
