import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache

from tests.factories import ArticleFactory, AuthorProfileFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"


@pytest.fixture
def article():
    profile = AuthorProfileFactory(display_name="Ruth Example", user__username="ruth")
    return ArticleFactory(
        published=True,
        author=profile.user,
        category=CategoryFactory(name="Analysis", slug="analysis"),
        title="Caseloads & courts: a “mixed” picture",
        standfirst="Short summary.",
        body='<h2>Findings</h2><p>See <a href="/articles/other/">the other piece</a>.</p>',
        tags=["probation"],
    )


def test_rss_feed_has_full_content_absolute_urls_author_and_categories(client, article):
    response = client.get("/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    item = channel.find("item")

    assert item.findtext("title") == article.title
    assert item.findtext("link") == f"https://oversight.example/articles/{article.slug}/"
    assert item.findtext("guid") == item.findtext("link")
    assert item.findtext("description") == "Short summary."
    content = item.findtext(f"{CONTENT}encoded")
    assert "<h2>Findings</h2>" in content
    assert 'href="https://oversight.example/articles/other/"' in content
    assert "Ruth Example" in item.findtext("{http://purl.org/dc/elements/1.1/}creator", "") + (
        item.findtext("author") or ""
    )
    assert {c.text for c in item.findall("category")} == {"Analysis", "probation"}
    assert channel.find(f"{ATOM}link").get("href") == "https://oversight.example/feed/"


def test_atom_feed_has_updated_dates_and_html_content(client, article):
    response = client.get("/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entry = feed.find(f"{ATOM}entry")

    assert entry.findtext(f"{ATOM}title") == article.title
    assert entry.find(f"{ATOM}link").get("href").startswith("https://oversight.example/")
    assert entry.findtext(f"{ATOM}updated")
    assert entry.findtext(f"{ATOM}published")
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Ruth Example"
    assert entry.find(f"{ATOM}content").get("type") == "html"
    assert entry.findtext(f"{ATOM}summary") == "Short summary."


@pytest.mark.parametrize(
    ("first_name", "last_name", "name"), [("Sam", "Staff", "Sam Staff"), ("", "", "sam")]
)
def test_an_author_without_a_profile_is_still_named_in_both_feeds(
    client, first_name, last_name, name
):
    staff = UserFactory(username="sam", first_name=first_name, last_name=last_name, is_staff=True)
    ArticleFactory(published=True, author=staff, title="By a member of staff")

    rss = client.get("/feed/")
    atom = client.get("/feed/atom/")

    assert rss.status_code == atom.status_code == 200
    item = ET.fromstring(rss.content).find("channel/item")
    assert item.findtext("title") == "By a member of staff"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == name
    author = ET.fromstring(atom.content).find(f"{ATOM}entry/{ATOM}author")
    assert author.findtext(f"{ATOM}name") == name
    assert author.find(f"{ATOM}uri") is None  # no profile, so no author page to link


def test_atom_links_an_author_with_a_profile_to_their_page(client, article):
    atom = client.get("/feed/atom/")
    author = ET.fromstring(atom.content).find(f"{ATOM}entry/{ATOM}author")
    assert author.findtext(f"{ATOM}uri") == "https://oversight.example/authors/ruth/"


def test_feeds_leave_out_drafts_and_scheduled_articles(client, article):
    ArticleFactory(title="Draft piece")
    ArticleFactory(scheduled=True, title="Future piece")
    body = client.get("/feed/").content.decode()
    assert "Draft piece" not in body and "Future piece" not in body


@pytest.mark.parametrize(
    "url", ["/tags/probation/feed/", "/categories/analysis/feed/", "/authors/ruth/feed/"]
)
def test_tag_category_and_author_feeds_hold_their_articles(client, article, url):
    ArticleFactory(published=True, title="Unrelated piece", tags=["prisons"])
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Unrelated piece" not in body
    assert "Caseloads &amp; courts" in body


@pytest.mark.parametrize("url", ["/tags/nope/feed/", "/categories/nope/feed/", "/authors/x/feed/"])
def test_feeds_for_unknown_objects_are_404(client, url):
    assert client.get(url).status_code == 404


def test_feed_queries_do_not_grow_with_items(client, django_assert_max_num_queries):
    when = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    ArticleFactory(published=True, published_at=when, title="Piece first", tags=["a", "b"])
    Site.objects.clear_cache()
    with django_assert_max_num_queries(6) as one:
        response = client.get("/feed/")
    assert response.status_code == 200
    assert "Piece first" in response.content.decode()
    for n in range(10):
        # Half by staff without a profile: their byline must not cost a query either.
        author = UserFactory(is_staff=True) if n % 2 else AuthorProfileFactory().user
        ArticleFactory(
            published=True, published_at=when, title=f"Piece {n}", author=author, tags=[f"t{n}"]
        )
    cache.clear()
    Site.objects.clear_cache()
    with django_assert_max_num_queries(6) as eleven:
        response = client.get("/feed/")
    assert response.status_code == 200
    titles = [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]
    assert sorted(titles) == sorted(["Piece first", *(f"Piece {n}" for n in range(10))])
    assert len(one.captured_queries) == len(eleven.captured_queries)
