import pytest

from tests.factories import ArticleFactory, AuthorProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article():
    profile = AuthorProfileFactory(display_name="Ruth Example")
    return ArticleFactory(
        published=True,
        author=profile.user,
        title="North London probation under strain",
        body="<h2>Findings</h2><ul><li>Caseloads were unmanageable.</li></ul>",
        tags=["probation"],
    )


def test_reader_opens_an_article_from_the_home_page(live_server, page, article):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="North London probation under strain").first.click()

    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.get_by_role("heading", level=1).inner_text() == article.title
    assert page.get_by_role("link", name="Ruth Example").first.is_visible()


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_language_switcher_works_with_javascript_off(live_server, browser, article):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    page.select_option("#language-select", "cy")
    page.get_by_role("button", name="Change").click()

    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert page.locator("html").get_attribute("lang") == "cy"
    context.close()


def test_no_request_leaves_the_test_server(live_server, page, article):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert requested
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested)
