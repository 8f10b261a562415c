import time

import pytest

from comments.forms import form_token
from comments.views import post_url
from tests.factories import ArticleFactory


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    # Comment emails leave through the task queue; here tasks run where they are queued, so
    # a test sees the email in the outbox once the transaction commits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def article():
    return ArticleFactory(published=True, title="Probation caseloads", slug="caseloads")


@pytest.fixture
def comment_data():
    """Valid form data for `target`, as if the form had been open for a minute."""

    def make(target, **overrides):
        data = {
            "name": "Ada Reader",
            "email": "ada@example.net",
            "website": "",
            "body": "Caseloads have doubled since 2014.",
            "started": form_token(target, when=time.time() - 60),
            "homepage": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return make


@pytest.fixture
def post_comment(client, comment_data):
    def post(target, **overrides):
        return client.post(post_url(target), comment_data(target, **overrides))

    return post
