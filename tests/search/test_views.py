import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection

from search import results
from tests.factories import ArticleFactory, AuthorProfileFactory, CategoryFactory
from tests.inspections.factories import (
    FindingFactory,
    InspectedOrganisationFactory,
    InspectionFactory,
    OrganisationFactory,
    RatingLevelFactory,
)

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    return re.findall(r'class="search-result__title"><a href="[^"]*">([^<]*)</a>', html)


def test_search_finds_public_articles_inspections_and_findings(indexed, search):
    with indexed():
        ArticleFactory(published=True, title="Caseloads in London", body="<p>Too many.</p>")
        inspection = InspectionFactory(title="Probation in London", summary="Caseloads were high.")
        FindingFactory(inspection=inspection, text="Caseloads varied widely between officers.")
        InspectionFactory(title="Prisons in Kent", summary="Nothing relevant.")

    html = search("caseloads")

    assert set(titles(html)) >= {"Caseloads in London", "Probation in London"}
    assert "<mark>Caseloads</mark> varied widely between officers" in html
    assert "Prisons in Kent" not in html
    assert "3 results for “caseloads”" in html


def test_drafts_never_appear(indexed, search):
    with indexed():
        ArticleFactory(title="Caseloads draft")
        ArticleFactory(title="Caseloads in review", status="review")
    assert "Caseloads" not in "".join(titles(search("caseloads")))


def test_a_scheduled_article_appears_only_once_its_time_comes(indexed, search, time_machine):
    with indexed():
        article = ArticleFactory(scheduled=True, title="Caseloads tomorrow")
    assert titles(search("caseloads")) == []
    time_machine.move_to(article.published_at)
    assert titles(search("caseloads")) == ["Caseloads tomorrow"]


def test_held_and_spam_comments_never_appear(indexed, search):
    from tests.comments.factories import CommentFactory

    with indexed():
        article = ArticleFactory(published=True, title="On staffing")
        CommentFactory(target=article, body="Zanzibarian caseloads are pending.")
        CommentFactory(target=article, body="Zanzibarian pills cheap", spam=True)
    html = search("zanzibarian")
    assert titles(html) == [] and "Zanzibarian" not in html.replace("“zanzibarian”", "")


def test_unpublishing_and_deleting_take_content_out(indexed, search):
    with indexed():
        unpublished = ArticleFactory(published=True, title="Caseloads one")
        deleted = ArticleFactory(published=True, title="Caseloads two")
    assert len(titles(search("caseloads"))) == 2
    with indexed():
        unpublished.status = "draft"
        unpublished.save()
        deleted.delete()
    assert titles(search("caseloads")) == []


def test_renaming_a_category_or_author_updates_their_articles(indexed, search):
    with indexed():
        category = CategoryFactory(name="Prisons")
        profile = AuthorProfileFactory(display_name="Jane Smith")
        ArticleFactory(published=True, title="On walls", category=category, author=profile.user)
    with indexed():
        category.name = "Probation"
        category.save()
        profile.display_name = "Joan Jones"
        profile.save()
    assert titles(search("probation")) == ["On walls"]
    assert titles(search("joan jones")) == ["On walls"]
    assert titles(search("prisons")) == []


def test_authors_tags_and_ratings_are_searchable(indexed, search):
    with indexed():
        profile = AuthorProfileFactory(display_name="Priya Raman")
        ArticleFactory(published=True, title="On staffing", author=profile.user, tags=["Youth"])
        inspected = InspectedOrganisationFactory(
            inspection=InspectionFactory(title="Inspection of Kent CRC"),
            organisation=OrganisationFactory(name="Kent CRC"),
            overall_rating=RatingLevelFactory(label="Requires improvement"),
        )
    assert titles(search("priya raman")) == ["On staffing"]
    assert titles(search("youth")) == ["On staffing"]
    assert titles(search("requires improvement")) == [inspected.inspection.title]


