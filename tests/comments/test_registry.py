import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from comments.models import Comment
from comments.services import comments_erase, comments_purge
from core.personal_data import personal_data_sources
from tests.comments.factories import CommentFactory

pytestmark = pytest.mark.django_db


def comments_source():
    return next(source for source in personal_data_sources() if source.key == "comments")


def test_comments_register_what_they_hold_about_an_address(article):
    CommentFactory(target=article, email="ada@example.net", approved=True)
    CommentFactory(target=article, email="ADA@example.net")
    CommentFactory(target=article, email="bob@example.net")
    source = comments_source()

    assert source.describe("ada@example.net") == "2 comments"
    assert source.describe("nobody@example.net") == ""
    assert [row["email"] for row in source.export("Ada@Example.net")] == [
        "ada@example.net",
        "ADA@example.net",
    ]
    assert source.purge is not None
    assert "A keyed hash of your IP address" in source.notice()[1].what


def test_erasure_anonymises_published_comments_and_deletes_the_others(article):
    published = CommentFactory(target=article, email="ada@example.net", approved=True)
    reply = CommentFactory(target=article, parent=published, approved=True)
    held = CommentFactory(target=article, email="ada@example.net")
    spam = CommentFactory(target=article, email="ada@example.net", spam=True)

    done = comments_erase(email="ada@example.net")

    assert done == {"anonymised": 1, "deleted": 2}
    assert not Comment.objects.filter(pk__in=[held.pk, spam.pk]).exists()
    published.refresh_from_db()
    assert published.name == "A reader" and published.email == "" and published.erased_at
    reply.refresh_from_db()
    assert reply.parent_id == published.pk


def test_the_reader_signature_is_written_in_the_site_language(article, settings):
    from django.utils import translation

    CommentFactory(target=article, email="ada@example.net", approved=True)
    with translation.override("cy"):
        comments_erase(email="ada@example.net")
    assert Comment.objects.get().name == "A reader"  # LANGUAGE_CODE is en-gb


def test_a_comment_without_an_address_must_be_erased(article):
    comment = CommentFactory(target=article, approved=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(email="")
    Comment.objects.filter(pk=comment.pk).update(email="", erased_at=timezone.now())


def test_an_erased_comment_can_still_be_moderated_in_the_admin(client, article):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    comment = CommentFactory(target=article, email="ada@example.net", approved=True)
    comments_erase(email="ada@example.net")

    response = client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        {"status": "removed", "body": "A thoughtful remark about the report.", "website": ""},
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED and comment.email == ""


def test_purge_blanks_only_old_technical_data(article):
    now = timezone.now()
    old = CommentFactory(
        target=article, created=now - datetime.timedelta(days=10), ip_hash="x", user_agent="UA"
    )
    new = CommentFactory(target=article, created=now, ip_hash="y", user_agent="UA")

    assert comments_purge(before=now - datetime.timedelta(days=5)) == 1

    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.ip_hash, old.user_agent) == ("", "")
    assert (new.ip_hash, new.user_agent) == ("y", "UA")
