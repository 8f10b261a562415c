"""Reading pages with plug-ins uninstalled (run by tests/architecture/test_plugins_removable.py).

Skipped in the ordinary run, where every plug-in is installed.
"""

import pytest
from django.apps import apps
from django.conf import settings
from taggit.models import Tag

from tests.factories import ArticleFactory, UserFactory
from tests.inspections.factories import InspectionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not getattr(settings, "REMOVED_APPS", None),
        reason="runs only under tests.without_plugins.settings",
    ),
]


def test_the_plugins_are_really_gone():
    for app in settings.REMOVED_APPS:
        assert not apps.is_installed(app)


def test_reading_pages_work_without_the_plugins(client):
    tag = Tag.objects.create(name="Caseloads", slug="caseloads")
    article = ArticleFactory(published=True, title="Caseloads in the north", comments_open=True)
    article.tags.add(tag)
    inspection = InspectionFactory(title="Probation in the north", comments_open=True)
    inspection.tags.add(tag)

    pages = {
        "/": "Caseloads in the north",
        "/articles/": "Caseloads in the north",
        article.get_absolute_url(): "Caseloads in the north",
        f"/tags/{tag.slug}/": "Probation in the north",
        "/inspections/": "Probation in the north",
        inspection.get_absolute_url(): "Probation in the north",
        "/feed/": "Caseloads in the north",
        "/inspections/feed/": "Probation in the north",
        "/sitemap.xml": article.get_absolute_url(),
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert text in html, url
        if "comments" in settings.REMOVED_APPS:
            assert 'id="comments"' not in html, url
            assert "comment-form" not in html, url
        if "sharing" in settings.REMOVED_APPS:
            assert "share__list" not in html, url
        if "subscriptions" in settings.REMOVED_APPS:
            assert "/subscribe/" not in html, url


def test_plugin_addresses_are_gone(client):
    article = ArticleFactory(published=True)
    if "comments" in settings.REMOVED_APPS:
        assert client.get(f"{article.get_absolute_url()}comments/feed/").status_code == 404
        assert client.get("/comments/feed/").status_code == 404
    if "search" in settings.REMOVED_APPS:
        assert client.get("/search/", {"q": "x"}).status_code == 404


def test_the_admin_dashboard_works_without_the_plugins(client):
    editor = UserFactory(username="editor", is_staff=True, is_superuser=True)
    client.force_login(editor)
    response = client.get("/admin/")
    assert response.status_code == 200
