import datetime
import re

import pytest
import time_machine
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.pagecache import content_version
from tests.comments.factories import CommentFactory
from tests.factories import (
    ArticleFactory,
    AuthorProfileFactory,
    CategoryFactory,
    ResourcePackFactory,
    ResourcePackItemFactory,
    UserFactory,
)
from tests.inspections.factories import InspectionFactory

pytestmark = pytest.mark.django_db

LISTING_QUERY_LIMIT = 6
ARTICLE_QUERY_LIMIT = 8


def test_article_page_shows_everything_a_reader_expects(client):
    profile = AuthorProfileFactory(display_name="Ruth Example", bio="Former probation officer.")
    category = CategoryFactory(name="Inspection reports", slug="inspection-reports")
    article = ArticleFactory(
        published=True,
        author=profile.user,
        category=category,
        title="London probation under strain",
        standfirst="Inspectors found caseloads out of control.",
        body="<h2>Findings</h2><blockquote><p>Quote</p></blockquote><ul><li>One</li></ul>",
        tags=["probation", "London"],
    )

    response = client.get(article.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="article__title">London probation under strain</h1>' in html
    assert "Inspectors found caseloads out of control." in html
    assert f'href="/authors/{profile.user.username}/"' in html
    assert "Former probation officer." in html
    assert f'datetime="{timezone.localtime(article.published_at).isoformat()}"' in html
    assert "1 min read" in html
    assert "<blockquote>" in html
    assert 'href="/tags/probation/"' in html
    assert 'href="/categories/inspection-reports/"' in html


@pytest.mark.parametrize(
    ("first_name", "last_name", "name"), [("Sam", "Staff", "Sam Staff"), ("", "", "sam")]
)
def test_an_article_by_staff_without_a_profile_is_bylined_with_their_name(
    client, first_name, last_name, name
):
    staff = UserFactory(username="sam", first_name=first_name, last_name=last_name, is_staff=True)
    article = ArticleFactory(published=True, author=staff, title="By a member of staff")

    print_url = reverse("blog:article-print", args=[article.slug])
    for url in (article.get_absolute_url(), reverse("blog:article-list"), print_url):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "By a member of staff" in html
        byline = re.search(r'<p class="byline">(.*?)</p>', html, re.S).group(1)
        assert name in byline, url
        assert "/authors/" not in byline  # no profile, no author page


def test_article_page_links_related_previous_and_next(client):
    now = timezone.now()
    older = ArticleFactory(published=True, published_at=now - datetime.timedelta(days=3))
    article = ArticleFactory(
        published=True, published_at=now - datetime.timedelta(days=2), tags=["crc"]
    )
    newer = ArticleFactory(
        published=True, published_at=now - datetime.timedelta(days=1), tags=["crc"]
    )

    html = client.get(article.get_absolute_url()).content.decode()

    assert f'rel="prev" href="{older.get_absolute_url()}"' in html
    assert f'rel="next" class="prev-next__next" href="{newer.get_absolute_url()}"' in html
    assert "Related articles" in html


def test_article_links_follow_newly_published_and_retagged_articles(
    client, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(
            published=True, published_at=now - datetime.timedelta(days=2), tags=["crc"]
        )
        other = ArticleFactory(published=True, published_at=now - datetime.timedelta(days=3))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Next article" not in html and "Related articles" not in html

    with django_capture_on_commit_callbacks(execute=True):
        newer = ArticleFactory(published=True, published_at=now - datetime.timedelta(days=1))
        other.tags.add("crc")
    html = client.get(article.get_absolute_url()).content.decode()

    assert f'href="{newer.get_absolute_url()}"' in html
    assert "Related articles" in html


@pytest.mark.parametrize("state", [{}, {"scheduled": True}])
def test_drafts_and_scheduled_articles_are_not_found(client, state):
    article = ArticleFactory(**state)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unknown_slug_is_a_404_page(client):
    response = client.get("/articles/no-such-article/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_home_lists_ten_published_articles_a_page_newest_first(client):
    now = timezone.now()
    articles = [
        ArticleFactory(published=True, published_at=now - datetime.timedelta(hours=n + 1))
        for n in range(12)
    ]
    ArticleFactory(title="Unfinished draft")

    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()

    assert articles[0].title in first and articles[9].title in first
    assert articles[10].title not in first
    assert articles[10].title in second and articles[11].title in second
    assert "Unfinished draft" not in first + second
    assert first.index(articles[0].title) < first.index(articles[1].title)


@pytest.mark.parametrize("page", ["0", "99", "abc", "-1", "1.5", "%00"])
def test_junk_or_out_of_range_page_numbers_are_404(client, page):
    ArticleFactory(published=True)
    assert client.get(f"/?page={page}").status_code == 404


def test_year_and_month_archives(client):
    in_range = ArticleFactory(
        published=True, published_at=datetime.datetime(2016, 12, 14, 9, tzinfo=datetime.UTC)
    )
    other_month = ArticleFactory(
        published=True, published_at=datetime.datetime(2016, 8, 3, 9, tzinfo=datetime.UTC)
    )
    other_year = ArticleFactory(
        published=True, published_at=datetime.datetime(2018, 1, 10, 9, tzinfo=datetime.UTC)
    )

    year = client.get("/articles/2016/").content.decode()
    month = client.get("/articles/2016/12/").content.decode()

    assert in_range.title in year and other_month.title in year
    assert other_year.title not in year
    assert in_range.title in month and other_month.title not in month
    assert client.get("/articles/2016/13/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/articles/0/",
        "/articles/10000/",
        "/articles/0/1/",
        "/articles/2016/0/",
        "/articles/2016/13/",
        "/articles/99999999999999999999/",
        "/articles/99999999999999999999/12/",
    ],
)
def test_archives_of_years_or_months_no_calendar_has_are_404_pages(client, url):
    ArticleFactory(published=True)
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_tag_category_and_author_pages_list_only_their_published_articles(client):
    profile = AuthorProfileFactory()
    category = CategoryFactory(slug="analysis")
    mine = ArticleFactory(published=True, author=profile.user, category=category, tags=["crc"])
    other = ArticleFactory(published=True, tags=["nps"])
    ArticleFactory(author=profile.user, category=category, tags=["crc"], title="Hidden draft")

    for url in ["/tags/crc/", "/categories/analysis/", f"/authors/{profile.user.username}/"]:
        html = client.get(url).content.decode()
        assert mine.title in html, url
        assert other.title not in html, url
        assert "Hidden draft" not in html, url


def test_unknown_tag_category_author_or_pack_is_404(client):
    for url in ["/tags/nope/", "/categories/nope/", "/authors/nope/", "/resources/nope/"]:
        assert client.get(url).status_code == 404, url


def test_resource_pack_page_lists_items_in_order_and_hides_unpublished_articles(client):
    pack = ResourcePackFactory(title="Transforming Rehabilitation")
    article = ArticleFactory(published=True, title="Durham first")
    draft = ArticleFactory(title="Draft piece")
    ResourcePackItemFactory(pack=pack, order=2, title="Government document")
    ResourcePackItemFactory(pack=pack, order=1, article=article, url="", title="")
    ResourcePackItemFactory(pack=pack, order=3, article=draft, url="", title="")

    html = client.get(pack.get_absolute_url()).content.decode()

    assert html.index("Durham first") < html.index("Government document")
    assert "Draft piece" not in html


def test_sidebar_promotes_the_featured_resource_pack(client):
    ResourcePackFactory(title="Transforming Rehabilitation pack", is_featured=True)
    html = client.get("/").content.decode()
    assert "Transforming Rehabilitation pack" in html


def test_legacy_wordpress_address_redirects_permanently_to_the_article(client):
    ArticleFactory(published=True, slug="north-london-report")
    response = client.get("/north-london-report/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/north-london-report/"


def test_legacy_address_of_a_draft_is_404(client):
    ArticleFactory(slug="secret-draft")
    assert client.get("/secret-draft/").status_code == 404


def test_about_and_privacy_are_editable_flat_pages(client):
    for url, title in [("/about/", "About us"), ("/privacy/", "Privacy notice")]:
        page = FlatPage.objects.create(url=url, title=title, content="<p>Words.</p>")
        page.sites.add(Site.objects.get_current())
        response = client.get(url)
        assert response.status_code == 200
        assert title in response.content.decode()


def test_menu_links_only_to_pages_that_exist(client):
    html = client.get("/").content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    for href in re.findall(r'href="([^"]+)"', nav):
        if href in {"/about/"}:
            continue  # a flat page, created by editors (and by load_demo)
        assert client.get(href).status_code == 200, href


def test_language_switcher_is_a_plain_form_listing_english_and_welsh(client):
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert 'value="en-gb"' in html and 'value="cy"' in html
    assert "Select language" in html


def test_language_switcher_works_from_a_page_that_set_no_cookie():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/")
    assert page.status_code == 200 and not page.cookies
    assert 'name="csrfmiddlewaretoken"' not in page.content.decode()
    data = {"language": "cy", "next": "/"}
    response = client.post(
        "/i18n/setlang/", data, headers={"Referer": "https://oversight.example/"}
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "cy"
    forged = client.post("/i18n/setlang/", data, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403


def test_switching_to_welsh_sets_the_language_cookie_without_javascript(client):
    response = client.post("/i18n/setlang/", {"language": "cy", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "cy"
    html = client.get("/").content.decode()
    assert '<html lang="cy">' in html
    assert ">Hafan</a>" in html and "Dewis iaith" in html


@pytest.mark.parametrize(
    "url_for",
    [
        lambda: "/",
        lambda: "/articles/",
        lambda: "/articles/2016/",
        lambda: "/articles/2016/12/",
        lambda: "/tags/probation/",
        lambda: "/categories/analysis/",
        lambda: "/authors/writer/",
    ],
)
def test_listings_use_a_fixed_number_of_queries(client, django_assert_max_num_queries, url_for):
    profile = AuthorProfileFactory(user__username="writer")
    category = CategoryFactory(slug="analysis")
    ResourcePackFactory(is_featured=True)
    when = datetime.datetime(2016, 12, 14, 9, tzinfo=datetime.UTC)

    titles = []

    def add(count):
        for n in range(count):
            titles.append(f"Listed piece {len(titles)}")
            ArticleFactory(
                published=True,
                published_at=when + datetime.timedelta(minutes=len(titles)),
                author=profile.user,
                category=category,
                title=titles[-1],
                tags=["probation", f"tag-{n}", f"other-{n}"],
            )

    add(1)
    with django_assert_max_num_queries(LISTING_QUERY_LIMIT) as one:
        response = client.get(url_for())
    assert response.status_code == 200
    assert "Listed piece 0" in response.content.decode()
    add(10)
    cache.clear()
    with django_assert_max_num_queries(LISTING_QUERY_LIMIT) as eleven:
        response = client.get(url_for())
    assert response.status_code == 200
    html = response.content.decode()
    assert all(title in html for title in titles[-10:])  # newest first, ten to a page
    assert len(one.captured_queries) == len(eleven.captured_queries)


def test_article_page_queries_do_not_grow_with_tags_or_related(
    client, django_assert_max_num_queries
):
    ResourcePackFactory(is_featured=True)
    article = ArticleFactory(published=True, title="The measured piece", tags=["a"])
    ArticleFactory(published=True, tags=["a"])
    content_version()  # worked out once a change, not once a page
    with django_assert_max_num_queries(ARTICLE_QUERY_LIMIT) as few:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "The measured piece" in response.content.decode()

    article.tags.add(*[f"tag-{n}" for n in range(20)])
    for n in range(20):
        ArticleFactory(published=True, tags=["a", f"tag-{n}"])
    cache.clear()
    content_version()
    with django_assert_max_num_queries(ARTICLE_QUERY_LIMIT) as many:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "The measured piece" in html
    assert all(f"tag-{n}" in html for n in range(20))

    assert len(few.captured_queries) == len(many.captured_queries)


@pytest.mark.parametrize("url", ["/authors/ed%00x/", "/authors/ed%00x/feed/", "/authors/a%2Fb/"])
def test_author_addresses_no_username_could_have_are_404_pages(client, url):
    # A NUL byte reached PostgreSQL, which refuses it (a 500 found by tests/hostile).
    assert client.get(url).status_code == 404


# Listing cards and counts kept as fragments (core.pagecache.fragment, FRAGMENT_CACHE on).


@pytest.fixture
def listed():
    inspection = InspectionFactory(title="Durham area inspection")
    inspection.tags.add("probation")
    category = CategoryFactory(slug="analysis")
    return [
        ArticleFactory(
            published=True,
            title=f"Listed piece {n}",
            category=category,
            tags=["probation"],
            published_at=timezone.now() - datetime.timedelta(hours=n + 1),
        )
        for n in range(3)
    ]


@pytest.mark.parametrize("url", ["/", "/?page=2", "/tags/probation/", "/categories/analysis/"])
def test_listings_are_the_same_with_fragments_kept(client, settings, fragment_cache, listed, url):
    settings.ARTICLES_PER_PAGE = 2
    settings.FRAGMENT_CACHE = False
    plain = client.get(url)
    settings.FRAGMENT_CACHE = True
    first, kept = client.get(url), client.get(url)
    assert plain.status_code == first.status_code == kept.status_code == 200
    assert "Listed piece" in plain.content.decode()
    assert first.content == plain.content and kept.content == plain.content


def test_a_kept_listing_asks_the_database_nothing(client, fragment_cache, listed):
    # The tag, the page's keys, the count and the cards are all kept per content version.
    client.get("/tags/probation/")
    with CaptureQueriesContext(connection) as kept:
        html = client.get("/tags/probation/").content.decode()
    assert "Listed piece 2" in html and "Durham area inspection" in html
    assert kept.captured_queries == []


def test_each_page_of_a_kept_listing_shows_its_own_articles(
    client, settings, fragment_cache, listed
):
    settings.ARTICLES_PER_PAGE = 2
    for _ in range(2):
        first, second = client.get("/").content.decode(), client.get("/?page=2").content.decode()
        assert "Listed piece 0" in first and "Listed piece 2" not in first
        assert "Listed piece 2" in second and "Listed piece 0" not in second


def test_listing_changes_show_at_once_with_fragments_kept(
    client, settings, fragment_cache, listed, on_commit
):
    settings.ARTICLES_PER_PAGE = 2
    assert "Page 1 of 2" in client.get("/").content.decode()
    with on_commit():
        ArticleFactory(published=True, title="Brand new piece")
    html = client.get("/").content.decode()
    assert "Brand new piece" in html and "Page 1 of 2" in html
    with on_commit():
        ArticleFactory(published=True, title="Another new piece")
    assert "Page 1 of 3" in client.get("/").content.decode()
    with on_commit():
        listed[1].title = "Retitled piece"
        listed[1].save()
    assert "Retitled piece" in client.get("/?page=2").content.decode()
    with on_commit():
        CommentFactory(target=listed[1], approved=True)
    assert "One Response" in client.get("/?page=2").content.decode()
    with on_commit():
        InspectionFactory(title="Newly tagged inspection").tags.add("probation")
    assert "Newly tagged inspection" in client.get("/tags/probation/").content.decode()


def test_a_scheduled_article_joins_the_kept_listing_when_its_time_comes(
    client, fragment_cache, listed
):
    scheduled = ArticleFactory(scheduled=True, title="Scheduled piece")
    assert "Scheduled piece" not in client.get("/").content.decode()
    with time_machine.travel(scheduled.published_at + datetime.timedelta(minutes=1)):
        assert "Scheduled piece" in client.get("/").content.decode()


def test_a_signed_in_reader_gets_listing_cards_afresh(client, fragment_cache, listed, admin_user):
    Client().get("/")
    client.force_login(admin_user)
    listed[0].title = "Changed without a commit"
    listed[0].save()
    assert "Changed without a commit" in client.get("/").content.decode()
