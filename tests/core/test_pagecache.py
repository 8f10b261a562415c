"""Anonymous readers' pages: shared-cache headers, conditional GET, the full-page cache."""

import datetime
import re
import time

import pytest
from django.core import signing
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from comments.forms import FORM_TOKEN_SALT, restamp
from core.pagecache import page_cache_middleware
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True


@pytest.fixture
def article():
    return ArticleFactory(published=True, title="Caseloads doubled")


def test_an_anonymous_page_is_public_for_shared_caches_with_an_etag(client, article, settings):
    settings.PAGE_CACHE = False
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200 and "Caseloads doubled" in response.content.decode()
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and "s-maxage=10" in cache_control
    assert "stale-while-revalidate=30" in cache_control and "max-age=0" in cache_control
    again = client.get(article.get_absolute_url(), headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_a_reader_with_a_session_or_a_remembered_name_gets_a_private_fresh_page(
    client, article, page_cache
):
    url = article.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    for cookie in ("sessionid", "comment_author", "messages"):
        reader = Client()
        reader.cookies[cookie] = "x"
        response = reader.get(url)
        assert response.status_code == 200 and "Caseloads doubled" in response.content.decode()
        assert "X-Page-Cache" not in response and "ETag" not in response, cookie
        assert "private" in response["Cache-Control"], cookie


def test_staff_get_fresh_pages(client, article, page_cache, admin_user):
    client.get("/")
    client.force_login(admin_user)
    response = client.get("/")
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_a_warm_page_is_served_from_the_cache_without_a_query(
    client, article, page_cache, django_assert_num_queries
):
    url = article.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second["X-Page-Cache"] == "hit"
    assert restamp(second.content, 0) == restamp(first.content, 0)  # the same page
    assert second["Content-Type"] == first["Content-Type"]
    assert "Content-Security-Policy" in second and "nonce" not in second["Content-Security-Policy"]
    assert not second.cookies and "Cookie" not in second.get("Vary", "")


def test_a_revalidation_is_a_304_from_the_version_alone(client, article, page_cache):
    url = article.get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and first["Last-Modified"]
    by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_etag.status_code == 304 and by_date.status_code == 304
    assert by_etag["ETag"] == first["ETag"]


def test_each_language_has_its_own_page_and_etag(client, article, page_cache):
    english = client.get("/")
    welsh = client.get("/", headers={"Accept-Language": "cy"})
    assert '<html lang="en-gb">' in english.content.decode()
    assert '<html lang="cy">' in welsh.content.decode()
    assert english["ETag"] != welsh["ETag"]
    chosen = Client()
    chosen.cookies["django_language"] = "cy"
    response = chosen.get("/")
    assert '<html lang="cy">' in response.content.decode()
    assert "private" in response["Cache-Control"]  # a CDN keys on Accept-Language, not this


def test_a_page_using_a_csp_nonce_is_never_cached(rf, page_cache):
    from core.pagecache import page_cache_middleware

    def view(request):
        request._csp_nonce = "abc"
        return HttpResponse(f'<script nonce="{request._csp_nonce}"></script>')

    middleware = page_cache_middleware(view)
    for _ in range(2):
        response = middleware(rf.get("/nonce/"))
        assert "X-Page-Cache" not in response and "ETag" not in response


def test_personal_and_failed_answers_are_not_cached(client, page_cache):
    for url in ("/subscribe/", "/no-such-page/"):
        client.get(url)
        response = client.get(url)
        assert response.get("X-Page-Cache") != "hit", url
    assert "no-store" in client.get("/subscribe/")["Cache-Control"]


def test_pages_keep_working_when_the_cache_answers_nothing(
    client, article, page_cache, monkeypatch
):
    from core import pagecache

    monkeypatch.setattr(pagecache.cache, "get", lambda *args, **kwargs: None)
    monkeypatch.setattr(pagecache.cache, "set", lambda *args, **kwargs: None)
    for _ in range(2):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200 and response["X-Page-Cache"] == "miss"


def test_a_cached_comment_form_carries_a_start_time_of_its_own_serving(client, article, page_cache):
    url = article.get_absolute_url()
    started = re.compile(r'name="started" value="([^"]+)"')
    miss = client.get(url)
    time.sleep(0.01)
    before_hit = time.time()
    hit = client.get(url)
    assert miss["X-Page-Cache"] == "miss" and hit["X-Page-Cache"] == "hit"
    (_key, cached_at) = signing.loads(
        started.search(miss.content.decode())[1], salt=FORM_TOKEN_SALT
    )
    (key, served_at) = signing.loads(started.search(hit.content.decode())[1], salt=FORM_TOKEN_SALT)
    assert cached_at < before_hit <= served_at and key == f"blog.article:{article.pk}"


def test_readers_in_one_second_share_one_restamped_form_token(article):
    started = re.compile(rb'name="started" value="([^"]+)"')
    page = Client().get(article.get_absolute_url()).content
    when = int(time.time()) + 0.5  # mid-second: both reads fall in the same second
    first, second = restamp(page, when), restamp(page, when + 0.25)
    assert started.search(first)[1] == started.search(second)[1]
    (_key, stamped) = signing.loads(started.search(first)[1].decode(), salt=FORM_TOKEN_SALT)
    assert when <= stamped < when + 1  # never earlier: the minimum time on a form holds
    later = restamp(page, when + 1)
    assert started.search(later)[1] != started.search(first)[1]


def test_a_page_this_process_served_needs_only_the_version_from_the_shared_cache(
    client, article, page_cache, on_commit
):
    from django.core.cache import cache

    from core.pagecache import pages_here

    url = article.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    page_keys = [key for key in pages_here.entries if key.startswith("page:")]
    assert len(page_keys) == 1
    cache.delete(page_keys[0])  # gone from the shared cache: this process still has it
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit" and "Caseloads doubled" in hit.content.decode()
    with on_commit():  # a change (in any process) starts a new version: fresh at once
        article.title = "Caseloads halved"
        article.save()
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss" and "Caseloads halved" in fresh.content.decode()


def test_a_head_request_for_a_cached_page_gets_its_headers_and_no_body(rf, page_cache):
    def view(request):
        return HttpResponse("<p>" + "findings " * 200 + "</p>")

    serve = page_cache_middleware(view)
    full = serve(rf.get("/findings/"))
    head = serve(rf.head("/findings/"))
    assert full["X-Page-Cache"] == "miss" and head["X-Page-Cache"] == "hit"
    assert head.content == b""
    assert head["Content-Length"] == str(len(full.content))
    assert head["ETag"] == full["ETag"]


def test_a_cached_page_loses_its_comment_form_when_comments_close_by_age(
    client, page_cache, settings, time_machine
):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 10
    time_machine.move_to(timezone.now(), tick=False)
    article = ArticleFactory(
        published=True, published_at=timezone.now() - datetime.timedelta(days=10, minutes=-30)
    )
    url = article.get_absolute_url()
    assert 'name="started"' in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"

    time_machine.shift(datetime.timedelta(minutes=31))
    closed = client.get(url)
    assert closed["X-Page-Cache"] == "miss"
    assert 'name="started"' not in closed.content.decode()


def test_an_uncached_pages_etag_holds_across_seconds(client, article, settings, time_machine):
    settings.PAGE_CACHE = False
    time_machine.move_to(timezone.now(), tick=False)
    first = client.get(article.get_absolute_url())
    time_machine.shift(datetime.timedelta(seconds=5))
    again = client.get(article.get_absolute_url(), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("cached", [True, False], ids=["page cache", "no page cache"])
@pytest.mark.parametrize(
    "page",
    ["article", "inspection", "/", "/articles/", "/inspections/", "/feed/", "/inspections/feed/"],
)
def test_articles_inspections_listings_and_feeds_answer_a_revalidation_with_304(
    client, article, settings, cached, page
):
    from tests.inspections.factories import InspectionFactory

    settings.PAGE_CACHE = cached
    inspection = InspectionFactory()
    url = {"article": article.get_absolute_url(), "inspection": inspection.get_absolute_url()}
    url = url.get(page, page)
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert "public" in first["Cache-Control"] and "s-maxage" in first["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    if cached:
        by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
        assert by_date.status_code == 304
