"""Script-injection payloads in names, websites and bodies come back inert everywhere."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from comments.models import Comment
from comments.views import post_url
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="&#97;lert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    " javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    "<style>@import 'https://evil.example/x.css';</style>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    "<input autofocus onfocus=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "</textarea><script>alert(1)</script>",
    "</li></ol></section><script>alert(1)</script>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "\u202egnp.exe\u202c <b>reversed</b>",
    'https://example.org/"><script>alert(1)</script>',
    'http://x.example/?q="onmouseover="alert(1)',
    "https://example.org/<img/src=x/onerror=alert(1)>",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript://">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "{{ request }}{% debug %}",
]

ALLOWED_TAGS = {"li", "ol", "article", "header", "p", "a", "time", "div", "br", "span", "bdi"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


class MarkupAudit(HTMLParser):
    """Collects what would be executable if a browser rendered the fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.tags = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag in {"script", "iframe", "object", "embed", "style", "svg", "img", "base", "meta"}:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            cleaned = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
            if name in {"href", "src", "action", "data", "formaction"} and cleaned.startswith(
                BAD_SCHEMES
            ):
                self.problems.append(f"{tag} {name}={value}")

    handle_startendtag = handle_starttag


def audit(fragment: str) -> MarkupAudit:
    parser = MarkupAudit()
    parser.feed(fragment)
    parser.close()
    return parser


@pytest.fixture
def hostile_comments(article):
    return [
        CommentFactory(
            target=article,
            approved=True,
            name=payload[:100],
            website=payload[:200],
            body=f"Body: {payload}\nSecond line {payload}",
            email=f"attacker{n}@example.net",
        )
        for n, payload in enumerate(PAYLOADS)
    ]


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 30


def comment_region(html: str) -> str:
    start = html.index('<ol class="comment-list">')
    end = html.index('<div class="comment-respond"')
    return html[start:end]


def test_payloads_are_inert_on_the_article_page(client, article, hostile_comments):
    html = client.get(article.get_absolute_url()).content.decode()

    region = comment_region(html)
    result = audit(region)
    assert result.problems == []
    assert result.tags <= ALLOWED_TAGS
    assert region.count('<li class="comment"') == len(PAYLOADS)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in region
    assert "&amp;lt;script&amp;gt;" in region  # pre-escaped text is shown as typed
    # A bidi override stays inside its name's <bdi> and never reaches a body.
    assert re.search("<bdi>\u202e[^<]*</bdi>", region)
    texts = re.findall(r'<div class="comment__text">(.*?)</div>', region, re.S)
    assert len(texts) == len(PAYLOADS) and not any("\u202e" in text for text in texts)
    for comment in hostile_comments:
        assert comment.email not in html


def test_only_http_websites_become_author_links(client, article, hostile_comments):
    CommentFactory(target=article, approved=True, website="https://ada.example/?a=1&b=2")
    region = comment_region(client.get(article.get_absolute_url()).content.decode())
    author_links = re.findall(r'<p class="comment__author"><a href="([^"]*)"', region)
    assert author_links == ["https://ada.example/?a=1&amp;b=2"]
    assert all(link.startswith(("http://", "https://")) for link in author_links)
    rels = set(re.findall(r'rel="([^"]*)"', region))
    assert rels == {"nofollow ugc noopener", "nofollow"}  # "nofollow": our own reply links


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_posted_through_the_form_are_inert(client, article, comment_data, payload):
    CommentFactory(email="ada@example.net", approved=True)  # trusted: published at once
    data = comment_data(article, name=payload[:100], body=payload)
    response = client.post(post_url(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    comment = Comment.objects.latest("pk")
    assert comment.status == Comment.Status.APPROVED
    html = client.get(article.get_absolute_url()).content.decode()
    assert audit(comment_region(html)).problems == []


def test_payloads_are_inert_in_the_comment_feeds(client, article, hostile_comments):
    for url in ["/comments/feed/", f"{article.get_absolute_url()}comments/feed/"]:
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert audit(body).problems == []
        items = ET.fromstring(response.content).find("channel").findall("item")
        assert len(items) == min(len(PAYLOADS), 20)
        names = {comment.name for comment in hostile_comments}
        for item in items:
            # The description is HTML; title and author are plain text, escaped once for XML.
            result = audit(item.findtext("description"))
            assert result.problems == [], item.findtext("description")
            assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") in names
            assert item.findtext("title").endswith(f" on {article.title}")
        for comment in hostile_comments:
            assert comment.email not in body
