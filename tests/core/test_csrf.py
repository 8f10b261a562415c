import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core.csrf import cross_site_reason, same_origin_post

SITE = "https://oversight.example"


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "same-origin", "Origin": SITE},
        {"Origin": SITE},
        {"Origin": "HTTPS://OVERSIGHT.EXAMPLE"},
        {"Referer": f"{SITE}/articles/caseloads/"},
    ],
)
def test_a_post_from_this_site_passes(headers):
    request = RequestFactory().post("/subscribe/", headers=headers)
    assert cross_site_reason(request) == ""


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": SITE},  # the browser's word wins
        {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another site's pages
        {"Sec-Fetch-Site": "none"},
        {"Origin": "https://evil.example", "Referer": f"{SITE}/"},
        {"Origin": "null"},
        {"Origin": "http://oversight.example"},  # downgraded scheme
        {"Referer": "https://oversight.example.evil.example/"},
        {"Referer": "not a url"},
        {},
    ],
)
def test_a_post_from_anywhere_else_is_explained(headers):
    request = RequestFactory().post("/subscribe/", headers=headers)
    assert cross_site_reason(request)


def test_trusted_origins_from_the_setting_pass(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.oversight.example"]
    request = RequestFactory().post("/", headers={"Origin": "https://www.oversight.example"})
    assert cross_site_reason(request) == ""


@pytest.mark.django_db
def test_the_decorator_refuses_with_the_csrf_failure_page_and_lets_reads_through():
    view = same_origin_post(lambda request: HttpResponse("done"))
    factory = RequestFactory()

    forged = view(factory.post("/", headers={"Origin": "https://evil.example"}))
    real = view(factory.post("/", headers={"Origin": SITE}))
    read = view(factory.get("/", headers={"Origin": "https://evil.example"}))

    assert forged.status_code == 403 and b"This form has expired" in forged.content
    assert real.content == b"done" and read.content == b"done"
    assert view.csrf_exempt  # no token cookie is asked for
