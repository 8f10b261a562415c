import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.files.storage import default_storage

from tests.factories import ArticleFactory, AuthorProfileFactory, CategoryFactory

pytestmark = pytest.mark.django_db

TRICKY_TITLE = (
    'Prisons & probation: "lost in the system"? Caf\u00e9 d\u2019\u00e9t\u00e9 \U0001f6a8 #1'
)
CANONICAL_PREFIX = "https://oversight.example/articles/"


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.meta, self.json_ld, self.scripts = [], {}, [], []
        self._in_json_ld = False
        self.canonical = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs)
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content"))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs["href"]
        elif tag == "script":
            self.scripts.append(attrs)
            self._in_json_ld = attrs.get("type") == "application/ld+json"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld.append(json.loads(data))


@pytest.fixture
def article():
    profile = AuthorProfileFactory(display_name="Ruth Example", user__username="ruth")
    return ArticleFactory(
        published=True,
        slug="tricky",
        title=TRICKY_TITLE,
        standfirst="Inspectors & readers: a \u201cmixed\u201d picture.",
        author=profile.user,
        category=CategoryFactory(name="Analysis", slug="analysis"),
        tags=["probation", "London"],
    )


def parse(client, url):
    parser = PageParser()
    response = client.get(url)
    assert response.status_code == 200
    parser.feed(response.content.decode())
    return parser


def share_link(parser, network):
    return next(a for a in parser.links if f"share__link--{network}" in a.get("class", ""))


def test_every_share_link_carries_the_canonical_url_and_exact_title(client, article):
    page = parse(client, article.get_absolute_url())
    canonical = CANONICAL_PREFIX + "tricky/"

    x = parse_qs(urlsplit(share_link(page, "x")["href"]).query)
    assert x == {"text": [TRICKY_TITLE], "url": [canonical]}
    facebook = parse_qs(urlsplit(share_link(page, "facebook")["href"]).query)
    assert facebook == {"u": [canonical]}
    linkedin = parse_qs(urlsplit(share_link(page, "linkedin")["href"]).query)
    assert linkedin == {"url": [canonical]}
    bluesky = parse_qs(urlsplit(share_link(page, "bluesky")["href"]).query)
    assert bluesky == {"text": [f"{TRICKY_TITLE} {canonical}"]}
    whatsapp = urlsplit(share_link(page, "whatsapp")["href"])
    assert whatsapp.netloc == "wa.me"
    assert parse_qs(whatsapp.query) == {"text": [f"{TRICKY_TITLE} {canonical}"]}
    mastodon = urlsplit(share_link(page, "mastodon")["href"])
    assert mastodon.path == "/share/mastodon/"
    assert parse_qs(mastodon.query) == {"text": [TRICKY_TITLE], "url": [canonical]}


def test_email_link_is_a_mailto_with_title_subject_and_standfirst_plus_link(client, article):
    href = share_link(parse(client, article.get_absolute_url()), "email")["href"]
    assert href.startswith("mailto:?")
    assert "+" not in href  # mail clients read + literally: spaces must be %20
    query = dict(part.split("=", 1) for part in href[len("mailto:?") :].split("&"))
    assert unquote(query["subject"]) == TRICKY_TITLE
    assert unquote(query["body"]) == (
        "Inspectors & readers: a \u201cmixed\u201d picture.\n\n" + CANONICAL_PREFIX + "tricky/"
    )


def test_share_links_open_in_a_new_tab_safely_and_are_named(client, article):
    page = parse(client, article.get_absolute_url())
    share_links = [a for a in page.links if "share__link" in a.get("class", "")]
    networks = {"x", "facebook", "linkedin", "bluesky", "mastodon", "whatsapp"}
    for link in share_links:
        assert link.get("aria-label"), link
        if any(f"share__link--{network}" in link["class"] for network in networks):
            assert link["target"] == "_blank"
            assert "noopener" in link["rel"]
    assert share_link(page, "print")["href"] == "/articles/tricky/print/"
    assert share_link(page, "copy")["href"] == CANONICAL_PREFIX + "tricky/"


def test_share_links_use_site_url_not_the_host_header(client, settings, article):
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    response = client.get(article.get_absolute_url(), HTTP_HOST="evil.example")
    assert "evil.example" not in response.content.decode()