def test_words_match_whatever_their_ending(indexed, search):
    with indexed():
        ArticleFactory(published=True, title="Caseload pressures")
        ArticleFactory(published=True, title="Heavy caseloads")
    assert sorted(titles(search("caseload"))) == sorted(titles(search("caseloads")))
    assert len(titles(search("caseloads"))) == 2


def test_every_word_must_match(indexed, search):
    with indexed():
        ArticleFactory(published=True, title="Caseloads in London")
        ArticleFactory(published=True, title="Caseloads in Durham")
    assert titles(search("caseloads durham")) == ["Caseloads in Durham"]


def test_quotes_exclusions_and_or(indexed, search):
    with indexed():
        ArticleFactory(published=True, title="Domestic abuse work", body="<p>Risk.</p>")
        ArticleFactory(published=True, title="Abuse of domestic rules", body="<p>Risk.</p>")
        ArticleFactory(published=True, title="Risk in London")
    assert titles(search('"domestic abuse"')) == ["Domestic abuse work"]
    assert "Risk in London" not in titles(search("risk -london"))
    assert len(titles(search("risk -london"))) == 2
    assert sorted(titles(search("london or rules"))) == [
        "Abuse of domestic rules",
        "Risk in London",
    ]


def test_a_phrase_with_a_stop_word_inside_matches_in_order_only(indexed, search):
    with indexed():
        ArticleFactory(published=True, title="A breach of licence conditions")
        ArticleFactory(published=True, title="Licence terms of breach")
        ArticleFactory(published=True, title="Domestic abuse, abuse at home")
    assert titles(search('"breach of licence"')) == ["A breach of licence conditions"]
    assert titles(search('"abuse domestic"')) == []
    assert titles(search('"domestic abuse" "abuse at home"')) == ["Domestic abuse, abuse at home"]


def test_an_exact_title_match_comes_first(indexed, search):
    with indexed():
        for n in range(3):
            ArticleFactory(
                published=True,
                title=f"Merseyside and Merseyside again {n}",
                standfirst="Merseyside, Merseyside.",
                body="<p>Merseyside Merseyside Merseyside.</p>",
            )
        ArticleFactory(published=True, title="Merseyside", body="<p>Other words.</p>")
    assert titles(search("merseyside"))[0] == "Merseyside"


def test_a_stored_script_never_comes_through_the_highlight(indexed, search):
    # Sanitised HTML keeps the text "<script>" as entities; the index holds the text itself.
    with indexed():
        ArticleFactory(
            published=True,
            title="On reports",
            body="<p>Caseloads &lt;script&gt;alert(1)&lt;/script&gt; were high</p>",
        )
    snippet = re.search(r'class="search-result__snippet">(.*?)</p>', search("caseloads")).group(1)
    assert set(re.findall(r"</?(\w+)", snippet)) == {"mark"}
    assert "<mark>Caseloads</mark>" in snippet and "were high" in snippet
    if connection.vendor == "sqlite":  # PostgreSQL's ts_headline leaves tag-like words out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet


def test_results_are_paginated_with_page_one_as_the_search_itself(indexed, search, client):
    with indexed():
        for n in range(25):
            ArticleFactory(published=True, title=f"Caseloads {n}")
    first, second = search("caseloads"), search("caseloads", page=2)
    assert len(titles(first)) == 20 and len(titles(second)) == 5
    assert 'rel="next" href="?q=caseloads&amp;page=2"' in first
    assert 'rel="prev" href="/search/?q=caseloads"' in second
    assert client.get("/search/", {"q": "caseloads", "page": 9}).status_code == 404


