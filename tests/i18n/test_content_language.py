"""Content keeps the language it was written in, whatever the interface's language."""

import re

import pytest
from django.test import Client

from tests.factories import ArticleFactory
from tests.inspections.factories import FindingFactory, InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def page(path: str, language: str) -> str:
    client = Client()
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def element(html: str, css_class: str) -> str:
    return re.search(rf'<[a-z0-9]+ class="{css_class}"[^>]*>', html).group(0)


def test_an_english_article_is_marked_english_inside_the_welsh_interface():
    article = ArticleFactory(published=True, language="en-gb", title="Caseloads doubled")
    html = page(article.get_absolute_url(), "cy")
    assert '<html lang="cy">' in html
    for css_class in ["article__title", "article__standfirst", "prose"]:
        assert 'lang="en-GB"' in element(html, css_class), css_class
    assert '<h1 class="article__title" lang="en-GB">Caseloads doubled</h1>' in html


def test_a_welsh_article_is_marked_welsh_inside_the_english_interface():
    article = ArticleFactory(published=True, language="cy", title="Llwythi achosion")
    html = page(article.get_absolute_url(), "en-gb")
    assert '<h1 class="article__title" lang="cy">Llwythi achosion</h1>' in html
    assert 'lang="cy"' in element(html, "prose")


@pytest.mark.parametrize(
    ("language", "interface"), [("cy", "cy"), ("en-gb", "en-gb"), ("", "en-gb")]
)
def test_content_in_the_interface_language_needs_no_mark(language, interface):
    article = ArticleFactory(published=True, language=language)
    html = page(article.get_absolute_url(), interface)
    assert "lang=" not in element(html, "article__title")
    assert "lang=" not in element(html, "prose")


def test_listings_mark_each_card_in_its_own_language():
    ArticleFactory(published=True, language="cy", title="Erthygl Gymraeg")
    ArticleFactory(published=True, language="en-gb", title="An English article")
    ArticleFactory(published=True, language="", title="Written in the site language")
    html = page("/", "cy")
    titles = {
        title: attributes
        for attributes, title in re.findall(
            r'<h2 class="card__title"([^>]*)><a [^>]*>([^<]*)</a>', html
        )
    }
    assert titles == {
        "Erthygl Gymraeg": "",
        "An English article": ' lang="en-GB"',
        "Written in the site language": ' lang="en-GB"',  # blank: the site's language
    }


def test_the_print_view_keeps_the_article_language():
    article = ArticleFactory(published=True, language="cy", title="Llwythi achosion")
    html = page(f"{article.get_absolute_url()}print/", "en-gb")
    assert '<h1 lang="cy">Llwythi achosion</h1>' in html


def test_an_english_inspection_is_marked_english_inside_the_welsh_interface():
    inspection = InspectionFactory(
        language="en-gb", title="Probation in Kent", summary="Work was good.", quote="Well done."
    )
    FindingFactory(inspection=inspection, organisation=None, text="Caseloads were high.")
    RecommendationFactory(inspection=inspection, text="Cut caseloads.")
    html = page(inspection.get_absolute_url(), "cy")
    assert '<h1 class="article__title" lang="en-GB">Probation in Kent</h1>' in html
    assert '<p class="article__standfirst" lang="en-GB">Work was good.</p>' in html
    assert '<figure class="pull-quote" lang="en-GB">' in html
    assert '<p class="finding__text" lang="en-GB">Caseloads were high.</p>' in html
    assert '<p lang="en-GB">Cut caseloads.</p>' in html
    # The interface around it stays Welsh and unmarked.
    assert '<h2 id="findings-title">Yr hyn a ganfu\'r arolygwyr</h2>' in html


def test_a_welsh_inspection_is_marked_welsh_in_the_english_interface_and_its_listing():
    inspection = InspectionFactory(language="cy", title="Arolygiad o waith prawf")
    FindingFactory(
        inspection=inspection, organisation=None, text="Roedd llwythi achosion yn uchel."
    )
    html = page(inspection.get_absolute_url(), "en-gb")
    assert '<h1 class="article__title" lang="cy">Arolygiad o waith prawf</h1>' in html
    assert '<p class="finding__text" lang="cy">Roedd llwythi achosion yn uchel.</p>' in html
    listing = page("/inspections/", "en-gb")
    assert '<h2 class="card__title" lang="cy">' in listing
    assert '<h2 class="card__title"><a' in page("/inspections/", "cy")


def test_an_inspection_without_a_language_is_in_the_sites_language():
    inspection = InspectionFactory(language="", title="Probation in Kent")
    FindingFactory(inspection=inspection, organisation=None)
    html = page(inspection.get_absolute_url(), "cy")
    assert '<h1 class="article__title" lang="en-GB">Probation in Kent</h1>' in html
    assert 'class="finding__text" lang="en-GB">' in html
    html = page(inspection.get_absolute_url(), "en-gb")
    assert '<h1 class="article__title">Probation in Kent</h1>' in html


def test_search_results_keep_the_language_of_what_they_found(on_commit):
    with on_commit():
        ArticleFactory(published=True, language="cy", title="Llwythi achosion prawf")
        ArticleFactory(published=True, language="", title="Probation caseloads")
        inspection = InspectionFactory(language="cy", title="Arolygiad prawf Caerdydd")
        FindingFactory(
            inspection=inspection, organisation=None, text="Llwythi achosion prawf uchel"
        )
    html = page("/search/?q=prawf", "en-gb")
    assert re.search(r'<h2 class="search-result__title" lang="cy"><a [^>]*>Llwythi', html)
    assert re.search(r'<h2 class="search-result__title" lang="cy"><a [^>]*>Arolygiad', html)
    assert html.count('class="search-result__snippet" lang="cy"') >= 1
    html = page("/search/?q=caseloads", "cy")
    assert re.search(
        r'<h2 class="search-result__title" lang="en-GB"><a [^>]*>Probation caseloads', html
    )