def test_utm_parameters_from_settings_name_the_network(client, settings, article):
    settings.SHARE_UTM = {"utm_source": "{network}", "utm_medium": "social"}
    page = parse(client, article.get_absolute_url())
    x = parse_qs(urlsplit(share_link(page, "x")["href"]).query)
    shared = urlsplit(x["url"][0])
    assert parse_qs(shared.query) == {"utm_source": ["x"], "utm_medium": ["social"]}
    assert page.canonical == CANONICAL_PREFIX + "tricky/"


def test_article_has_canonical_open_graph_and_twitter_metadata(client, article):
    page = parse(client, article.get_absolute_url())
    meta = page.meta

    assert page.canonical == CANONICAL_PREFIX + "tricky/"
    assert meta["og:type"] == ["article"]
    assert meta["og:title"] == [TRICKY_TITLE]
    assert meta["og:url"] == [CANONICAL_PREFIX + "tricky/"]
    assert meta["og:site_name"] == ["Oversight"]
    assert meta["og:description"] == ["Inspectors & readers: a \u201cmixed\u201d picture."]
    assert meta["og:image"][0].startswith("https://oversight.example/social/articles/tricky.png")
    assert meta["og:image:width"] == ["1200"] and meta["og:image:height"] == ["630"]
    assert meta["article:published_time"][0].startswith(str(article.published_at.year))
    assert meta["article:modified_time"]
    assert meta["article:author"] == ["https://oversight.example/authors/ruth/"]
    assert sorted(meta["article:tag"]) == ["London", "probation"]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["description"] == ["Inspectors & readers: a \u201cmixed\u201d picture."]


def test_article_json_ld_parses_with_required_fields(client, article):
    blocks = parse(client, article.get_absolute_url()).json_ld
    news = next(block for block in blocks if block["@type"] == "NewsArticle")
    crumbs = next(block for block in blocks if block["@type"] == "BreadcrumbList")

    assert news["headline"] == TRICKY_TITLE
    assert news["author"][0] == {
        "@type": "Person",
        "name": "Ruth Example",
        "url": "https://oversight.example/authors/ruth/",
    }
    assert news["datePublished"] and news["dateModified"]
    assert news["image"][0].startswith("https://oversight.example/")
    assert news["publisher"]["name"] == "Oversight"
    assert news["publisher"]["logo"]["url"].startswith("https://oversight.example/static/")
    assert [item["name"] for item in crumbs["itemListElement"]] == [
        "Home",
        "Analysis",
        TRICKY_TITLE,
    ]
    assert crumbs["itemListElement"][-1]["item"] == CANONICAL_PREFIX + "tricky/"


def test_json_ld_blocks_are_data_without_a_nonce_attribute(client, article):
    # Data blocks are never executed, so CSP's script-src does not govern them; a nonce
    # attribute there only leaked "None" when the page had none.
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "nonce=" not in response.content.decode()
    parser = PageParser()
    parser.feed(response.content.decode())
    assert {block["@type"] for block in parser.json_ld} >= {"NewsArticle", "BreadcrumbList"}


