"""Fragments of anonymous pages kept between requests (core.pagecache.fragment)."""

import re
import time

import pytest
from django.core import signing
from django.db import connection
from django.template import Context, RequestContext, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from comments.forms import FORM_TOKEN_SALT, restamp
from core.pagecache import content_changed, fragment, fragments, kept
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragment_cache(settings):
    settings.FRAGMENT_CACHE = True
    fragments.clear()
    yield
    fragments.clear()


class Renders:
    def __init__(self, html="<p>kept</p>"):
        self.html, self.count = html, 0

    def __call__(self):
        self.count += 1
        return self.html


def test_a_fragment_is_rendered_once_for_anonymous_readers(rf):
    render = Renders()
    for _ in range(3):
        assert fragment(rf.get("/a/"), "box", render) == "<p>kept</p>"
    assert fragment(rf.get("/b/"), "box", render) == "<p>kept</p>"
    assert render.count == 1
    fragment(rf.get("/a/"), "other box", render)
    assert render.count == 2


@pytest.mark.parametrize("cookie", ["sessionid", "messages", "comment_author"])
def test_readers_with_a_personal_cookie_get_it_rendered_afresh(rf, cookie):
    render = Renders()
    fragment(rf.get("/"), "box", render)
    request = rf.get("/")
    request.COOKIES[cookie] = "x"
    fragment(request, "box", render)
    assert render.count == 2


def test_posts_and_a_switched_off_cache_render_afresh(rf, settings):
    render = Renders()
    fragment(rf.post("/"), "box", render)
    fragment(rf.post("/"), "box", render)
    settings.FRAGMENT_CACHE = False
    fragment(rf.get("/"), "box", render)
    fragment(rf.get("/"), "box", render)
    assert render.count == 4


def test_a_change_to_any_content_starts_afresh(rf, on_commit):
    render = Renders()
    fragment(rf.get("/"), "box", render)
    with on_commit():
        content_changed()
    render.html = "<p>new</p>"
    assert fragment(rf.get("/"), "box", render) == "<p>new</p>"
    assert render.count == 2


def test_each_language_has_its_own(rf):
    render = Renders()
    with translation.override("cy"):
        fragment(rf.get("/"), "box", render)
    with translation.override("en-gb"):
        fragment(rf.get("/"), "box", render)
    assert render.count == 2


def _uses_nonce(request):
    request._csp_nonce = "abc"


def _uses_csrf_token(request):
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True


@pytest.mark.parametrize("mark", [_uses_nonce, _uses_csrf_token])
def test_what_used_a_csp_nonce_or_a_csrf_token_is_never_kept(rf, mark):
    def render(request):
        mark(request)
        rendered.append(request)
        return "<p>personal</p>"

    rendered = []
    first, second = rf.get("/"), rf.get("/")
    fragment(first, "box", lambda: render(first))
    fragment(second, "box", lambda: render(second))
    assert rendered == [first, second]


def test_the_oldest_fragments_go_when_the_budget_is_spent(rf, monkeypatch):
    monkeypatch.setattr(fragments, "budget", 16 * 100)
    render = Renders("x" * 100)
    for n in range(20):
        fragment(rf.get("/"), f"box {n}", render)
    assert render.count == 20 and fragments.size <= 1600
    fragment(rf.get("/"), "box 19", render)
    assert render.count == 20
    fragment(rf.get("/"), "box 0", render)
    assert render.count == 21


def test_the_fragment_tag_keys_on_its_values(rf):
    template = Template(
        '{% load core_tags %}{% fragment "year" year %}{{ year }} {{ label }}{% endfragment %}'
    )
    request = rf.get("/")
    assert template.render(RequestContext(request, {"year": 2026, "label": "a"})) == "2026 a"
    assert template.render(RequestContext(request, {"year": 2026, "label": "b"})) == "2026 a"
    assert template.render(RequestContext(request, {"year": 2027, "label": "b"})) == "2027 b"
    # No request (an email, a rendering outside a view): always afresh.
    assert template.render(Context({"year": 2026, "label": "c"})) == "2026 c"


@pytest.fixture
def article():
    return ArticleFactory(published=True, title="Caseloads doubled", comments_open=True)


def test_an_article_page_is_the_same_with_fragments_kept(client, article, settings):
    CommentFactory(target=article, approved=True, body="First!")
    url = article.get_absolute_url()
    settings.FRAGMENT_CACHE = False
    plain = client.get(url)
    settings.FRAGMENT_CACHE = True
    first, kept = client.get(url), client.get(url)
    assert plain.status_code == first.status_code == kept.status_code == 200
    assert "First!" in kept.content.decode() and "Caseloads doubled" in kept.content.decode()
    assert restamp(first.content, 0) == restamp(plain.content, 0)
    assert restamp(kept.content, 0) == restamp(plain.content, 0)
    assert kept["ETag"] == plain["ETag"]


