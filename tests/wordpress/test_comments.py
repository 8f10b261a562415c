import pytest

from blog.models import Article
from comments.models import Comment
from comments.services import CommentImport, comments_erase, comments_import, ip_hash
from core.content import registry

pytestmark = pytest.mark.django_db


def test_comments_keep_their_thread(run_import):
    run_import()

    alice, bob, carol = (Comment.objects.get(name=name) for name in ("Alice", "Bob", "Carol"))
    assert alice.parent is None
    assert bob.parent == alice
    assert carol.parent == bob  # exported before its parent, threaded all the same
    article = Article.objects.get(slug="caseloads-under-strain")
    assert alice.target == article


def test_comment_statuses_map_and_pingbacks_are_skipped(run_import):
    output = run_import()

    statuses = dict(Comment.objects.values_list("name", "status"))
    assert statuses == {
        "Alice": "approved",
        "Bob": "approved",
        "Carol": "approved",
        "Dan": "pending",
        "Cheap pills": "spam",
        "Eve": "removed",
    }
    assert "1 pingbacks and trackbacks" in output
    assert "1 on pages (flat pages take no comments)" in output


def test_approved_counts_on_the_site_match_the_export(run_import):
    run_import()

    listing = registry.annotate_listing(Article.objects.filter(slug="caseloads-under-strain"))
    assert listing.get().comment_count == 3


def test_comment_details_are_kept_and_the_ip_address_only_as_its_hash(run_import):
    run_import()

    alice = Comment.objects.get(name="Alice")
    assert alice.email == "alice@example.org"
    assert alice.website == "https://alice.example.org"
    assert alice.body == "Spot on & overdue."
    assert alice.created.isoformat() == "2016-12-14T11:00:00+00:00"
    assert alice.ip_hash == ip_hash("192.0.2.1") and "192.0.2.1" not in alice.ip_hash
    bob = Comment.objects.get(name="Bob")
    assert bob.website == ""  # javascript: dropped
    dan = Comment.objects.get(name="Dan")
    assert dan.email.endswith("@import.invalid") and dan.ip_hash == ""


def test_importing_sends_no_email_and_hits_no_rate_limit(run_import, mailoutbox, settings):
    settings.COMMENTS_RATE_LIMIT = 1

    run_import()

    assert Comment.objects.count() == 6
    assert mailoutbox == []


def test_the_imported_thread_shows_on_the_article(run_import, client):
    run_import()

    page = client.get("/articles/caseloads-under-strain/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Agreed with Alice." in html and "Waiting for moderation." not in html


def test_a_newer_export_never_restores_a_commenter_who_had_their_data_erased(run_import):
    run_import()
    alice = Comment.objects.get(name="Alice")
    comments_erase(email="alice@example.org")
    alice.refresh_from_db()
    assert alice.erased_at is not None

    again = CommentImport(
        key=1,
        name="Alice",
        email="alice@example.org",
        website="https://alice.example.org",
        body="Spot on & overdue (edited on the old site).",
        status="approved",
        created=alice.created,
        ip_address="192.0.2.1",
        pk=alice.pk,
    )
    comments_import(target=alice.target, comments=[again])
    alice.refresh_from_db()
    assert alice.erased_at is not None
    assert "alice@example.org" not in (alice.email, alice.body) and alice.name != "Alice"
    assert alice.ip_hash == ""