def test_json_ld_cannot_be_broken_out_of_by_a_title():
    from core.jsonld import json_ld

    text = json_ld({"headline": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and "<" not in text
    assert json.loads(text) == {"headline": "</script><script>alert(1)</script>"}


def test_tag_and_author_pages_have_canonical_and_open_graph(client, article):
    tag = parse(client, "/tags/probation/")
    author = parse(client, "/authors/ruth/")
    assert tag.canonical == "https://oversight.example/tags/probation/"
    assert tag.meta["og:url"] == ["https://oversight.example/tags/probation/"]
    assert author.canonical == "https://oversight.example/authors/ruth/"
    assert author.meta["og:type"] == ["profile"]
    assert any(block["@type"] == "BreadcrumbList" for block in author.json_ld)


def test_no_third_party_script_iframe_or_pixel_on_the_article(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    page = parse(client, article.get_absolute_url())
    for script in page.scripts:
        assert script.get("src", "/").startswith("/") or script.get("type") == "application/ld+json"
    assert "<iframe" not in html
    assert "<img" not in html or 'src="http' not in html


def test_generated_preview_image_is_a_1200_by_630_png_redrawn_when_the_title_changes(
    client, article
):
    from PIL import Image

    first = client.get("/social/articles/tricky.png")
    assert first.status_code == 200 and first["Content-Type"] == "image/png"
    (name,) = default_storage.listdir("social/articles")[1]
    image = Image.open(default_storage.open(f"social/articles/{name}"))
    assert image.size == (1200, 630)

    article.title = "A new title"
    article.save()
    client.get("/social/articles/tricky.png")
    assert len(default_storage.listdir("social/articles")[1]) == 2


def test_preview_image_of_an_unknown_or_draft_article_is_404(client):
    ArticleFactory(slug="draft")
    assert client.get("/social/articles/draft.png").status_code == 404
    assert client.get("/social/nothing/tricky.png").status_code == 404


def test_mastodon_page_asks_for_a_server_then_redirects_to_its_share_page(client, article):
    url = CANONICAL_PREFIX + "tricky/"
    page = client.get("/share/mastodon/", {"text": TRICKY_TITLE, "url": url})
    assert page.status_code == 200
    assert "Your Mastodon server" in page.content.decode()

    response = client.post(
        "/share/mastodon/",
        {"instance": "https://Mastodon.Social/", "text": TRICKY_TITLE, "url": url},
    )
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc, target.path) == ("https", "mastodon.social", "/share")
    assert parse_qs(target.query) == {"text": [f"{TRICKY_TITLE} {url}"]}


@pytest.mark.parametrize(
    "instance",
    ["", "javascript:alert(1)", "evil.example/path", "localhost", "a b.example", "x" * 300],
)
def test_mastodon_page_refuses_bad_server_names_with_a_form_error(client, instance):
    response = client.post(
        "/share/mastodon/",
        {"instance": instance, "text": "t", "url": CANONICAL_PREFIX + "tricky/"},
    )
    assert response.status_code == 400
    assert 'class="error" id="instance-error"' in response.content.decode()


def test_mastodon_page_only_shares_this_sites_pages(client):
    response = client.get("/share/mastodon/", {"text": "t", "url": "https://evil.example/"})
    assert response.status_code == 400
    response = client.post(
        "/share/mastodon/",
        {"instance": "mastodon.social", "text": "t", "url": "https://evil.example/"},
    )
    assert response.status_code == 400


def test_print_page_has_the_article_without_navigation_or_share_bar(client, article):
    article.body = (
        '<p>See <a href="/articles/other/">this</a> and <a href="https://gov.uk/x">that</a>.</p>'
    )
    article.save()
    html = client.get("/articles/tricky/print/").content.decode()

    assert "<h1>" in html and "share__link" not in html and "site-nav" not in html
    assert "<form" not in html
    assert 'href="https://oversight.example/articles/other/"' in html
    assert "https://oversight.example/articles/tricky/" in html
    assert "Printed on" in html


def test_print_page_of_a_draft_is_404(client):
    ArticleFactory(slug="draft")
    assert client.get("/articles/draft/print/").status_code == 404


def test_mastodon_page_lets_the_form_redirect_to_the_readers_server(client):
    response = client.get("/share/mastodon/", {"text": "t", "url": CANONICAL_PREFIX + "x/"})
    assert "form-action 'self' https:" in response["Content-Security-Policy"]


@pytest.fixture
def inspection():
    from tests.inspections.factories import InspectionFactory

    record = InspectionFactory(
        slug="north-london-2016", title="Probation in north London & “the basics”"
    )
    record.tags.add("probation")
    return record


def test_inspection_page_has_share_links_metadata_and_report_json_ld(client, inspection):
    page = parse(client, inspection.get_absolute_url())
    canonical = "https://oversight.example/inspections/north-london-2016/"

    assert page.canonical == canonical
    assert page.meta["og:title"] == [inspection.title]
    assert page.meta["article:published_time"] == ["2016-12-14"]
    assert page.meta["og:image"][0].startswith(
        "https://oversight.example/social/inspections/north-london-2016.png?v="
    )
    x = parse_qs(urlsplit(share_link(page, "x")["href"]).query)
    assert x == {"text": [inspection.title], "url": [canonical]}
    assert share_link(page, "print")["href"] == "/inspections/north-london-2016/print/"
    report = next(block for block in page.json_ld if block["@type"] == "Report")
    assert report["headline"] == inspection.title
    assert report["datePublished"] == "2016-12-14"
    assert report["author"][0]["name"] == inspection.inspectorate.name
    crumbs = next(block for block in page.json_ld if block["@type"] == "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]] == [
        "Home",
        "Inspections",
        inspection.title,
    ]


def test_inspection_print_page_has_no_navigation_share_bar_or_forms(client, inspection):
    response = client.get("/inspections/north-london-2016/print/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "share__link" not in html and "site-nav" not in html and "<form" not in html
    assert "https://oversight.example/inspections/north-london-2016/" in html
    assert "Printed on" in html


def test_inspection_preview_image_is_generated(client, inspection):
    response = client.get("/social/inspections/north-london-2016.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert client.get("/social/inspections/unknown.png").status_code == 404
