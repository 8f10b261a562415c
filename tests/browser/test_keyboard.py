"""Keyboard only: a reader who never touches a mouse posts a comment and subscribes.

Every step is Tab, Shift+Tab, arrow keys, typing and Enter; the tests never click and never
focus an element directly, so a control that the keyboard cannot reach fails them.
"""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from subscriptions.models import Subscriber
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 250
ACTIVE = """() => {
  const element = document.activeElement;
  return {
    tag: element.tagName.toLowerCase(),
    name: element.getAttribute("name") || "",
    type: element.getAttribute("type") || "",
    text: element.textContent.trim(),
  };
}"""


def tab_to(page, matches) -> dict:
    """Presses Tab until the focused element satisfies `matches`; fails if it never does."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if matches(active):
            return active
    raise AssertionError(f"Tab never reached the control ({MAX_TABS} presses)")


def field(name):
    return lambda active: active["name"] == name


def button(text):
    return lambda active: active["tag"] == "button" and active["text"] == text


def type_into(page, values: dict[str, str]) -> None:
    """Tabs to each named field in turn and types its value."""
    for name, value in values.items():
        tab_to(page, field(name))
        page.keyboard.type(value)


def send(page, label: str) -> None:
    tab_to(page, button(label))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_reader_posts_a_comment_with_the_keyboard_alone(live_server, page, settings):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    article = ArticleFactory(
        published=True,
        title="Caseloads under strain",
        body="<p>Read <a href='https://www.gov.uk/'>the report</a> first.</p>",
    )
    page.goto(live_server.url + article.get_absolute_url())

    type_into(
        page,
        {
            "body": "Caseloads doubled in two years.",
            "name": "Ada Reader",
            "email": "ada@example.net",
        },
    )
    send(page, "Post comment")

    expect(page.locator(".messages")).to_contain_text("waiting for moderation")
    comment = Comment.objects.get()
    assert (comment.name, comment.body) == ("Ada Reader", "Caseloads doubled in two years.")


def test_a_refused_comment_is_fixed_from_the_error_summary_with_the_keyboard(
    live_server, page, settings
):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    article = ArticleFactory(published=True, title="Caseloads under strain")
    page.goto(live_server.url + article.get_absolute_url())
    type_into(page, {"body": "Caseloads doubled.", "name": "Ada Reader", "email": "not an address"})
    # The server's own check, not the browser's, is what this test is about.
    page.locator("form.comment-form").evaluate("form => { form.noValidate = true; }")
    send(page, "Post comment")

    # The summary has the focus; its link takes the keyboard to the field to fix.
    expect(page.locator("[data-error-summary]")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("form.comment-form input[name=email]")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("ada@example.net")
    send(page, "Post comment")

    expect(page.locator(".messages")).to_contain_text("waiting for moderation")
    assert Comment.objects.get().email == "ada@example.net"


def test_a_reader_subscribes_with_the_keyboard_alone(live_server, page):
    ArticleFactory(published=True, tags=["prisons"])
    page.goto(live_server.url + "/subscribe/")

    tab_to(page, field("email"))
    page.keyboard.type("reader@example.net")
    # The frequency is a group of radio buttons: Tab enters it, arrow keys choose.
    chosen = tab_to(page, field("frequency"))
    assert chosen["type"] == "radio"
    page.keyboard.press("ArrowDown")
    picked = page.evaluate("document.activeElement.value")
    send(page, "Subscribe")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    subscriber = Subscriber.objects.get(email="reader@example.net")
    assert subscriber.frequency == picked
