import pytest
from django.core.cache import cache

from tests.factories import ArticleFactory
from tests.inspections.factories import FindingFactory, InspectionFactory

pytestmark = pytest.mark.django_db


def test_search_finds_articles_inspections_and_findings(client):
    ArticleFactory(published=True, title="Caseloads in London", body="<p>Too many cases.</p>")
    ArticleFactory(title="Caseloads draft")
    inspection = InspectionFactory(title="Probation in London", summary="Caseloads were high.")
    FindingFactory(inspection=inspection, text="Caseloads varied widely between officers.")
    InspectionFactory(title="Prisons in Kent", summary="Nothing relevant.")

    html = client.get("/search/", {"q": "caseloads"}).content.decode()

    assert "Caseloads in London" in html
    assert "Caseloads draft" not in html
    assert "Probation in London" in html
    assert "Caseloads varied widely between officers." in html
    assert "Prisons in Kent" not in html


def test_every_word_must_match(client):
    ArticleFactory(published=True, title="Caseloads in London")
    ArticleFactory(published=True, title="Caseloads in Durham")
    html = client.get("/search/", {"q": "caseloads durham"}).content.decode()
    assert "Caseloads in Durham" in html and "Caseloads in London" not in html


def test_an_empty_search_shows_the_form_without_results(client):
    for query in ["", "   "]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert 'name="q"' in response.content.decode()
        assert "Nothing matches" not in response.content.decode()


def test_a_punctuation_only_search_matches_nothing_and_says_so(client):
    ArticleFactory(published=True, title="Caseloads!!!")
    for query in ["!!!", "<>"]:
        response = client.get("/search/", {"q": query})
        assert response.status_code == 200
        assert "Nothing matches" in response.content.decode()


def test_a_search_with_no_match_says_so(client):
    html = client.get("/search/", {"q": "zebra"}).content.decode()
    assert "Nothing matches “zebra”" in html


def test_an_overlong_search_is_a_400_with_a_message(client):
    response = client.get("/search/", {"q": "x" * 500})
    assert response.status_code == 400
    assert "too long" in response.content.decode()


def test_search_query_is_escaped_in_the_page(client):
    html = client.get("/search/", {"q": '<script>alert("x")</script>'}).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_search_uses_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    def add(n):
        for i in range(n):
            inspection = InspectionFactory(title=f"Caseloads report {i}")
            FindingFactory(inspection=inspection, text="Caseloads were high.")
            ArticleFactory(published=True, title=f"Caseloads {i}", tags=["a", f"t{i}"])

    add(1)
    with django_assert_max_num_queries(6) as one:
        response = client.get("/search/", {"q": "caseloads"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Caseloads report 0" in html and "Caseloads 0" in html
    add(10)
    cache.clear()
    with django_assert_max_num_queries(6) as many:
        response = client.get("/search/", {"q": "caseloads"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Caseloads report 9" in html and "Caseloads 9" in html
    assert len(one.captured_queries) == len(many.captured_queries)


@pytest.mark.postgres
def test_postgres_search_ranks_title_matches_first_and_stems_words(client):
    ArticleFactory(published=True, title="Body only", body="<p>inspection of caseloads</p>")
    ArticleFactory(published=True, title="Caseload pressures", body="<p>Other words.</p>")
    html = client.get("/search/", {"q": "caseloads"}).content.decode()
    assert html.index("Caseload pressures") < html.index("Body only")
