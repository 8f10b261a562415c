import datetime
import re

import pytest
from django.contrib.sites.models import Site
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from comments.views import REMEMBER_COOKIE, post_url
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Article page for an anonymous reader: a ceiling for the whole page (blog owns the rest);
# the comment thread itself must be exactly one query.
ARTICLE_QUERY_CEILING = 12


def page(client, target, query="") -> str:
    response = client.get(target.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def test_article_page_has_the_comment_form_under_the_article(client, article):
    html = page(client, article)

    assert '<section class="comments" id="comments"' in html
    assert "No responses" in html
    assert "Leave a comment" in html
    assert "We never publish your email address." in html
    assert f'action="{post_url(article)}" method="post"' in html
    assert 'name="csrfmiddlewaretoken"' not in html  # checked by origin: no cookie needed
    assert re.search(r'<div class="comment-form__trap" aria-hidden="true">', html)
    assert re.search(r'name="started" value="[^"]+"', html)
    assert html.index('<article class="article">') < html.index('id="comments"')
    assert "/articles/caseloads/comments/feed/" in html


def test_public_sees_approved_comments_only_and_never_an_email(client, article):
    CommentFactory(
        target=article,
        approved=True,
        name="Ada",
        email="ada.secret@example.net",
        website="https://ada.example/",
        body="Shown.",
    )
    for status in ("pending", "spam", "removed"):
        CommentFactory(target=article, status=status, body=f"Hidden {status}.")

    html = page(client, article)

    assert "One Response" in html
    assert "Shown." in html
    assert "Hidden" not in html
    assert "ada.secret" not in html
    assert '<a href="https://ada.example/" rel="nofollow ugc noopener"><bdi>Ada</bdi></a>' in html


def test_a_comment_written_in_the_other_language_is_marked_with_its_lang(client, article):
    """WCAG 3.1.2: a comment written on the English interface inside a Welsh page says so."""
    CommentFactory(target=article, approved=True, body="Written in English.", language="")
    CommentFactory(target=article, approved=True, body="Ysgrifennwyd yn Gymraeg.", language="cy")

    english = page(client, article)
    welsh = page(client, article, "?lang=cy")

    assert '<div class="comment__text" lang="cy"><p>Ysgrifennwyd yn Gymraeg.</p>' in english
    assert '<div class="comment__text"><p>Written in English.</p>' in english
    assert '<div class="comment__text" lang="en-GB"><p>Written in English.</p>' in welsh
    assert '<div class="comment__text"><p>Ysgrifennwyd yn Gymraeg.</p>' in welsh


def test_replies_are_nested_with_reply_links(client, article):
    parent = CommentFactory(target=article, approved=True, name="Ada")
    reply = CommentFactory(target=article, approved=True, parent=parent, name="Bo")

    html = page(client, article)

    assert "2 Responses" in html
    nested = re.search(
        rf'<li class="comment" id="comment-{parent.pk}">.*?'
        rf'<ol class="comment-list comment-list--replies">\s*'
        rf'<li class="comment" id="comment-{reply.pk}">',
        html,
        re.S,
    )
    assert nested
    assert f'href="?replytocom={parent.pk}#respond" rel="nofollow"' in html


def test_reply_link_without_javascript_points_the_form_at_the_comment(client, article):
    parent = CommentFactory(target=article, approved=True, name="Ada")

    html = page(client, article, f"?replytocom={parent.pk}")

    assert "Reply to Ada" in html
    assert f'name="parent" value="{parent.pk}"' in html


@pytest.mark.parametrize("value", ["abc", "999999", ""])
def test_unknown_reply_target_in_the_query_is_ignored(client, article, value):
    html = page(client, article, f"?replytocom={value}")
    assert "Leave a comment" in html
    assert 'name="parent" value=' not in html


def test_first_comment_is_held_with_a_message_and_no_anchor(client, article, post_comment):
    response = post_comment(article)

    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.name == "Ada Reader" and comment.email == "ada@example.net"
    html = page(client, article)
    assert "waiting for moderation" in html
    assert '<div class="messages" role="status">' in html
    assert "Caseloads have doubled" not in html


def test_trusted_comment_redirects_to_its_anchor(client, article, post_comment):
    CommentFactory(email="ada@example.net", approved=True)

    response = post_comment(article, body="Published at once.")

    comment = Comment.objects.get(body="Published at once.")
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    html = page(client, article)
    assert f'id="comment-{comment.pk}"' in html
    assert "waiting for moderation" not in html


def test_reply_is_stored_under_its_parent(client, article, post_comment):
    parent = CommentFactory(target=article, approved=True)
    post_comment(article, parent=str(parent.pk), notify_replies="on")
    reply = Comment.objects.get(parent=parent)
    assert reply.notify_replies


def _held_response(client, article, post_comment, **overrides):
    response = post_comment(article, **overrides)
    followed = client.get(response["Location"]).content.decode()
    message = re.search(r'<div class="messages".*?</div>', followed, re.S).group(0)
    return response.status_code, response["Location"], message


def test_spam_and_honeypot_hits_get_the_same_answer_as_held_comments(
    client, article, post_comment, comment_data
):
    held = _held_response(client, article, post_comment, body="Genuine.")
    too_fast = _held_response(client, article, post_comment, body="Fast.", started="")
    links = " ".join(f"https://spam.example/{n}" for n in range(4))
    linky = _held_response(client, article, post_comment, body=links)
    trapped = _held_response(client, article, post_comment, body="Bot.", homepage="x")

    assert held == too_fast == linky == trapped
    statuses = dict(Comment.objects.values_list("body", "status"))
    assert statuses == {"Genuine.": "pending", "Fast.": "spam", links: "spam"}


def test_remember_me_sets_a_signed_cookie_that_prefills_the_form(client, article, post_comment):
    post_comment(article, website="https://ada.example/", remember="on")

    cookie = client.cookies[REMEMBER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "ada@example.net" not in cookie.value  # signed and encoded, not plain
    html = page(client, article)
    assert 'value="Ada Reader"' in html
    assert 'value="ada@example.net"' in html
    assert 'value="https://ada.example/"' in html
    assert re.search(r'name="remember"[^>]*checked', html)


def test_without_remember_me_nothing_is_kept_and_an_old_cookie_is_cleared(
    client, article, post_comment
):
    post_comment(article, remember="on", body="First.")
    response = post_comment(article, body="Second.")

    assert response.cookies[REMEMBER_COOKIE].value == ""
    html = page(client, article)
    assert 'value="ada@example.net"' not in html


def test_a_forged_remember_cookie_is_ignored(client, article):
    client.cookies[REMEMBER_COOKIE] = signing.dumps({"name": "Mallory"}, salt="other")
    assert 'value="Mallory"' not in page(client, article)


def test_closed_thread_shows_comments_but_no_form(client, article):
    CommentFactory(target=article, approved=True, body="Earlier remark.")
    article.comments_open = False
    article.save()

    html = page(client, article)

    assert "Earlier remark." in html
    assert "Comments are closed." in html
    assert '<form class="comment-form"' not in html
    assert "replytocom" not in html


def test_thread_closes_after_the_configured_days(client, article, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    article.published_at = timezone.now() - datetime.timedelta(days=31)
    article.save()
    assert "Comments are closed." in page(client, article)


# Bad input: a clear answer, never a 500, and nothing stored.


def assert_refused(response, status, text):
    assert response.status_code == status
    assert text in response.content.decode()
    assert not Comment.objects.filter(name="Ada Reader").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/comments/post/blog.article/999999/",
        "/comments/post/auth.user/1/",
        "/comments/post/no.such/1/",
        "/comments/post/nonsense/1/",
    ],
)
def test_unknown_target_is_404(client, article, comment_data, url):
    response = client.post(url, comment_data(article))
    assert_refused(response, 404, "Page not found")


def test_unpublished_article_is_404(client, comment_data):
    draft = ArticleFactory()
    response = client.post(post_url(draft), comment_data(draft))
    assert_refused(response, 404, "Page not found")


def test_closed_thread_refuses_with_a_form_error(client, article, post_comment):
    article.comments_open = False
    article.save()
    assert_refused(post_comment(article), 400, "Comments are closed here.")


def test_reply_to_a_comment_on_another_article_is_refused(client, article, post_comment):
    elsewhere = CommentFactory(approved=True)
    response = post_comment(article, parent=str(elsewhere.pk))
    assert_refused(response, 400, "The comment you are replying to is not on this page.")


@pytest.mark.parametrize("parent", ["abc", "0", "-3"])
def test_junk_parent_is_a_form_error(client, article, post_comment, parent):
    assert_refused(post_comment(article, parent=parent), 400, "There is a problem")


def test_a_comment_posted_from_another_site_is_a_403_page(article, comment_data):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        post_url(article), comment_data(article), headers={"Origin": "https://evil.example"}
    )
    assert_refused(response, 403, "This form has expired")
    assert not Comment.objects.exists()


