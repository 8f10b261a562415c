import re

import pytest
from playwright.sync_api import expect

from blog.models import Article, ArticleAutosave
from tests.blog.factories import StaffFactory
from tests.browser.test_admin_workflow import log_in
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page) -> list[str]:
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def type_in_body(page, text):
    editor = page.locator("[contenteditable].ProseMirror")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def test_autosave_kicks_in_and_the_draft_survives_a_closed_tab(live_server, page):
    StaffFactory(author=True, username="ada")
    problems = watch(page)
    log_in(page, live_server, "ada", "/admin/blog/article/add/")
    expect(page.locator("#id_standfirst + .char-counter")).to_have_text("0 / 300")
    page.locator("#id_title").press_sequentially("Caseloads under strain")
    page.locator("#id_standfirst").fill("Too many cases.")
    expect(page.locator("#id_standfirst + .char-counter")).to_have_text("15 / 300")
    type_in_body(page, "Probation officers carried far too many cases.")

    expect(page.locator("#autosave-status")).to_contain_text("autosaved", timeout=10_000)
    autosave = ArticleAutosave.objects.get()
    assert autosave.article is None and autosave.data["title"] == ["Caseloads under strain"]
    assert not Article.objects.exists()
    context = page.context
    page.close()  # the tab is closed without saving

    page = context.new_page()
    problems += watch(page)
    page.goto(f"{live_server.url}/admin/blog/article/add/")
    offer = page.locator(".autosave-offer")
    expect(offer).to_contain_text("autosaved draft")
    with page.expect_navigation():
        offer.get_by_role("link", name="Restore it into the form").click()
    expect(page.locator("#id_title")).to_have_value("Caseloads under strain")
    expect(page.locator("#id_standfirst")).to_have_value("Too many cases.")
    expect(page.locator("[contenteditable].ProseMirror")).to_contain_text("far too many cases")

    with page.expect_navigation():
        page.keyboard.press("Control+s")  # saves and continues editing
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get()
    assert "far too many cases" in article.body
    assert not ArticleAutosave.objects.exists()
    expect(page.locator("#id_title")).to_have_value("Caseloads under strain")
    assert not problems, problems


def test_preview_shows_the_text_on_screen_at_two_widths_without_saving(live_server, page):
    ada = StaffFactory(author=True, username="ada")
    article = ArticleFactory(author=ada, title="Saved title", body="<p>Saved text.</p>")
    problems = watch(page)
    log_in(page, live_server, "ada", f"/admin/blog/article/{article.pk}/change/")
    page.locator("#id_title").fill("Unsaved title")
    type_in_body(page, " Unsaved words.")

    with page.context.expect_page() as opened:
        page.get_by_role("button", name=re.compile(r"^Preview\b")).click()
    preview = opened.value
    problems += watch(preview)
    preview.wait_for_load_state()
    frame = preview.frame_locator(".preview-frame iframe")
    expect(frame.locator("h1.article__title")).to_have_text("Unsaved title")
    expect(frame.locator(".prose")).to_contain_text("Unsaved words.")
    iframe = preview.locator(".preview-frame iframe")
    assert iframe.bounding_box()["width"] > 1000
    preview.get_by_text("Phone", exact=True).click()
    expect(iframe).to_have_css("width", "390px")
    preview.get_by_text("Desktop", exact=True).click()
    expect(iframe).to_have_css("width", "1280px")

    article.refresh_from_db()
    assert article.title == "Saved title"
    expect(page.locator("#id_title")).to_have_value("Unsaved title")  # still being edited
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_two_versions_are_compared_and_one_restored(live_server, page):
    StaffFactory(editor=True, username="grace")
    problems = watch(page)
    log_in(page, live_server, "grace", "/admin/blog/article/add/")
    page.locator("#id_title").press_sequentially("Caseloads under strain")
    type_in_body(page, "Caseloads were too high.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()
    page.locator("#id_title").fill("Caseloads at breaking point")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and continue editing").click()

    with page.expect_navigation():
        page.get_by_role("link", name="Versions").click()
    diff = page.locator(".version-diff")
    expect(diff.locator("dt")).to_have_text(["Title"])
    expect(diff.locator(".diff--inline del")).to_have_text(["under strain"])
    expect(diff.locator(".diff--inline ins")).to_have_text(["at breaking point"])
    expect(diff.locator(".diff-sides")).to_be_hidden()
    page.get_by_text("Side by side", exact=True).click()
    expect(diff.locator(".diff-sides .diff").first).to_have_text("Caseloads under strain")
    expect(diff.locator(".diff-sides .diff").nth(1)).to_have_text("Caseloads at breaking point")
    expect(diff.locator(".diff--inline")).to_be_hidden()
    expect(page.locator("#versions tbody tr")).to_have_count(2)

    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Restore")).click()
    expect(page.locator(".version-diff .diff--inline ins")).to_have_text(["under strain"])
    with page.expect_navigation():
        page.get_by_role("button", name="Restore this version").click()
    expect(page.locator(".messagelist")).to_contain_text("The version was restored.")
    expect(page.locator("#id_title")).to_have_value("Caseloads under strain")
    article = Article.objects.get()
    assert article.title == "Caseloads under strain"
    assert article.versions.count() == 3
    assert not problems, problems


def test_article_list_is_scannable_at_1280_pixels(live_server, page):
    StaffFactory(editor=True, username="grace")
    for n in range(3):
        ArticleFactory(
            title=f"Probation services in North London are failing to protect the public ({n})",
            published=n == 0,
        )
    ArticleFactory(title="Caseloads and the workforce", scheduled=True)
    log_in(page, live_server, "grace", "/admin/blog/article/")

    expect(page.locator(".status-badge")).to_have_count(4)
    expect(page.locator(".status-badge--scheduled")).to_contain_text("Scheduled for")
    table = page.locator("#result_list").bounding_box()
    container = page.locator("#changelist-form").bounding_box()
    assert table["width"] <= container["width"] + 1  # nothing cut off on the right
    for height in [
        row.bounding_box()["height"] for row in page.locator("#result_list tbody tr").all()
    ]:
        assert height < 60  # two lines of title at most