def test_counts_per_kind_and_narrowing_by_kind(indexed, search):
    with indexed():
        ArticleFactory(published=True, title="Caseloads article")
        FindingFactory(text="Caseloads were high.")
        FindingFactory(text="Caseloads were low.")
    html = search("caseloads")
    assert 'Finding <span class="count">(2)</span>' in html
    assert 'Analysis <span class="count">(1)</span>' in html
    assert titles(search("caseloads", kind="articles")) == ["Caseloads article"]
    assert len(titles(search("caseloads", kind="findings"))) == 2


def test_facets_narrow_by_tag_category_year_and_organisation(indexed, search):
    with indexed():
        ArticleFactory(published=True, title="Caseloads tagged", tags=["Youth justice"])
        ArticleFactory(
            published=True, title="Caseloads filed", category=CategoryFactory(slug="data")
        )
        inspection = InspectionFactory(title="Caseloads inspected")
        InspectedOrganisationFactory(
            inspection=inspection, organisation=OrganisationFactory(name="Kent", slug="kent")
        )
    html = search("caseloads")
    assert 'href="?q=caseloads&amp;tag=youth-justice"' in html
    assert titles(search("caseloads", tag="youth-justice")) == ["Caseloads tagged"]
    assert titles(search("caseloads", category="data")) == ["Caseloads filed"]
    assert titles(search("caseloads", organisation="kent")) == ["Caseloads inspected"]
    assert titles(search("caseloads", year=2016)) == ["Caseloads inspected"]


def test_sort_by_date_puts_the_newest_first(indexed, search):
    with indexed():
        old = ArticleFactory(published=True, title="Caseloads")
        new = ArticleFactory(published=True, title="Heavy caseloads, heavy caseloads")
        old.published_at = new.published_at.replace(year=2015)
        old.save()
    assert titles(search("caseloads"))[0] == "Caseloads"
    assert titles(search("caseloads", sort="date")) == [
        "Heavy caseloads, heavy caseloads",
        "Caseloads",
    ]


def test_a_misspelling_gets_a_suggestion_from_the_sites_own_words(indexed, search):
    with indexed():
        ArticleFactory(published=True, title="Safeguarding children", body="<p>Safeguarding.</p>")
    html = search("safegarding")
    assert re.search(r'Did you mean <a href="\?q=safeguarding">safeguarding</a>', html)
    assert "Did you mean" not in search("safeguarding")


@pytest.mark.parametrize(
    "query",
    [
        "!!!",
        "<>",
        '"',
        '"*',
        "NEAR(",
        "AND OR",
        "a OR",
        "-",
        "-london",
        "the",
        "'; DROP TABLE x;--",
        "title:x",
        "^x",
        "x*",
        "(x",
        "Добрый день",
        "日本語",
        "caf\u00e9",
        "\u200b",
    ],
)
def test_odd_input_is_a_normal_page(search, query):
    html = search(query)
    assert 'name="q"' in html


def test_nothing_to_search_for_says_so(search):
    assert "Nothing matches “!!!”" in search("!!!")
    assert "Nothing matches" not in search("   ")


def test_a_very_long_search_is_cut_and_says_so(indexed, search):
    with indexed():
        ArticleFactory(published=True, title="Caseloads")
    html = search("caseloads " + "x" * 2000)
    assert "Your search was long, so we searched for its first 200 characters." in html


def test_the_query_is_escaped_in_the_page(search):
    html = search('<script>alert("x")</script>')
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_the_results_page_runs_a_fixed_number_of_queries(
    indexed, client, django_assert_num_queries
):
    def add(n):
        with indexed():
            for i in range(n):
                inspection = InspectionFactory(title=f"Caseloads report {i}", tags=["x", f"t{i}"])
                FindingFactory(inspection=inspection, text="Caseloads were high.")
                ArticleFactory(published=True, title=f"Caseloads {i}", tags=["a", f"t{i}"])

    add(1)
    # PostgreSQL counts each kind first, to know whether to ask for every match.
    with django_assert_num_queries(7 if connection.vendor == "postgresql" else 6) as one:
        response = client.get("/search/", {"q": "caseloads"})
    assert response.status_code == 200
    assert "Caseloads report 0" in response.content.decode()
    add(10)
    cache.clear()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/search/", {"q": "caseloads"})
    assert response.status_code == 200
    assert "Caseloads report 9" in response.content.decode()


