import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import Article
from tests.blog.factories import PASSWORD, StaffFactory
from tests.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username, next_path):
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Log in", re.I)).click()


def log_out(page):
    with page.expect_navigation():
        page.locator("#logout-form button").click()


def test_author_writes_in_the_editor_and_an_editor_schedules_then_publishes(live_server, page):
    CategoryFactory(name="Probation")
    StaffFactory(author=True, username="ada")
    StaffFactory(editor=True, username="grace")
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))

    log_in(page, live_server, "ada", "/admin/blog/article/add/")
    page.get_by_label("Title:").press_sequentially("Caseloads under strain")
    expect(page.locator("#id_slug")).to_have_value("caseloads-under-strain")
    editor_area = page.locator("[contenteditable].ProseMirror")
    expect(editor_area).to_be_visible()
    editor_area.click()
    # Markdown-style shortcuts of the editor: "## " a heading, "- " a list.
    page.keyboard.type("## What the inspectors found")
    page.keyboard.press("Enter")
    page.keyboard.type("Caseloads were far too high.")
    page.keyboard.press("Enter")
    page.keyboard.type("- Too many cases")
    page.keyboard.press("Enter")
    page.keyboard.type("Too few staff")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the report")
    page.keyboard.press("Shift+Home")
    page.once("dialog", lambda dialog: dialog.accept("https://www.justiceinspectorates.gov.uk/"))
    page.locator(
        ".prose-menubar button[title*='link' i], .prose-menubar [title*='Link']"
    ).first.click()
    link_dialog = page.locator("dialog[open]")
    if link_dialog.count():
        link_dialog.locator("input").first.fill("https://www.justiceinspectorates.gov.uk/")
        link_dialog.get_by_role("button", name=re.compile("Update|Save|OK|Insert", re.I)).click()
    expect(editor_area.locator("h2")).to_have_text("What the inspectors found")
    expect(editor_area.locator("ul li")).to_have_count(2)
    expect(editor_area.locator("a")).to_have_attribute(
        "href", "https://www.justiceinspectorates.gov.uk/"
    )

    expect(page.locator("#id_status option")).to_have_count(2)
    page.select_option("#id_status", "review")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    assert "<h2>What the inspectors found</h2>" in article.body
    assert article.body.count("<li>") == 2
    assert 'href="https://www.justiceinspectorates.gov.uk/"' in article.body
    log_out(page)

    log_in(page, live_server, "grace", "/admin/")
    review = page.locator("#dashboard-review")
    expect(review).to_contain_text("1 draft waiting for review")
    with page.expect_navigation():
        review.get_by_role("link", name="Caseloads under strain").click()
    expect(page.locator("[contenteditable].ProseMirror h2")).to_have_text(
        "What the inspectors found"
    )

    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    page.select_option("#id_status", "published")
    page.locator("#id_published_at_0").fill(tomorrow.strftime("%d/%m/%Y"))
    page.locator("#id_published_at_1").fill("09:00:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    article.refresh_from_db()
    assert article.is_scheduled
    assert page.goto(live_server.url + article.get_absolute_url()).status == 404

    page.goto(f"{live_server.url}/admin/blog/article/{article.pk}/change/")
    page.locator(".datetimeshortcuts").first.get_by_role("link", name="Today").click()
    page.locator(".datetimeshortcuts").nth(1).get_by_role("link", name="Now").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    article.refresh_from_db()
    assert article.is_published

    page.goto(live_server.url + article.get_absolute_url())
    expect(page.get_by_role("heading", name="What the inspectors found")).to_be_visible()
    expect(page.locator(".prose ul li")).to_have_count(2)
    expect(page.get_by_role("link", name="Read the report")).to_be_visible()
    assert not [p for p in problems if "Content Security Policy" in p], problems
