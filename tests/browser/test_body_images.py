import re

import pytest
from playwright.sync_api import expect

from blog.models import Article, Image
from tests.blog.factories import StaffFactory, image_bytes
from tests.browser.test_admin_workflow import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_image_uploaded_into_the_body_with_alt_text_is_served_with_srcset(
    live_server, page, tmp_path
):
    StaffFactory(editor=True, username="grace")
    photo = tmp_path / "wing.png"
    photo.write_bytes(image_bytes("PNG", (1400, 700)))
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))

    log_in(page, live_server, "grace", "/admin/blog/article/add/")
    page.get_by_label("Title:").fill("Inside B wing")
    editor_area = page.locator("[contenteditable].ProseMirror")
    editor_area.click()
    page.keyboard.type("What the inspectors saw.")
    page.locator(".prose-menubar [title='figure' i]").first.click()
    dialog = page.locator("dialog[open]")
    expect(dialog).to_be_visible()

    with page.expect_popup() as popup_info:
        dialog.get_by_role("button", name=re.compile("Browse", re.I)).click()
    picker = popup_info.value
    picker.on("console", lambda m: m.type == "error" and problems.append(m.text))
    picker.get_by_label("Image:").set_input_files(str(photo))
    picker.get_by_label("Caption:").fill("B wing, landing two")
    picker.get_by_role("button", name="Upload").click()
    expect(picker.locator("#id_alt:invalid")).to_have_count(1)  # no upload without alt text
    assert not Image.objects.exists()
    picker.get_by_label("Alt text:").fill("Cells along a landing with open doors")
    with picker.expect_event("close"):
        picker.get_by_role("button", name="Upload").click()

    expect(dialog.locator("input[name=altText]")).to_have_value(
        "Cells along a landing with open doors"
    )
    expect(dialog.locator("input[name=imageUrl]")).to_have_value(re.compile(r"/media/.+\.png$"))
    dialog.get_by_role("button", name="Insert").click()
    expect(editor_area.locator("figure img")).to_have_count(1)
    expect(editor_area.locator("figcaption")).to_have_text("B wing, landing two")

    page.select_option("#id_status", "published")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    article = Article.objects.get()
    image = Image.objects.get()
    assert list(image.uses.values_list("article", flat=True)) == [article.pk]
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    served = page.locator(".prose figure img")
    expect(served).to_have_attribute("alt", "Cells along a landing with open doors")
    expect(served).to_have_attribute("srcset", re.compile(r"-480w\.png 480w, .+ 1400w$"))
    expect(served).to_have_attribute("width", "1400")
    expect(served).to_have_attribute("height", "700")
    expect(page.locator(".prose figcaption")).to_have_text("B wing, landing two")
    assert served.evaluate("img => img.complete && img.naturalWidth > 0")
    assert problems == []
