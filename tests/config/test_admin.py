import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.processes import run_python

INDEX = reverse("admin:index")


@pytest.mark.django_db
def test_index_shows_each_apps_panel_in_order(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(INDEX)

    assert response.status_code == 200
    names = [panel.name for panel in response.context["dashboard"]]
    assert names == ["blog-articles", "comments-pending", "subscriptions-digest"]
    html = response.content.decode()
    ids = ["dashboard-review", "dashboard-comments", "dashboard-digest"]
    positions = [html.index(f'id="{id_}"') for id_ in ids]
    assert positions == sorted(positions)


def test_without_comments_and_subscriptions_only_the_blog_panel_is_registered():
    script = (
        "import django\n"
        "from django.conf import settings\n"
        "settings.INSTALLED_APPS = [\n"
        "    app for app in settings.INSTALLED_APPS if app not in {'comments', 'subscriptions'}\n"
        "]\n"
        "django.setup()\n"
        "from django.urls import reverse\n"
        "from core.dashboard import registered_panels\n"
        "reverse('admin:index')\n"
        "print(','.join(panel.name for panel in registered_panels()))\n"
    )
    result = run_python(script)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "blog-articles"
