import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from comments.models import Comment
from privacy.models import DataRequest
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 6, 1, 12, tzinfo=datetime.UTC)


def _comment(days_old: float, **fields) -> Comment:
    return CommentFactory(
        created=NOW - datetime.timedelta(days=days_old),
        ip_hash="f" * 64,
        user_agent="Browser/1.0",
        **fields,
    )


def purge(*args) -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def test_purge_blanks_ip_hashes_and_user_agents_older_than_the_retention(settings):
    settings.PRIVACY_RETENTION_DAYS = 90
    old = _comment(91, approved=True)
    just_old = _comment(90.01)
    recent = _comment(89)

    output = purge()

    assert "comments: 2" in output
    for comment in (old, just_old):
        comment.refresh_from_db()
        assert comment.ip_hash == "" and comment.user_agent == ""
        assert comment.email and comment.body  # only the technical data goes
    recent.refresh_from_db()
    assert recent.ip_hash == "f" * 64 and recent.user_agent == "Browser/1.0"


def test_purge_follows_the_setting(settings):
    settings.PRIVACY_RETENTION_DAYS = 7
    week_old = _comment(8)
    purge()
    week_old.refresh_from_db()
    assert week_old.ip_hash == ""


def test_purge_deletes_data_requests_whose_link_has_expired():
    with time_machine.travel(NOW - datetime.timedelta(hours=25), tick=False):
        DataRequest.objects.create(email="old@example.net")
    with time_machine.travel(NOW - datetime.timedelta(hours=23), tick=False):
        DataRequest.objects.create(email="live@example.net")

    assert "privacy: 1" in purge()

    assert list(DataRequest.objects.values_list("email", flat=True)) == ["live@example.net"]


def test_purge_is_safe_to_run_twice():
    _comment(100)
    assert "comments: 1" in purge()
    assert "comments: 0" in purge()


def test_dry_run_counts_and_changes_nothing():
    old = _comment(100)

    output = purge("--dry-run")

    assert output.startswith("Would purge") and "comments: 1" in output
    old.refresh_from_db()
    assert old.ip_hash == "f" * 64
