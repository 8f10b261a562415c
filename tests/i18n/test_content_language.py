"""Content keeps the language it was written in, whatever the interface's language."""

import re

import pytest
from django.test import Client

from tests.factories import ArticleFactory

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


@pytest.mark.parametrize(("language", "interface"), [("cy", "cy"), ("en-gb", "en-gb"), ("", "cy")])
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
        "Written in the site language": "",
    }


def test_the_print_view_keeps_the_article_language():
    article = ArticleFactory(published=True, language="cy", title="Llwythi achosion")
    html = page(f"{article.get_absolute_url()}print/", "en-gb")
    assert '<h1 lang="cy">Llwythi achosion</h1>' in html
