"""An inspection moves draft → in review → scheduled → public in the admin, and never
appears early on any public page or dataset."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from inspections.models import Inspection
from tests.blog.factories import StaffFactory
from tests.browser.test_admin_workflow import log_in, log_out
from tests.inspections.factories import (
    InspectedOrganisationFactory,
    InspectionFactory,
    OrganisationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Quixotic probation inspection"


def public_addresses(inspection=None) -> list[str]:
    return [
        "/inspections/",
        "/inspections/feed/",
        "/inspections/organisations/quixote-crc/",
        "/inspections/compare/?org=quixote-crc",
        "/inspections/data/",
        "/inspections/data/inspections.csv",
        "/inspections/data/findings.json",
        "/tags/quixotic/",
        "/search/?q=quixotic",
        "/sitemap.xml",
    ]


def seen_in_public(page, live_server, inspection) -> list[str]:
    """The public addresses that show the inspection (pages and datasets alike)."""
    cache.clear()  # the sitemap's own cache
    seen = []
    for address in public_addresses(inspection):
        response = page.request.get(live_server.url + address)
        assert response.ok, address
        body = response.text()
        if TITLE in body or inspection.slug in body or "Windmills were" in body:
            seen.append(address)
    detail = page.request.get(live_server.url + inspection.get_absolute_url())
    if detail.status != 404:
        seen.append(inspection.get_absolute_url())
    return seen


def test_an_inspection_goes_from_draft_to_public_without_appearing_early(live_server, page):
    StaffFactory(author=True, username="ada")
    StaffFactory(editor=True, username="grace")
    inspection = InspectionFactory(
        draft=True, title=TITLE, slug="quixotic-probation", tags=["quixotic"]
    )
    organisation = OrganisationFactory(slug="quixote-crc", name="Quixote CRC")
    InspectedOrganisationFactory(inspection=inspection, organisation=organisation)
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    change = f"/admin/inspections/inspection/{inspection.pk}/change/"

    # The author adds two findings, puts the second first with the buttons, sends it for review.
    log_in(page, live_server, "ada", change)
    expect(page.locator("#id_status option")).to_have_count(2)  # no "Published" for authors
    for n, text in enumerate(["Windmills were mistaken for giants.", "Caseloads were high."]):
        page.get_by_role("button", name="Add another Finding").click()
        page.locator(f"#id_findings-{n}-organisation").select_option(label="Quixote CRC")
        page.locator(f"#id_findings-{n}-polarity").select_option("concern")
        page.locator(f"#id_findings-{n}-text").fill(text)
    move_up = page.locator("#findings-1 .order-up")
    move_up.focus()
    page.keyboard.press("Enter")  # keyboard-friendly: a real button
    expect(page.locator(".order-status")).to_have_text(re.compile("position 1"))
    # Dragging by the heading works too: the windmills back on top, then up again by button.
    page.locator("#findings-0 h3").drag_to(page.locator("#findings-1"))
    expect(page.locator("#id_findings-0-order")).to_have_value("10")
    move_up.click()
    expect(page.locator("#id_findings-1-order")).to_have_value("10")
    page.select_option("#id_status", "review")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.REVIEW
    texts = list(inspection.findings.order_by("order").values_list("text", flat=True))
    assert texts == ["Caseloads were high.", "Windmills were mistaken for giants."]
    assert page.locator("a.viewsitelink").count() == 0
    assert seen_in_public(page, live_server, inspection) == []
    log_out(page)

    # The editor schedules it for tomorrow morning.
    log_in(page, live_server, "grace", change)
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    page.select_option("#id_status", "published")
    page.locator("#id_live_at_0").fill(tomorrow.strftime("%d/%m/%Y"))
    page.locator("#id_live_at_1").fill("09:30:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    row = page.locator("#result_list tr", has_text=TITLE)
    expect(row.locator(".status-badge")).to_have_text(
        f"Scheduled for {tomorrow.day} {tomorrow:%b} 09:30"
    )
    inspection.refresh_from_db()
    assert inspection.is_scheduled
    assert seen_in_public(page, live_server, inspection) == []

    # Its time comes (set a minute ago rather than waiting until tomorrow; saved, so the
    # search document's public_from moves with it): it is everywhere at once.
    inspection.live_at = timezone.now() - datetime.timedelta(minutes=1)
    inspection.save(update_fields=["live_at"])
    seen = seen_in_public(page, live_server, inspection)
    # The data page and the comparison name no inspection titles; the rest all show it.
    summaries = {"/inspections/data/", "/inspections/compare/?org=quixote-crc"}
    expected = [a for a in public_addresses(inspection) if a not in summaries]
    assert sorted(set(seen) - summaries) == sorted([*expected, inspection.get_absolute_url()])
    page.goto(live_server.url + change)
    expect(page.locator("a.viewsitelink")).to_have_attribute(
        "href", re.compile(r"/r/\d+/\d+/|/inspections/quixotic-probation/")
    )
    page.goto(live_server.url + inspection.get_absolute_url())
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    assert not [p for p in problems if "Content Security Policy" in p], problems