def test_a_comment_posted_from_the_page_without_javascript_or_cookies_is_accepted(
    article, comment_data
):
    client = Client(enforce_csrf_checks=True)
    page_response = client.get(article.get_absolute_url())
    assert page_response.status_code == 200 and not page_response.cookies
    started = re.search(r'name="started" value="([^"]+)"', page_response.content.decode())
    data = {**comment_data(article), "started": started.group(1)}
    # What a browser sends with a form on this site: no token, its own origin.
    headers = {"Origin": "https://oversight.example", "Sec-Fetch-Site": "same-origin"}
    response = client.post(post_url(article), data, headers=headers)
    assert response.status_code == 302
    assert Comment.objects.get().body == data["body"]


def test_over_long_body_is_refused(client, article, post_comment, settings):
    settings.COMMENTS_MAX_LENGTH = 5000
    response = post_comment(article, body="x" * 5001)
    assert_refused(response, 400, "Ensure this value has at most 5000 characters")
    assert post_comment(article, body="x" * 5000).status_code == 302


@pytest.mark.parametrize("email", ["not-an-email", "ada@", "@example.net", "a b@example.net", ""])
def test_malformed_or_missing_email_is_refused(client, article, post_comment, email):
    response = post_comment(article, email=email)
    assert response.status_code == 400
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "   "),
        ("name", "x" * 101),
        ("body", ""),
        ("body", " \n\n "),
        ("body", "null\x00byte"),
        ("website", "javascript:alert(1)"),
        ("website", "ftp://example.org/"),
        ("website", "data:text/html,<script>alert(1)</script>"),
    ],
)
def test_invalid_fields_are_form_errors(client, article, post_comment, field, value):
    response = post_comment(article, **{field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Your comment has not been posted" in html
    assert 'aria-invalid="true"' in html
    assert not Comment.objects.exists()


def test_form_errors_keep_what_the_reader_typed(client, article, post_comment):
    html = post_comment(article, email="nope", body="My careful words.").content.decode()
    assert "My careful words." in html
    assert 'value="Ada Reader"' in html
    assert '<a href="#comment-form-email">' in html
    assert 'id="comment-form-email"' in html


def test_duplicate_is_a_form_error(client, article, post_comment):
    assert post_comment(article).status_code == 302
    response = post_comment(article)
    assert response.status_code == 400
    assert "You have already posted this comment here." in response.content.decode()
    assert Comment.objects.count() == 1


def test_rate_limit_is_429_with_an_explanation(client, article, post_comment, settings):
    settings.COMMENTS_RATE_LIMIT = 2
    post_comment(article, body="One")
    post_comment(article, body="Two")
    response = post_comment(article, body="Three")
    assert response.status_code == 429
    assert "Please wait a few minutes." in response.content.decode()
    assert Comment.objects.count() == 2


def test_rate_limit_reads_the_configured_proxy_header(client, article, comment_data, settings):
    settings.COMMENTS_RATE_LIMIT = 1
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    url = post_url(article)
    for n, address in enumerate(["198.51.100.1", "198.51.100.2"]):
        response = client.post(
            url,
            comment_data(article, body=f"From {n}"),
            headers={"X-Forwarded-For": f"10.0.0.1, {address}"},
        )
        assert response.status_code == 302
    assert Comment.objects.values("ip_hash").distinct().count() == 2


def test_get_on_the_post_address_is_not_allowed(client, article):
    assert client.get(post_url(article)).status_code == 405


# Query counts.


def _add_threads(article, count):
    roots = CommentFactory.create_batch(max(1, count // 4), target=article, approved=True)
    made = len(roots)
    parents = roots
    while made < count:
        for parent in list(parents):
            if made >= count:
                break
            reply = CommentFactory(target=article, approved=True, parent=parent)
            parents.append(reply)
            made += 1


def test_article_page_queries_do_not_grow_with_comments(
    client, django_assert_max_num_queries, django_assert_num_queries
):
    article = ArticleFactory(published=True, tags=["a"])
    _add_threads(article, 2)
    cache.clear()
    Site.objects.clear_cache()
    client.get(article.get_absolute_url())  # warm per-process caches (templates)
    cache.clear()
    Site.objects.clear_cache()
    with django_assert_max_num_queries(ARTICLE_QUERY_CEILING) as two:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 Responses" in html
    comment_queries = [q for q in two.captured_queries if "comments_comment" in q["sql"]]
    assert len(comment_queries) == 1

    _add_threads(article, 198)
    cache.clear()
    Site.objects.clear_cache()
    with django_assert_num_queries(len(two.captured_queries)):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "200 Responses" in html
    assert html.count('<li class="comment"') == 200


@pytest.mark.parametrize("url", ["/", "/articles/", "/tags/probation/"])
def test_listings_show_counts_without_a_query_per_article(client, django_assert_num_queries, url):
    def add(count):
        for _n in range(count):
            article = ArticleFactory(published=True, tags=["probation"])
            CommentFactory.create_batch(3, target=article, approved=True)
            CommentFactory(target=article)

    add(1)
    cache.clear()
    Site.objects.clear_cache()
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 Responses" in html
    add(5)
    cache.clear()
    Site.objects.clear_cache()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("3 Responses") == 6


def test_listing_counts_say_no_responses_and_one_response(client):
    ArticleFactory(published=True, title="Quiet")
    busy = ArticleFactory(published=True, title="Busy")
    CommentFactory(target=busy, approved=True)

    html = client.get("/").content.decode()

    assert "No responses" in html and "One Response" in html
    assert f'href="/articles/{busy.slug}/#comments"' in html


# Reply notifications: the stop link.


def test_stop_link_asks_before_it_stops(client, article):
    comment = CommentFactory(target=article, notify_replies=True)
    url = f"/comments/replies/stop/{comment.stop_token()}/"

    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stop reply emails" in html and '<form method="post">' in html
    assert comment.email not in html
    comment.refresh_from_db()
    assert comment.notify_replies

    response = client.post(url)
    assert "Reply emails stopped" in response.content.decode()
    comment.refresh_from_db()
    assert not comment.notify_replies


def test_one_click_unsubscribe_post_needs_no_csrf_token(article):
    comment = CommentFactory(target=article, notify_replies=True)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/comments/replies/stop/{comment.stop_token()}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    comment.refresh_from_db()
    assert not comment.notify_replies


@pytest.mark.parametrize("token", ["junk", "MQ:1abc:forged"])
def test_forged_stop_link_is_404(client, token):
    assert client.post(f"/comments/replies/stop/{token}/").status_code == 404
