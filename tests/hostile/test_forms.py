"""Every public form with a hostile corpus: a clear error or a normal answer, never a 500;
nothing bad stored; no email with an injected header or to an address nobody typed."""

import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from comments.forms import form_token
from comments.models import Comment
from comments.views import post_url
from subscriptions.models import Subscriber
from tests.factories import ArticleFactory
from tests.subscriptions.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "Ada\r\nBcc: victim@example.org",
    "ada@example.net\r\nBcc: victim@example.org",
    "ada@example.net\nSubject: hijacked",
    "a\x00b",
    "x" * 100_000,
    "ﬁ‮𝕏",
    "' OR 1=1 --",
    "{{ settings.SECRET_KEY }}",
    "%0d%0aBcc:victim@example.org",
]
ANSWERS = {200, 302, 400, 403, 404, 405, 429}


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.COMMENTS_RATE_LIMIT = 0  # the corpus is many posts from one address


@pytest.fixture
def article():
    return ArticleFactory(published=True, title="Caseloads")


def comment_fields(article):
    return {
        "name": "Ada Reader",
        "email": "ada@example.net",
        "website": "",
        "body": "Caseloads have doubled.",
        "started": form_token(article, when=time.time() - 60),
        "homepage": "",
        "parent": "",
        "notify_replies": "",
        "remember": "",
    }


def forms(article, subscriber):
    """(name, method, url, valid data) of every public form."""
    return [
        ("comment", "post", post_url(article), comment_fields(article)),
        (
            "subscribe",
            "post",
            "/subscribe/",
            {"email": "new@example.net", "frequency": "daily", "tags": ""},
        ),
        ("manage", "post", subscriber.get_manage_url(), {"frequency": "weekly", "tags": ""}),
        ("unsubscribe", "post", subscriber.get_unsubscribe_url(), {}),
        ("search", "get", "/search/", {"q": "caseloads"}),
        ("language", "post", "/i18n/setlang/", {"language": "cy", "next": "/"}),
        (
            "mastodon",
            "post",
            "/share/mastodon/",
            {
                "instance": "mastodon.social",
                "text": "Caseloads",
                "url": "https://oversight.example/articles/x/",
            },
        ),
    ]


def assert_nothing_bad_stored_or_sent():
    for comment in Comment.objects.all():
        for value in (comment.name, comment.email, comment.website, comment.body):
            assert "\x00" not in value
        assert "\r" not in comment.email and "\n" not in comment.email
        assert "\n" not in comment.name
    for subscriber in Subscriber.objects.all():
        assert "\r" not in subscriber.email and "\n" not in subscriber.email
        assert "<" not in subscriber.email
    for message in mail.outbox:
        for address in message.to + message.cc + message.bcc:
            assert "victim@example.org" not in address
        text = message.message().as_string()
        assert "\nBcc: victim" not in text and "\nSubject: hijacked" not in text
        assert message.subject and "\n" not in message.subject


def test_every_field_of_every_form_with_every_payload(client, article):
    subscriber = SubscriberFactory(email="reader@example.net")
    tried = 0
    for name, method, url, valid in forms(article, subscriber):
        fields = list(valid) or ["extra"]
        for field in fields:
            for payload in PAYLOADS:
                data = {**valid, field: payload}
                response = getattr(client, method)(url, data)
                tried += 1
                assert response.status_code in ANSWERS, (name, field, payload[:40])
                if response.status_code == 302:
                    location = urlsplit(response["Location"])
                    assert "\n" not in response["Location"] and "\r" not in response["Location"]
                    if name == "mastodon":
                        assert location.scheme == "https"  # the reader's own server
                    else:
                        assert location.netloc in {"", "oversight.example"}, "open redirect"
                body = response.content.decode(errors="replace")
                for marker in ("<script>alert(1)</script>", "<img src=x onerror"):
                    assert marker not in body, (name, field)
    assert tried == 21 * len(PAYLOADS)  # 21 fields of 7 forms
    assert_nothing_bad_stored_or_sent()


def test_duplicate_fields_wrong_content_types_and_invalid_utf8(client, article):
    subscriber = SubscriberFactory(email="reader@example.net")
    for name, _method, url, valid in forms(article, subscriber):
        if name == "search":
            continue
        encoded = "&".join(f"{key}={value}" for key, value in valid.items())
        bodies = [
            (f"{encoded}&{encoded}", "application/x-www-form-urlencoded"),  # every field twice
            (
                b"email=\xff\xfe\xfd&name=\xc3\x28&body=\xa0\xa1",
                "application/x-www-form-urlencoded",
            ),
            ('{"email": "json@example.net"}', "application/json"),
            ("<xml/>", "text/xml"),
            ("--x\r\nContent-Disposition: form-data; name=", "multipart/form-data; boundary=x"),
            ("", "multipart/form-data"),  # no boundary
        ]
        for body, content_type in bodies:
            response = client.generic("POST", url, body, content_type=content_type)
            assert response.status_code in ANSWERS, (name, content_type)
    response = client.get("/search/", {"q": "\xff\x00"})
    assert response.status_code in ANSWERS
    assert_nothing_bad_stored_or_sent()


# What a browser says about a form posted to us from a page on another site (or says
# nothing, as no current browser does): every one is refused.
FORGED = [
    {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "same-site", "Origin": "https://evil.oversight.example"},
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Origin": "https://oversight.example.evil.example"},
    {"Referer": "https://evil.example/oversight.example/"},
    {},
]


@pytest.mark.parametrize("headers", FORGED)
def test_every_form_refuses_a_post_from_another_site(article, headers):
    client = Client(enforce_csrf_checks=True)
    subscriber = SubscriberFactory(email="reader@example.net")
    for name, _method, url, valid in forms(article, subscriber):
        if name in {"search", "unsubscribe"}:
            continue  # a GET; and RFC 8058 one-click unsubscribe arrives from the mail provider
        response = client.post(url, valid, headers=headers)
        assert response.status_code == 403, name
    assert not Comment.objects.exists()
    assert not Subscriber.objects.filter(email="new@example.net").exists()
    assert mail.outbox == []
