import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_is_503_with_a_reason_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("core.views.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "reason": "database unreachable: DatabaseError",
        "database": "unreachable",
        "cache": "ok",
    }


@pytest.mark.django_db  # with the page cache on (REDIS_URL), the version is read first
def test_robots_txt_points_at_the_sitemap_and_keeps_out_of_admin(client):
    response = client.get("/robots.txt")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in body
    assert "Sitemap: https://oversight.example/sitemap.xml" in body


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_unsafe_inline(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.django_db
def test_a_form_posted_from_another_site_gets_a_readable_403_page():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/i18n/setlang/", {"language": "cy"}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


@pytest.mark.django_db
def test_every_page_sends_a_permissions_policy_turning_off_unused_features(client):
    for url in ["/", "/healthz", "/robots.txt", "/no-such-page/"]:
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
        assert "web-share" not in policy and "clipboard-write" not in policy


def home_page_failing_with(client, monkeypatch, error: Exception):
    """The home page when reading its articles raises `error`."""
    from blog.models import Article

    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr(Article.objects, "published", failing)
    client.raise_request_exception = False
    return client.get("/")


@pytest.mark.django_db
def test_a_database_outage_is_a_styled_503_with_retry_after(client, monkeypatch):
    from django.db import OperationalError

    response = home_page_failing_with(client, monkeypatch, OperationalError("refused"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Back in a moment" in response.content.decode()


@pytest.mark.django_db
def test_other_errors_keep_the_500_page(client, monkeypatch):
    response = home_page_failing_with(client, monkeypatch, RuntimeError("a bug"))
    assert response.status_code == 500
    assert "Retry-After" not in response


@pytest.mark.django_db
@pytest.mark.urls("tests.core.media_urls")
@pytest.mark.parametrize(
    ("name", "content", "inline"),
    [
        ("articles/chart.png", b"\x89PNG\r\n\x1a\n", True),
        ("files/report.pdf", b"%PDF-1.7\n", True),
        ("files/page.html", b"<script>alert(1)</script>", False),
        ("files/notes.txt", b"<html><script>alert(1)</script>", False),
        ("files/drawing.svg", b"<svg onload='alert(1)'/>", False),
    ],
)
def test_uploads_are_never_run_or_sniffed(client, settings, name, content, inline):
    path = settings.MEDIA_ROOT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    response = client.get(f"/media/{name}")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    disposition = response.get("Content-Disposition", "inline")
    assert disposition.startswith("inline" if inline else "attachment")
