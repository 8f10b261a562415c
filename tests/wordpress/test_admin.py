"""The import's records in the admin: what each run did, and what each WordPress item became."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from blog.models import Article
from core.roles import EDITOR
from tests.blog.factories import StaffFactory
from tests.factories import ArticleFactory
from wordpress.models import ImportedItem, ImportRun

pytestmark = pytest.mark.django_db

ITEMS = "/admin/wordpress/importeditem/"
RUNS = "/admin/wordpress/importrun/"


def test_each_run_is_listed_with_its_report_and_what_it_changed(run_import, admin_client):
    run_import()
    run_import()  # changes nothing

    first, second = ImportRun.objects.order_by("started_at")
    assert first.export == "site.xml" and first.finished_at is not None
    assert "posts: 9 created" in first.summary
    assert "posts: 9 unchanged" in second.summary
    assert first.items.filter(kind="post").count() == 9
    assert not second.items.exists()  # unchanged items keep the run that made them

    listing = admin_client.get(RUNS)
    assert listing.status_code == 200
    assert f"?run__id__exact={first.pk}" in listing.content.decode()
    page = admin_client.get(f"{RUNS}{first.pk}/change/")
    assert page.status_code == 200
    assert "posts: 9 created" in page.content.decode()


def test_a_dry_run_records_no_run(run_import):
    run_import("site.xml", "--dry-run")

    assert not ImportRun.objects.exists()
    assert not ImportedItem.objects.exists()


def test_items_are_filtered_by_kind_and_run_and_link_to_what_they_became(run_import, admin_client):
    run_import()
    run = ImportRun.objects.get()
    article = Article.objects.get(slug="caseloads-under-strain")

    response = admin_client.get(ITEMS, {"kind": "post", "run__id__exact": run.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="field-wp_id"') == 9  # the nine posts, nothing else
    assert reverse("admin:blog_article_change", args=[article.pk]) in html
    assert "Caseloads under strain" in html
    assert "/2016/12/14/caseloads-under-strain/" in html  # its old address


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("10", {("post", 10)}),  # a WordPress ID (comment 101's address holds it too)
        ("2016/12/14/caseloads-under-strain", {("post", 10)}),  # part of an old address
        ("caseloads-under-strain/#comment-", set()),  # the post's comments, only them
        ("no-such-thing", set()),
    ],
)
def test_items_are_found_by_wordpress_id_or_old_address(run_import, admin_client, term, found):
    run_import()

    response = admin_client.get(ITEMS, {"q": term})

    assert response.status_code == 200
    shown = {(item.kind, item.wp_id) for item in response.context["cl"].result_list}
    assert {(kind, wp_id) for kind, wp_id in shown if kind != "comment"} == found
    if "#comment-" in term:
        assert {wp_id for kind, wp_id in shown} == {101, 102, 103, 104, 105, 106}


def test_an_item_whose_object_was_deleted_here_says_so(run_import, admin_client):
    run_import()
    Article.objects.get(slug="caseloads-under-strain").delete()

    html = admin_client.get(ITEMS, {"q": "10", "kind": "post"}).content.decode()

    assert "deleted here since it was imported" in html


def test_the_records_are_read_only(run_import, admin_client):
    run_import()
    item = ImportedItem.objects.filter(kind="post").first()
    run = ImportRun.objects.get()

    assert admin_client.get(f"{ITEMS}add/").status_code == 403
    assert admin_client.get(f"{ITEMS}{item.pk}/delete/").status_code == 403
    assert admin_client.get(f"{RUNS}{run.pk}/delete/").status_code == 403
    page = admin_client.get(f"{ITEMS}{item.pk}/change/")  # shown, not editable
    assert page.status_code == 200
    assert reverse("admin:blog_article_change", args=[item.object_id]) in page.content.decode()
    assert 'name="wp_id"' not in page.content.decode()
    admin_client.post(f"{ITEMS}{item.pk}/change/", {"wp_id": 99})
    item.refresh_from_db()
    assert item.wp_id != 99


def test_editors_do_not_see_them(run_import, client):
    run_import()
    client.force_login(StaffFactory(role=EDITOR))

    assert client.get(ITEMS).status_code == 403
    assert client.get(RUNS).status_code == 403


def test_the_item_list_costs_the_same_queries_however_many_items(
    run_import, admin_client, django_assert_num_queries
):
    run_import()
    with django_assert_num_queries(13) as first:
        response = admin_client.get(ITEMS)
        assert response.status_code == 200
        assert "Caseloads under strain" in response.content.decode()
    shown = len(response.context["cl"].result_list)

    run = ImportRun.objects.create(source="https://other.example", export="other.xml",
                                   started_at=timezone.now())  # fmt: skip
    article_type = ContentType.objects.get_for_model(Article)
    ImportedItem.objects.bulk_create(
        ImportedItem(source=run.source, kind="post", wp_id=n, run=run,
                     content_type=article_type, object_id=ArticleFactory().pk)
        for n in range(1, 11)
    )  # fmt: skip
    with django_assert_num_queries(len(first.captured_queries)):
        response = admin_client.get(ITEMS)
        assert response.status_code == 200
    assert len(response.context["cl"].result_list) == shown + 10
