"""Emails to commenters are in the language they commented in, whoever sets them off."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from comments.models import Comment
from comments.services import comment_moderate
from comments.views import post_url
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db


def welsh_client() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client


def test_a_comment_remembers_the_interface_language_it_was_written_in(article, comment_data):
    welsh_client().post(
        post_url(article),
        comment_data(article, email="cy@example.net"),
    )
    Client().post(
        post_url(article),
        comment_data(article, email="en@example.net", body="Another point."),
    )
    assert Comment.objects.get(email="cy@example.net").language == "cy"
    assert Comment.objects.get(email="en@example.net").language == "en-gb"


def test_reply_emails_are_in_the_language_each_parent_was_written_in(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    welsh = CommentFactory(
        target=article, approved=True, notify_replies=True, email="cy@example.net", language="cy"
    )
    english = CommentFactory(
        target=article, approved=True, notify_replies=True, email="en@example.net", language=""
    )
    replies = [
        CommentFactory(target=article, parent=parent, name="Bo", body="I agree.")
        for parent in (welsh, english)
    ]
    # A moderator working in Welsh: the English commenter still reads English, and the
    # other way round.
    with translation.override("cy"), django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comments=replies, status=Comment.Status.APPROVED)

    by_address = {message.to[0]: message for message in mailoutbox}
    cy, en = by_address["cy@example.net"], by_address["en@example.net"]
    assert cy.subject == "Ateb i'ch sylw ar “Probation caseloads”"
    assert "Darllenwch yr ateb a gweddill y sgwrs:" in cy.body
    assert "Darllenwch yr ateb a gweddill y sgwrs" in cy.alternatives[0][0]
    assert f"/articles/caseloads/?lang=cy#comment-{replies[0].pk}" in cy.body
    stop_url = cy.extra_headers["List-Unsubscribe"].strip("<>")
    assert stop_url.endswith("/?lang=cy") and stop_url in cy.body

    assert en.subject == "A reply to your comment on “Probation caseloads”"
    assert "Read it and the rest of the conversation:" in en.body
    assert "?lang=" not in en.body + en.extra_headers["List-Unsubscribe"]


def test_the_stop_link_of_a_welsh_reply_email_still_works(
    article, mailoutbox, django_capture_on_commit_callbacks
):
    parent = CommentFactory(
        target=article, approved=True, notify_replies=True, email="cy@example.net", language="cy"
    )
    reply = CommentFactory(target=article, parent=parent)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comments=[reply], status=Comment.Status.APPROVED)
    stop_url = mailoutbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    response = Client().post(stop_url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    parent.refresh_from_db()
    assert parent.notify_replies is False


def test_editors_are_told_of_a_held_welsh_comment_in_the_site_language(
    article, comment_data, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_EMAILS = ["desk@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        welsh_client().post(post_url(article), comment_data(article))
    [message] = mailoutbox
    assert Comment.objects.get().language == "cy"
    assert message.subject == "Comment to moderate on “Probation caseloads”"
