"""Drafts, inspections in review and scheduled ones appear on no public surface; a scheduled
one appears everywhere once its go-live time comes. One rule: Inspection.objects.published()."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from inspections import exports
from inspections.models import Inspection
from tests.factories import ArticleFactory
from tests.inspections.factories import (
    FindingFactory,
    InspectedOrganisationFactory,
    InspectionFactory,
    MeasureFactory,
    OrganisationFactory,
    RecommendationFactory,
    ScoreFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = ["draft", "review", "scheduled"]
LATER = datetime.timedelta(days=4)  # past the scheduled inspection's go-live time


def title(label: str) -> str:
    return f"{label.capitalize()} Zanzibar record"


@pytest.fixture
def records(django_capture_on_commit_callbacks):
    """One public inspection and one of each hidden kind, each with its own organisation,
    finding, score and recommendation, all sharing an organisation, a tag and an article."""
    cache.clear()
    shared = OrganisationFactory(slug="shared-org", name="Shared Organisation")
    made = {}
    with django_capture_on_commit_callbacks(execute=True):  # the search index updates
        for label, traits, year in [
            ("public", {}, 2016),
            ("draft", {"draft": True}, 2031),
            ("review", {"in_review": True}, 2032),
            ("scheduled", {"scheduled": True}, 2033),
        ]:
            inspection = InspectionFactory(
                title=title(label),
                slug=f"{label}-rec",
                published_on=datetime.date(year, 5, 1),
                tags=["zanzibar"],
                **traits,
            )
            own = OrganisationFactory(
                slug=f"{label}-org", name=f"{label} organisation", short_name=f"{label} own org"
            )
            for organisation in (shared, own):
                InspectedOrganisationFactory(inspection=inspection, organisation=organisation)
            FindingFactory(inspection=inspection, organisation=own, text=f"{label} finding text")
            ScoreFactory(
                inspection=inspection,
                organisation=shared,
                measure=MeasureFactory(slug=f"{label}-measure", name=f"{label} measure"),
            )
            RecommendationFactory(
                inspection=inspection, text=f"{label} recommendation", addressed_to=[own]
            )
            made[label] = inspection
        article = ArticleFactory(published=True, slug="the-article")
        article.related_inspections.set(made.values())
    return made


def _get(client, url) -> str:
    cache.clear()  # the sitemap is cached for a quarter of an hour
    response = client.get(url)
    assert response.status_code == 200, url
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _datasets(client) -> str:
    return "".join(
        _get(client, reverse("inspections:data-download", args=[name, fmt]))
        for name in exports.DATASETS
        for fmt in ("csv", "json")
    )


# Each surface: what a reader fetches, and how a hidden inspection would show in it.
SURFACES = {
    "list": (lambda c: _get(c, reverse("inspections:inspection-list")), title),
    "list-year-filter": (lambda c: _get(c, reverse("inspections:inspection-list")), None),
    "organisation-page": (
        lambda c: _get(c, reverse("inspections:organisation-detail", args=["shared-org"])),
        title,
    ),
    "compare": (
        lambda c: _get(c, reverse("inspections:compare") + "?org=shared-org"),
        lambda label: f"{label} measure",
    ),
    "feed": (lambda c: _get(c, reverse("inspections:inspection-feed")), title),
    "sitemap": (lambda c: _get(c, "/sitemap.xml"), lambda label: f"/inspections/{label}-rec/"),
    "sitemap-organisations": (
        lambda c: _get(c, "/sitemap.xml"),
        lambda label: f"/inspections/organisations/{label}-org/",
    ),
    "open-data": (_datasets, lambda label: f"{label}-rec"),
    "open-data-rows": (_datasets, lambda label: f"{label} finding text"),
    "open-data-organisations": (_datasets, lambda label: f"{label}-org"),
    "open-data-recommendations": (_datasets, lambda label: f"{label} recommendation"),
    "data-page-json-ld": (lambda c: _get(c, reverse("inspections:data")), None),
    "tag-page": (lambda c: _get(c, reverse("blog:tag-detail", args=["zanzibar"])), title),
    "search": (lambda c: _get(c, reverse("search:search") + "?q=zanzibar"), title),
    "search-findings": (
        lambda c: _get(c, reverse("search:search") + "?q=finding+text"),
        lambda label: f"{label} own org",  # a finding's heading names its organisation
    ),
    "article-inspections": (
        lambda c: _get(c, reverse("blog:article-detail", args=["the-article"])),
        title,
    ),
}
YEARS = {"public": "2016", "draft": "2031", "review": "2032", "scheduled": "2033"}


def _marker(surface: str, label: str) -> str:
    show = SURFACES[surface][1]
    return show(label) if show else YEARS[label]


@pytest.mark.parametrize("surface", SURFACES)
def test_no_draft_review_or_scheduled_inspection_appears(client, records, surface):
    fetch, _show = SURFACES[surface]
    content = fetch(client)
    assert _marker(surface, "public") in content
    for label in HIDDEN:
        assert _marker(surface, label) not in content, (surface, label)


@pytest.mark.parametrize("surface", SURFACES)
def test_a_scheduled_inspection_appears_once_its_time_comes(client, records, surface):
    fetch, _show = SURFACES[surface]
    with time_machine.travel(timezone.now() + LATER, tick=False):
        content = fetch(client)
    assert _marker(surface, "scheduled") in content, surface
    for label in ("draft", "review"):
        assert _marker(surface, label) not in content, (surface, label)


@pytest.mark.parametrize("label", HIDDEN)
def test_hidden_inspection_pages_answer_404(client, records, label):
    for route in ("inspections:inspection-detail", "inspections:inspection-print"):
        assert client.get(reverse(route, args=[f"{label}-rec"])).status_code == 404
    assert (
        client.get(reverse("inspections:inspection-detail", args=["public-rec"])).status_code == 200
    )


def test_scheduled_inspection_page_opens_once_its_time_comes(client, records):
    url = reverse("inspections:inspection-detail", args=["scheduled-rec"])
    with time_machine.travel(timezone.now() + LATER, tick=False):
        response = client.get(url)
    assert response.status_code == 200
    assert title("scheduled") in response.content.decode()


def test_the_instance_mirror_agrees_with_the_queryset_rule(records):
    public = set(Inspection.objects.published().values_list("pk", flat=True))
    for inspection in Inspection.objects.all():
        assert inspection.is_published == (inspection.pk in public)
    assert records["scheduled"].is_scheduled and not records["draft"].is_scheduled


def test_registry_public_rule_is_the_queryset_rule(records):
    from core.content import registry

    kind = registry.get("inspections")
    assert list(kind.public()) == list(Inspection.objects.published())


def test_next_publication_is_the_scheduled_go_live_time(records):
    assert Inspection.objects.next_publication_at() == records["scheduled"].live_at


def test_a_rebuilt_search_index_holds_the_public_rule_too(client, records):
    from search.models import SearchDocument
    from search.services import search_index_rebuild

    search_index_rebuild()
    indexed = set(
        SearchDocument.objects.filter(kind="inspections").values_list("object_id", flat=True)
    )
    # Scheduled: indexed, dated by its go-live time, so it shows by itself when that comes.
    assert indexed == {records["public"].pk, records["scheduled"].pk}
    content = _get(client, reverse("search:search") + "?q=zanzibar")
    assert title("public") in content
    assert all(title(label) not in content for label in HIDDEN)


def test_unpublishing_takes_an_inspection_and_its_findings_out_of_search(
    client, records, django_capture_on_commit_callbacks
):
    from inspections.services import inspections_unpublish

    with django_capture_on_commit_callbacks(execute=True):
        inspections_unpublish(inspections=[records["public"]])
    assert title("public") not in _get(client, reverse("search:search") + "?q=zanzibar")
    assert "public own org" not in _get(client, reverse("search:search") + "?q=finding+text")