def test_kept_fragments_save_the_comment_query(client, article):
    url = article.get_absolute_url()
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as kept:
        client.get(url)
    assert any("comments_comment" in query["sql"] for query in first.captured_queries)
    assert not any("comments_comment" in query["sql"] for query in kept.captured_queries)


def test_a_kept_comment_form_carries_a_start_time_of_its_own_serving(client, article):
    url = article.get_absolute_url()
    started = re.compile(r'name="started" value="([^"]+)"')
    client.get(url)
    time.sleep(0.01)
    before = time.time()
    page = client.get(url).content.decode()
    _key, when = signing.loads(started.search(page)[1], salt=FORM_TOKEN_SALT)
    assert when >= before


def test_a_reply_form_is_never_kept_nor_shown_to_others(client, article):
    comment = CommentFactory(target=article, approved=True, name="Ada")
    url = article.get_absolute_url()
    reply = client.get(f"{url}?replytocom={comment.pk}").content.decode()
    assert "Reply to Ada" in reply
    assert "Reply to Ada" not in client.get(url).content.decode()
    client.get(url)
    assert "Reply to Ada" in client.get(f"{url}?replytocom={comment.pk}").content.decode()


def test_an_approved_comment_shows_at_once(client, article, on_commit):
    comment = CommentFactory(target=article, body="Held for now.")
    url = article.get_absolute_url()
    client.get(url)
    assert "Held for now." not in client.get(url).content.decode()
    with on_commit():
        comment.status = comment.Status.APPROVED
        comment.save()
    assert "Held for now." in client.get(url).content.decode()


def test_a_signed_in_reader_gets_every_part_afresh(client, article, admin_user):
    other = Client()
    other.get(article.get_absolute_url())
    client.force_login(admin_user)
    CommentFactory(target=article, approved=True, body="Straight in.")
    # No commit here (the test's transaction): kept fragments would still show the old thread.
    assert "Straight in." in client.get(article.get_absolute_url()).content.decode()


def test_the_kept_header_marks_only_the_menu_entry_of_its_own_page(client, article):
    listing = reverse("blog:article-list")
    for _ in range(2):
        on_listing = client.get(listing).content.decode()
        on_article = client.get(article.get_absolute_url()).content.decode()
    assert f'<a href="{listing}" aria-current="page">' in on_listing
    assert 'aria-current="page"' not in on_article


def test_a_kept_article_page_asks_the_database_nothing(client, article):
    # Its tags, inspections and neighbours are read only by kept fragments and slots, and
    # the article's own row is kept under the content version too.
    article.tags.add("probation")
    ArticleFactory(published=True, tags=["probation"])
    url = article.get_absolute_url()
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert "probation" in html
    assert queries.captured_queries == []


def test_a_signed_in_reader_loads_the_article_afresh(client, article, admin_user):
    url = article.get_absolute_url()
    Client().get(url)
    client.force_login(admin_user)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert any('"blog_article"' in query["sql"] for query in queries.captured_queries)


def test_a_kept_article_shows_its_edit_at_once(client, article, on_commit):
    url = article.get_absolute_url()
    client.get(url)
    with on_commit():
        article.title = "A title changed after the page was kept"
        article.save()
    assert "A title changed after the page was kept" in client.get(url).content.decode()


def test_an_unpublished_article_is_gone_at_once_though_its_row_was_kept(client, article, on_commit):
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    with on_commit():
        article.status = article.Status.DRAFT
        article.save()
    assert client.get(url).status_code == 404


def test_a_missing_article_is_not_kept(client, article):
    url = reverse("blog:article-detail", args=["not-yet-written"])
    assert client.get(url).status_code == 404
    assert not [key for key in fragments.entries if "not-yet-written" in key]


def test_each_request_gets_its_own_copy_of_a_kept_value(rf):
    loads = []

    def load():
        loads.append(1)
        return {"rows": [1, 2, 3]}

    first = kept(rf.get("/"), "rows", load)
    first["rows"].append(4)
    second = kept(rf.get("/"), "rows", load)
    assert second == {"rows": [1, 2, 3]} and second is not first
    assert len(loads) == 1


def test_kept_values_are_loaded_afresh_for_personal_readers_and_posts(rf):
    loads = []
    kept(rf.get("/"), "rows", lambda: loads.append(1))
    request = rf.get("/")
    request.COOKIES["sessionid"] = "x"
    kept(request, "rows", lambda: loads.append(1))
    kept(rf.post("/"), "rows", lambda: loads.append(1))
    assert len(loads) == 3


def test_a_kept_article_page_shows_a_new_tag_and_neighbour_at_once(client, article, on_commit):
    url = article.get_absolute_url()
    client.get(url)
    with on_commit():
        article.tags.add("reoffending")
        ArticleFactory(published=True, title="A later piece", tags=["reoffending"])
    html = client.get(url).content.decode()
    assert 'rel="tag">reoffending</a>' in html
    assert "A later piece" in html
