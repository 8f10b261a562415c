"""Who may see and change what in the admin: every registered model's list and add pages,
for each role and for a visitor who is not signed in. The table is the policy; a change in
who can reach what fails here first."""

import pytest
from django.contrib import admin

from core.roles import AUTHOR, EDITOR, MODERATOR
from tests.blog.factories import StaffFactory

pytestmark = pytest.mark.django_db

CONTENT = {
    "blog.category", "blog.authorprofile", "blog.article", "blog.resourcepack",
    "inspections.inspectorate", "inspections.ratingscale", "inspections.ratinglevel",
    "inspections.programme", "inspections.theme", "inspections.measure",
    "inspections.operator", "inspections.organisation", "inspections.inspection",
    "inspections.inspectedorganisation", "inspections.finding", "inspections.score",
    "inspections.recommendation", "taggit.tag", "redirects.redirect", "flatpages.flatpage",
}  # fmt: skip
READERS = {
    "comments.comment", "subscriptions.subscriber", "subscriptions.delivery",
    "subscriptions.digest", "subscriptions.announcement", "privacy.datarequest",
    "subscriptions.inspectionannouncement",
}  # fmt: skip
# Records the site writes itself: editors read them, nobody adds them by hand.
WRITTEN_BY_THE_SITE = {
    "subscriptions.delivery", "subscriptions.digest", "subscriptions.announcement",
    "subscriptions.inspectionannouncement", "comments.comment",
}  # fmt: skip

SEE = {
    EDITOR: CONTENT | READERS,
    AUTHOR: {
        "blog.article",
        "blog.category",
        "taggit.tag",
        "inspections.inspection",
        # Authors draft inspections and their rows, choosing from the reference lists.
        "inspections.inspectedorganisation",
        "inspections.finding",
        "inspections.score",
        "inspections.recommendation",
        "inspections.inspectorate",
        "inspections.programme",
        "inspections.organisation",
        "inspections.theme",
        "inspections.measure",
        "inspections.ratinglevel",
    },
    MODERATOR: {"comments.comment"},
}
ADD = {
    EDITOR: (CONTENT | READERS) - WRITTEN_BY_THE_SITE,
    AUTHOR: {
        "blog.article",
        "taggit.tag",
        "inspections.inspection",
        "inspections.inspectedorganisation",
        "inspections.finding",
        "inspections.score",
        "inspections.recommendation",
    },
    MODERATOR: set(),
}


def registered() -> list[str]:
    return sorted(model._meta.label_lower for model in admin.site._registry)


def admin_url(label: str, page: str) -> str:
    app, model = label.split(".")
    return f"/admin/{app}/{model}/{page}"


@pytest.mark.parametrize("role", [EDITOR, AUTHOR, MODERATOR])
def test_each_role_sees_and_adds_exactly_what_the_policy_says(client, role):
    client.force_login(StaffFactory(role=role))
    seen, added = set(), set()
    for label in registered():
        listing = client.get(admin_url(label, ""))
        assert listing.status_code in {200, 403}, (label, listing.status_code)
        if listing.status_code == 200:
            seen.add(label)
        adding = client.get(admin_url(label, "add/"))
        assert adding.status_code in {200, 403}, (label, adding.status_code)
        if adding.status_code == 200:
            added.add(label)
    assert seen == SEE[role] & set(registered())
    assert added == ADD[role] & set(registered())


def test_a_visitor_who_is_not_signed_in_reaches_no_admin_page(client):
    for label in registered():
        for page in ("", "add/"):
            response = client.get(admin_url(label, page))
            assert response.status_code == 302, label
            assert response["Location"].startswith("/admin/login/")


def test_only_superusers_reach_users_groups_sites_and_tasks(client):
    client.force_login(StaffFactory(role=EDITOR))
    for label in ["auth.user", "auth.group", "sites.site", "django_tasks_database.dbtaskresult"]:
        if label in registered():
            assert client.get(admin_url(label, "")).status_code == 403, label
