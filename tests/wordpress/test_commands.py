import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.redirects.models import Redirect
from taggit.models import Tag

from blog.models import Article, ArticleVersion, Category
from comments.models import Comment
from tests.factories import ArticleFactory, UserFactory
from tests.wordpress.conftest import site_xml

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def test_authors_become_users_with_profiles_and_no_usable_password(run_import):
    run_import()

    editor = get_user_model().objects.get(username="editor")
    assert editor.profile.display_name == "Ed Itor"
    assert (editor.email, editor.first_name, editor.last_name) == ("ed@old.example", "Ed", "Itor")
    assert not editor.has_usable_password()
    assert not editor.is_staff


def test_categories_are_flattened_and_tags_join_the_one_vocabulary(run_import):
    run_import()

    assert set(Category.objects.values_list("slug", flat=True)) == {"justice", "probation", "news"}
    probation = Category.objects.get(slug="probation")
    assert probation.description == "Probation services & their inspections"
    article = Article.objects.get(slug="caseloads-under-strain")
    assert article.category == probation
    assert sorted(article.tags.names()) == ["CRC", "Caseloads"]  # the post format is dropped
    summer = Article.objects.get(slug="summer-inspections")
    assert summer.category.slug == "news"
    assert sorted(summer.tags.names()) == ["Inspections", "Probation"]  # 2nd category: a tag


def test_post_statuses_map_to_the_workflow(run_import):
    output = run_import()

    status = dict(Article.objects.values_list("slug", "status"))
    assert status["caseloads-under-strain"] == "published"
    assert status["next-year"] == "published"
    assert status["half-an-idea"] == "draft"
    assert status["for-review"] == "review"
    assert status["private-thoughts"] == "draft"
    assert status["members-only"] == "draft"
    assert status["leap-nonsense"] == "draft"
    assert "binned-post" not in " ".join(status)
    assert "“Private thoughts”: private in WordPress; imported as a draft" in output
    assert "“Members only”: password-protected in WordPress; imported as a draft" in output
    assert "1 in the WordPress trash" in output


def test_dates_come_from_gmt_and_drafts_fall_back_to_the_local_date(run_import):
    run_import()

    dates = dict(Article.objects.values_list("slug", "published_at"))
    assert dates["caseloads-under-strain"] == datetime.datetime(2016, 12, 14, 10, tzinfo=UTC)
    assert dates["summer-inspections"] == datetime.datetime(2017, 7, 1, 8, 30, tzinfo=UTC)
    # 0000-00-00 GMT: the local date, in Europe/London (winter: GMT).
    assert dates["for-review"] == datetime.datetime(2018, 1, 2, 10, tzinfo=UTC)
    assert dates["leap-nonsense"] is None


def test_local_dates_follow_the_sites_time_zone_across_summer_time(run_import, export_file):
    text = site_xml().replace(
        "<wp:post_date><![CDATA[2017-07-01 09:30:00]]></wp:post_date>\n\t\t<wp:post_date_gmt>"
        "<![CDATA[2017-07-01 08:30:00]]>",
        "<wp:post_date><![CDATA[2017-07-01 09:30:00]]></wp:post_date>\n\t\t<wp:post_date_gmt>"
        "<![CDATA[0000-00-00 00:00:00]]>",
    )
    run_import(export_file(text), "--time-zone", "America/New_York")

    summer = Article.objects.get(slug="summer-inspections")
    assert summer.published_at == datetime.datetime(2017, 7, 1, 13, 30, tzinfo=UTC)  # EDT


def test_a_scheduled_post_stays_scheduled(run_import):
    run_import()

    article = Article.objects.get(slug="next-year")
    assert article.is_scheduled and not article.is_published


def test_each_post_is_written_through_the_article_service_with_a_version(run_import):
    run_import()

    article = Article.objects.get(slug="caseloads-under-strain")
    version = ArticleVersion.objects.get(article=article)
    assert version.note == "Imported from WordPress"
    assert article.standfirst == "Too many cases, too few officers."
    assert article.comments_open
    assert not Article.objects.get(slug="summer-inspections").comments_open


def test_a_missing_author_is_created_from_the_login_alone(run_import):
    output = run_import()

    guest = Article.objects.get(slug="guest")
    assert guest.author.username == "ghost"
    assert "author 'ghost' is not in the export's author list" in output


def test_an_impossible_date_imports_the_post_as_an_undated_draft(run_import):
    output = run_import()

    assert "“Leap nonsense”: impossible date '2016-02-30 10:00:00'; imported as a draft" in output


def test_a_taken_slug_gets_a_suffix_and_a_report_line(run_import):
    ArticleFactory(slug="caseloads-under-strain", title="Ours")

    output = run_import()

    assert Article.objects.filter(title="Caseloads under strain").get().slug == (
        "caseloads-under-strain-2"
    )
    assert "the slug 'caseloads-under-strain' is taken; imported as 'caseloads-under-strain-2'" in (
        output
    )
    redirect = Redirect.objects.get(old_path="/2016/12/14/caseloads-under-strain/")
    assert redirect.new_path == "/articles/caseloads-under-strain-2/"


