import pytest

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_copy_link_puts_the_canonical_url_on_the_clipboard_and_says_so(live_server, browser):
    article = ArticleFactory(published=True, slug="copy-me", title="Copy me")
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_load_state("networkidle")
    page.locator("[data-copy-link]").first.click()

    status = page.locator("[data-copy-status]").first
    status.wait_for(state="visible")
    assert status.inner_text() == "Link copied"
    assert page.evaluate("navigator.clipboard.readText()") == (
        "https://oversight.example/articles/copy-me/"
    )
    assert page.url == live_server.url + article.get_absolute_url()
    assert all(url.startswith(live_server.url) for url in requested)
    context.close()


def test_share_links_work_with_javascript_off(live_server, browser):
    article = ArticleFactory(published=True, slug="plain", title="Plain links")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())

    assert page.locator("[data-share-native]").first.is_hidden()
    with context.expect_page() as new_tab:
        page.get_by_role("link", name="Share on Mastodon").first.click()
    page = new_tab.value
    page.get_by_label("Your Mastodon server").fill("mastodon.example")
    with page.expect_request("https://mastodon.example/share**") as request:
        page.get_by_role("button", name="Continue to my server").click()
    assert "Plain%20links" in request.value.url or "Plain+links" in request.value.url
    context.close()
