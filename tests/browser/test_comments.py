import re

import pytest
from playwright.sync_api import expect

from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def article():
    return ArticleFactory(published=True, title="Caseloads under strain", slug="caseloads")


@pytest.fixture
def editor():
    user = UserFactory(username="editor", is_staff=True, is_superuser=True)
    user.set_password("correct horse battery staple")
    user.save()
    return user


def test_comment_is_held_then_approved_in_the_admin_and_shown(
    live_server, page, article, editor, settings
):
    settings.COMMENTS_MIN_SUBMIT_SECONDS = 0
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.get_by_role("heading", name="No responses")).to_be_visible()
    expect(page.get_by_text("We never publish your email address.")).to_be_visible()

    page.get_by_role("textbox", name="Comment", exact=True).fill(
        "Caseloads doubled.\nSee https://www.gov.uk/"
    )
    page.get_by_role("textbox", name="Name", exact=True).fill("Ada Reader")
    page.get_by_role("textbox", name="Email", exact=True).fill("ada@example.net")
    with page.expect_navigation():
        page.get_by_role("button", name="Post comment").click()

    expect(page.locator(".messages")).to_contain_text("waiting for moderation")
    expect(page.get_by_text("Caseloads doubled.")).to_have_count(0)

    page.goto(live_server.url + "/admin/login/?next=/admin/comments/comment/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()
    page.wait_for_url("**/admin/comments/comment/")
    row = page.locator("#result_list tbody tr", has_text="Ada Reader")
    row.locator("input[name='_selected_action']").check()
    page.select_option("select[name='action']", "approve")
    with page.expect_navigation():
        page.get_by_role("button", name="Go").click()
    expect(page.get_by_text("1 comment approved.")).to_be_visible()

    page.goto(live_server.url + article.get_absolute_url())
    expect(page.get_by_role("heading", name="One Response")).to_be_visible()
    comment = page.locator(".comment", has_text="Caseloads doubled.")
    expect(comment).to_be_visible()
    assert comment.get_by_role("link", name="https://www.gov.uk/").get_attribute("rel") == (
        "nofollow ugc noopener"
    )
    assert "ada@example.net" not in page.content()


def test_reply_link_moves_the_form_under_the_comment(live_server, page, article):
    parent = CommentFactory(target=article, approved=True, name="Ada")
    page.goto(live_server.url + article.get_absolute_url())

    page.get_by_role("link", name="Reply to Ada").click()

    expect(page.locator(f"#comment-{parent.pk} #respond")).to_be_visible()
    expect(page.locator("input[name='parent']")).to_have_value(str(parent.pk))
    expect(page.get_by_role("textbox", name="Comment", exact=True)).to_be_focused()
    page.get_by_role("link", name="Cancel reply").click()
    expect(page.locator(f"#comment-{parent.pk} #respond")).to_have_count(0)
    expect(page.locator("input[name='parent']")).to_have_value("")