def test_pages_become_flat_pages_keeping_their_hierarchy(run_import, client):
    output = run_import()

    assert set(FlatPage.objects.values_list("url", flat=True)) == {
        "/about/",
        "/about/team/",
        "/pages/articles/",
    }
    assert "/articles/ is an address of this site; imported at /pages/articles/" in output
    assert "1 not published (flat pages have no drafts)" in output
    team = client.get("/about/team/")
    assert team.status_code == 200 and "Ed and Wren." in team.content.decode()
    assert client.get("/about/").status_code == 200


def test_the_summary_counts_each_kind(run_import):
    output = run_import()

    assert "authors: 3 created" in output
    assert "categories: 3 created" in output
    assert "tags: 3 created" in output
    assert "posts: 9 created, 2 skipped" in output
    assert "pages: 3 created, 1 skipped" in output
    assert "comments: 6 created, 2 skipped" in output


def test_a_second_run_changes_nothing(run_import):
    run_import()
    counts = [model.objects.count() for model in (Article, Comment, Redirect, FlatPage, Tag)]

    output = run_import()

    assert [model.objects.count() for model in (Article, Comment, Redirect, FlatPage, Tag)] == (
        counts
    )
    assert "posts: 9 unchanged" in output
    assert "comments: 6 unchanged" in output
    assert "created" not in output and "updated" not in output


def test_a_newer_export_updates_only_what_changed(run_import, export_file):
    run_import()
    newer = (
        site_xml()
        .replace("Too many cases, too few officers.", "Too many cases.")
        .replace(
            "<wp:comment_content><![CDATA[Waiting for moderation.]]></wp:comment_content>\n"
            "\t\t\t<wp:comment_approved><![CDATA[0]]>",
            "<wp:comment_content><![CDATA[Waiting for moderation.]]></wp:comment_content>\n"
            "\t\t\t<wp:comment_approved><![CDATA[1]]>",
        )
    )

    output = run_import(export_file(newer))

    assert "posts: 1 updated, 8 unchanged" in output
    assert "comments: 1 updated, 5 unchanged" in output
    assert Article.objects.get(slug="caseloads-under-strain").standfirst == "Too many cases."
    assert Comment.objects.get(name="Dan").status == "approved"


def test_an_article_deleted_here_is_not_brought_back(run_import):
    run_import()
    Article.objects.get(slug="guest").delete()

    output = run_import()

    assert not Article.objects.filter(slug="guest").exists()
    assert "deleted here since an earlier import" in output


def test_dry_run_writes_nothing_and_says_what_it_would_do(run_import, media_dir, settings):
    output = run_import("site.xml", "--dry-run", "--media-dir", str(media_dir))

    assert "posts: 9 created" in output
    assert output.rstrip().endswith("dry run: nothing was written")
    assert not Article.objects.exists() and not Redirect.objects.exists()
    assert not (settings.MEDIA_ROOT / "wordpress").exists()


def test_author_map_gives_posts_to_existing_users(run_import, tmp_path):
    ours = UserFactory(username="edith")
    mapping = tmp_path / "authors.txt"
    mapping.write_text("# WordPress login = username here\neditor = edith\n")

    run_import("site.xml", "--author-map", str(mapping))

    assert Article.objects.get(slug="caseloads-under-strain").author == ours
    assert not get_user_model().objects.filter(username="editor").exists()


def test_author_map_naming_an_unknown_user_stops_before_writing(run_import, tmp_path):
    mapping = tmp_path / "authors.txt"
    mapping.write_text("editor = nobody\n")

    message = run_import("site.xml", "--author-map", str(mapping), fails=True)

    assert "there is no such user here" in message
    assert not Article.objects.exists()


def test_progress_goes_to_standard_error_as_plain_lines(run_import, capsys):
    import io

    from django.core.management import call_command

    from tests.wordpress.conftest import FILES

    err = io.StringIO()
    call_command("import_wordpress", str(FILES / "site.xml"), stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert any(line.startswith("importing: 17/17 100%") for line in lines)


def test_recent_posts_brought_over_are_not_emailed_to_each_article_subscribers(
    run_import, export_file, on_commit, run_tasks
):
    from django.utils import timezone

    from subscriptions.models import Announcement, Delivery
    from tests.subscriptions.factories import SubscriberFactory

    SubscriberFactory(email="eager@example.net", each=True)
    recent = (timezone.now() - datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    text = site_xml().replace("2017-07-01 08:00:00", recent).replace("2016-12-14 09:00:00", recent)
    with on_commit():
        run_import(export_file(text))
    run_tasks()
    assert Announcement.objects.count() >= 1  # recorded as news already told elsewhere
    assert not Delivery.objects.exists()

    with on_commit():
        ArticleFactory(published=True, title="Written here")
    run_tasks()
    assert Delivery.objects.count() == 1  # what is new on this site still goes out


def test_the_import_updates_the_search_index_in_one_pass_per_kind(
    run_import, monkeypatch, django_capture_on_commit_callbacks
):
    from search import signals
    from search.models import SearchDocument
    from search.services import search_index_update

    kinds = []

    def update(**kwargs):
        kinds.append(kwargs["kind"])
        search_index_update(**kwargs)

    monkeypatch.setattr(signals, "search_index_update", update)
    with django_capture_on_commit_callbacks(execute=True):
        run_import()
    assert kinds.count("articles") == 1
    published = Article.objects.published().count()
    assert published and SearchDocument.objects.filter(kind="articles").count() >= published