def test_every_page_has_a_search_box_and_an_opensearch_link(client):
    html = client.get("/").content.decode()
    assert re.search(
        r'<form class="site-search" action="/search/" method="get" role="search">', html
    )
    assert '<link rel="search" type="application/opensearchdescription+xml"' in html
    assert 'href="/search/opensearch.xml"' in html


def test_the_opensearch_description_points_at_the_search_page(client):
    response = client.get("/search/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert 'template="https://oversight.example/search/?q={searchTerms}"' in body


def test_past_the_counting_cap_the_page_says_so_and_ranks_the_best(
    indexed, search, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(results, "MAX_COUNTED", 3)
    with indexed():
        ArticleFactory(published=True, title="Caseloads")
        for n in range(6):
            FindingFactory(text=f"Caseloads were high ({n}).")
    with django_assert_max_num_queries(7):
        html = search("caseloads")
    assert "3+ results for “caseloads”" in html
    assert 'Finding <span class="count">(3+)</span>' in html
    assert titles(html)[0] == "Caseloads"  # the exact title, though not among the newest
    assert len(titles(html)) == 3


def test_past_the_counting_cap_the_newest_come_first_across_years(indexed, search, monkeypatch):
    monkeypatch.setattr(results, "MAX_COUNTED", 3)
    with indexed():
        for year in (2010, 2019, 2024, 2025, 2026):
            ArticleFactory(
                published=True,
                title=f"Caseloads in {year}",
                published_at=datetime.datetime(year, 3, 1, tzinfo=datetime.UTC),
            )
    html = search("caseloads", sort="date")
    assert "3+ results for “caseloads”" in html
    assert titles(html) == ["Caseloads in 2026", "Caseloads in 2025", "Caseloads in 2024"]


def test_resource_packs_and_public_flat_pages_are_searchable(indexed, search):
    from django.contrib.flatpages.models import FlatPage
    from django.contrib.sites.models import Site

    from tests.factories import ResourcePackFactory, ResourcePackItemFactory

    with indexed():
        pack = ResourcePackFactory(title="Zanzibarian toolkit", intro="<p>Start here.</p>")
        ResourcePackItemFactory(pack=pack, title="Quokka guidance", note="")
        for title, hidden in (("Zanzibarian about", False), ("Zanzibarian staff", True)):
            page = FlatPage.objects.create(
                url=f"/{title.split()[1]}/",
                title=title,
                content="<p>Who we are.</p>",
                registration_required=hidden,
            )
            page.sites.add(Site.objects.get_current())
    assert sorted(titles(search("zanzibarian"))) == ["Zanzibarian about", "Zanzibarian toolkit"]
    assert titles(search("quokka")) == ["Zanzibarian toolkit"]  # an item of the pack


def test_narrowed_counts_past_the_cap_are_the_same_this_year_or_over_years(
    indexed, search, monkeypatch
):
    # PostgreSQL counts a narrowed kind among this year's matches first, then over every year
    # only when this year's are too few: both give the same counts.
    monkeypatch.setattr(results, "MAX_COUNTED", 3)
    with indexed():
        for n in range(4):
            ArticleFactory(published=True, title=f"Caseloads {n}", tags=["Youth justice"])
            InspectionFactory(title=f"Caseloads inspected {n}", tags=["Youth justice"])  # 2016
        InspectionFactory(title="Caseloads untagged")
    html = search("caseloads", tag="youth-justice")
    assert "3+ results for “caseloads”" in html
    assert 'Analysis <span class="count">(3+)</span>' in html
    assert 'Inspection record <span class="count">(3+)</span>' in html
    assert "Caseloads untagged" not in html
