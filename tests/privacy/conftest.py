import re

import pytest
from django.core import mail

from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory
from tests.subscriptions.factories import SubscriberFactory


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    # The link email leaves through the task queue; here it runs where it is queued, so a
    # test finds it in the outbox once the transaction commits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """POST the request form for `email`, running what would happen at commit."""

    def post(email: str, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/privacy/request/", {"email": email}, **extra)

    return post


def link_in(message) -> str:
    """The path of the data link in an email (its plain-text part)."""
    return re.search(r"https://oversight\.example(/privacy/data/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def emailed_link(ask):
    """Ask for `email`'s data and return the path of the link it was sent."""

    def run(email: str) -> str:
        mail.outbox.clear()
        assert ask(email).status_code == 200
        [message] = mail.outbox
        assert message.to == [email]
        return link_in(message)

    return run


@pytest.fixture
def ada_and_bob():
    """Ada's comments (one with a reply from Bob), subscription and delivery; Bob's own."""
    from subscriptions.models import Delivery

    article = ArticleFactory(published=True, title="Probation caseloads", slug="caseloads")
    ada = CommentFactory(
        target=article,
        approved=True,
        name="Ada Lovelace",
        email="ada@example.net",
        website="https://ada.example",
        body="Caseloads are too high. Write to me at ada@example.net.",
        ip_hash="a" * 64,
        user_agent="Ada's browser",
        notify_replies=True,
    )
    bob = CommentFactory(
        target=article,
        approved=True,
        parent=ada,
        name="Bob Builder",
        email="bob@example.net",
        body="Agreed, Ada (ADA@example.net).",
        ip_hash="b" * 64,
        user_agent="Bob's browser",
    )
    held = CommentFactory(target=article, email="Ada@Example.net", body="A held second thought.")
    subscriber = SubscriberFactory(email="ada@example.net", tags=["prisons"])
    delivery = Delivery.objects.create(subscriber=subscriber, article=article)
    other = SubscriberFactory(email="bob@example.net")
    Delivery.objects.create(subscriber=other, article=article)
    return {
        "article": article,
        "ada": ada,
        "bob": bob,
        "held": held,
        "subscriber": subscriber,
        "delivery": delivery,
    }
