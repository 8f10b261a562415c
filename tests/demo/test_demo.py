import csv
import datetime
import importlib.util
import io
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import blog.services
from blog.models import Article, AuthorProfile, ResourcePack, TaggedArticle
from comments.models import Comment
from demo import content, records
from demo.records import FACTS_FILE, SUMMARIES, facts, records_load
from demo.services import NOTHING_CHANGED, demo_load, demo_sources
from inspections.exports import DATASETS, FORMATS, export_bytes
from inspections.models import (
    Finding,
    InspectedOrganisation,
    Inspection,
    Organisation,
    Recommendation,
    Score,
)
from inspections.services import IMPORT_ORDER, inspections_import

pytestmark = pytest.mark.django_db

NORTH_LONDON = "north-london-probation-inspection-2016"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _quick_renditions(request, monkeypatch):
    # Resizing every featured image four ways is most of a load's time; one test asks for
    # the real renditions, the others record the original alone.
    if "real_renditions" in request.fixturenames:
        return

    def original_only(*, name, storage):
        return {"width": 1600, "height": 900, "sources": {"image/jpeg": [[name, 1600, 900]]}}

    monkeypatch.setattr(blog.services, "renditions_make", original_only)


@pytest.fixture
def real_renditions():
    """Asked for by a test that needs the featured images' real renditions."""


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_load_demo_creates_a_year_spanning_published_archive():
    output = load_demo()

    articles = list(Article.objects.published().select_related("category"))
    assert len(articles) >= 12
    assert len({timezone.localtime(a.published_at).year for a in articles}) >= 3
    assert len({a.author_id for a in articles}) >= 2
    assert len({a.category_id for a in articles if a.category_id}) >= 3
    assert TaggedArticle.objects.values("tag").distinct().count() >= 15
    assert all(a.title and a.standfirst and a.category_id for a in articles)
    assert all(a.tags.count() >= 3 for a in articles)
    assert f"Demo content loaded: 2 authors, 3 categories, {len(articles)} articles" in output
    assert "1 resource pack," in output


def test_two_articles_are_dated_within_the_last_thirty_days_of_the_load():
    now = timezone.now()

    demo_load(now=now)

    recent = Article.objects.published().filter(published_at__gte=now - datetime.timedelta(30))
    assert recent.count() >= 2
    assert set(recent.values_list("published_at", flat=True)) == {
        now - datetime.timedelta(days=3),
        now - datetime.timedelta(days=12),
    }


def test_the_north_london_article_follows_the_seed_page_shape():
    load_demo()

    article = Article.objects.get(slug=NORTH_LONDON)
    assert timezone.localtime(article.published_at).date() == datetime.date(2016, 12, 14)
    assert article.is_published
    for heading in ("Findings &ndash; CRC", "Findings &ndash; NPS", "co-ordination"):
        assert heading.replace("&ndash;", "–") in article.body
    assert article.body.count("<h2>") >= 5
    assert "<ul>" in article.body
    assert "<blockquote" in article.body
    assert "lost in the system" in article.body
    assert 'href="https://justiceinspectorates.gov.uk/hmiprobation/' in article.body


def test_bodies_are_rich_html_and_every_placeholder_link_is_resolved():
    load_demo()

    bodies = list(Article.objects.values_list("body", flat=True))
    assert all("<h2>" in body and "<ul>" in body for body in bodies)
    assert any("<table>" in body for body in bodies)
    assert any("<ol>" in body for body in bodies)
    assert not any(re.search(r'"(source|article):', body) for body in bodies)
    assert not any(
        re.search(r'"(source|article):', pack.intro) for pack in ResourcePack.objects.all()
    )


def test_every_article_placeholder_names_a_demo_article_and_source():
    slugs = {spec.slug for spec in content.ARTICLES}
    sources = demo_sources()
    texts = [spec.body for spec in content.ARTICLES] + [content.RESOURCE_PACK.intro]

    for text in texts:
        for kind, key in re.findall(r'"(source|article):([\w-]+)"', text):
            assert key in (sources if kind == "source" else slugs), key
    for item in content.RESOURCE_PACK.items:
        assert item.article in slugs or item.source in sources


def test_every_image_has_alt_text_a_file_and_renditions(real_renditions):
    load_demo()

    with_images = Article.objects.exclude(featured_image="")
    assert with_images.count() >= len(content.ARTICLES) // 2
    for article in with_images:
        assert article.featured_image_alt
        assert article.featured_image_credit == "Illustration: Oversight"
        assert article.featured_image.storage.exists(article.featured_image.name)
        assert (article.featured_image_width, article.featured_image_height) == (1600, 900)
        # Made as the admin makes them when an editor uploads an image.
        smallest = article.featured_image_renditions["sources"]["image/webp"][0]
        assert smallest[1] == 480
        assert article.featured_image.storage.exists(smallest[0])
    pack = ResourcePack.objects.get()
    assert pack.image and pack.image_alt
    assert all(profile.photo for profile in AuthorProfile.objects.all())


def test_the_featured_pack_mixes_articles_and_external_documents_in_order():
    load_demo()

    pack = ResourcePack.objects.featured_promo()
    items = list(pack.items.all())
    assert pack.title == "Transforming Rehabilitation resource pack"
    assert pack.promo_text
    assert [item.order for item in items] == sorted(item.order for item in items)
    assert sum(item.article_id is not None for item in items) >= 3
    assert 2 <= sum(bool(item.url) for item in items) <= 3


def test_a_second_run_changes_nothing_and_says_so():
    load_demo()
    counts = (Article.objects.count(), TaggedArticle.objects.count(), FlatPage.objects.count())

    output = load_demo()

    assert NOTHING_CHANGED in output
    assert counts == (
        Article.objects.count(),
        TaggedArticle.objects.count(),
        FlatPage.objects.count(),
    )
    assert get_user_model().objects.filter(username="editor").count() == 1


def test_demo_editor_login_is_printed_only_while_it_keeps_the_demo_password():
    output = load_demo()

    editor = get_user_model().objects.get(username=content.EDITOR_USERNAME)
    assert editor.is_staff and editor.is_superuser
    assert editor.check_password(content.EDITOR_PASSWORD)
    assert "Demo editor login: editor / oversight-demo at https://oversight.example/admin/" in (
        output
    )

    editor.set_password("a-real-secret-now")
    editor.save()
    output = load_demo()

    assert "oversight-demo" not in output
    editor.refresh_from_db()
    assert editor.check_password("a-real-secret-now")


def test_about_and_privacy_pages_render(client):
    load_demo()

    about = client.get("/about/")
    privacy = client.get("/privacy/")

    assert about.status_code == 200
    assert privacy.status_code == 200
    assert "About Oversight" in about.content.decode()
    assert "never shown" in privacy.content.decode()


def test_demo_articles_render(client):
    load_demo()

    response = client.get(Article.objects.get(slug=NORTH_LONDON).get_absolute_url())

    assert response.status_code == 200
    assert "lost in the system" in response.content.decode()


def test_demo_links_the_north_london_article_and_its_inspection_both_ways(client):
    load_demo()
    article = Article.objects.get(slug="north-london-probation-inspection-2016")
    inspection = article.related_inspections.get()

    assert inspection.slug == "north-of-london-quality-impact-2016"
    assert inspection.published_on.isoformat() == "2016-12-14"
    html = client.get(inspection.get_absolute_url()).content.decode()
    assert f'href="{article.get_absolute_url()}"' in html


def test_demo_has_approved_comments_with_a_threaded_reply(client):
    load_demo()
    comments = Comment.objects.filter(status=Comment.Status.APPROVED)
    assert comments.count() >= 5
    assert comments.filter(parent__isnull=False).exists()
    html = client.get("/articles/north-london-probation-inspection-2016/").content.decode()
    assert "3 Responses" in html
    assert "@readers.example" not in html


def test_demo_comments_were_sent_as_readers_send_them_and_keep_their_dates():
    load_demo()

    comments = list(Comment.objects.all())
    assert len(comments) == len(content.DEMO_COMMENTS)
    # Only comment_submit fills these: a hashed address, the browser, no spam reason.
    assert all(c.ip_hash and c.user_agent and not c.spam_reason for c in comments)
    assert len({c.ip_hash for c in comments}) == len(comments)
    article = Article.objects.get(slug=NORTH_LONDON)
    on_article = Comment.objects.for_target(article)
    assert all(
        article.published_at < c.created < article.published_at + datetime.timedelta(days=7)
        for c in on_article
    )


# The inspection records.


def export_everything() -> dict[str, bytes]:
    return {f"{name}.{fmt}": export_bytes(name, fmt) for name in DATASETS for fmt in FORMATS}


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def test_demo_loads_every_inspection_and_a_second_run_creates_nothing():
    created = records_load()

    assert created > 0
    assert Inspection.objects.count() == len(facts()["inspections"]) == 12
    assert records_load() == 0
    assert Inspection.objects.count() == 12


def test_the_demo_records_go_through_the_open_data_import(monkeypatch):
    reports = []

    def import_and_keep_the_report(**kwargs):
        reports.append(inspections_import(**kwargs))
        return reports[-1]

    monkeypatch.setattr(records, "inspections_import", import_and_keep_the_report)
    load_demo()

    [report] = reports
    assert importlib.util.find_spec("inspections.demo") is None
    assert report.rows["inspections"] == report.changes["inspections"]["created"] == 12
    for name, model in [
        ("organisations", Organisation),
        ("ratings", InspectedOrganisation),
        ("findings", Finding),
        ("scores", Score),
        ("recommendations", Recommendation),
    ]:
        assert (
            report.rows[name]
            == report.changes[str(model._meta.verbose_name_plural)]["created"]
            == model.objects.count()
        ), name
    load_demo()
    assert len(reports) == 1  # nothing left to import


def test_exporting_the_demo_gives_back_the_files_it_imported():
    generated = records.open_data_files()
    load_demo()

    assert set(generated) == set(DATASETS)
    for name, written in generated.items():
        exported = csv_rows(export_bytes(name, "csv"))
        mine = csv_rows(written)
        assert exported[0] == mine[0], name
        assert sorted(exported[1:]) == sorted(mine[1:]), name


@pytest.mark.parametrize("read_format", ["csv", "json"])
def test_the_demo_survives_export_import_into_an_empty_database_byte_for_byte(
    tmp_path, read_format, empty_the_database, write_files
):
    records_load()
    before = export_everything()
    assert all(data.count(b"\n") > 2 for data in before.values())
    paths = write_files(tmp_path, before)

    empty_the_database()
    inspections_import(paths=[paths[f"{name}.{read_format}"] for name in IMPORT_ORDER])

    after = export_everything()
    for filename in before:
        assert after[filename] == before[filename], filename


def test_a_second_run_keeps_what_editors_changed():
    load_demo()
    Inspection.objects.filter(slug="london-crc-2019").update(summary="Edited by an editor.")
    Finding.objects.filter(inspection__slug="london-crc-2019").first().delete()
    findings = Finding.objects.count()

    assert NOTHING_CHANGED in load_demo()
    assert Inspection.objects.get(slug="london-crc-2019").summary == "Edited by an editor."
    assert Finding.objects.count() == findings


def test_demo_loads_findings_recommendations_and_organisations_from_the_file():
    records_load()
    inspections = facts()["inspections"]
    assert Finding.objects.count() == sum(len(i["findings"]) for i in inspections)
    assert Recommendation.objects.count() == sum(len(i["recommendations"]) for i in inspections)
    assert Organisation.objects.count() == len(facts()["organisations"])
    assert Finding.objects.filter(polarity="context").exists()
    assert not Finding.objects.filter(theme__isnull=True).exists()
    assert Finding.objects.filter(organisation__isnull=True).exists()  # joint findings
    addressed = Recommendation.objects.filter(addressed_to__isnull=False).distinct()
    assert addressed.count() == sum(
        bool(r.get("addressed_to")) for i in inspections for r in i["recommendations"]
    )
    assert Recommendation.objects.exclude(addressed_to_other="").exists()


def test_demo_holds_both_eras():
    records_load()
    durham = Inspection.objects.get(slug="durham-quality-impact-2016")
    assert durham.inspected.count() == 2
    assert not durham.inspected.filter(overall_rating__isnull=False).exists()

    north_west = InspectedOrganisation.objects.get(inspection__slug="nps-north-west-2019")
    assert north_west.overall_rating.label == "Good"
    assert north_west.overall_rating.tone == "positive"
    assert north_west.overall_rating.points == 2
    victim_work = Score.objects.get(inspection__slug="nps-north-west-2019", rating__isnull=False)
    assert victim_work.measure.label == "3.2 Statutory victim work"
    assert victim_work.rating.label == "Outstanding"


def test_demo_themes_keep_the_programmes_order():
    records_load()
    themes = list(
        Inspection.objects.get(slug="north-of-london-quality-impact-2016")
        .programme.themes.order_by("order")
        .values_list("code", flat=True)
    )
    assert themes[:5] == [
        "overall",
        "reducing_reoffending",
        "protecting_the_public",
        "abiding_by_the_sentence",
        "leadership_and_operations",
    ]
    assert themes[-1] == "context"


def test_demo_scores_keep_units_percent_as_percentages_and_counts_as_counts():
    records_load()
    expected = [
        (i["slug"], o["organisation"], m["measure"], m["value"], m["unit"])
        for i in facts()["inspections"]
        for o in i["organisations"]
        for m in o.get("measures", [])
    ]
    assert expected
    for inspection, organisation, name, value, unit in expected:
        score = Score.objects.get(
            inspection__slug=inspection, organisation__slug=organisation, measure__name=name
        )
        if unit == "percent":
            assert score.percentage == value and score.count is None
        else:
            assert score.count == value and score.percentage is None
    home_visits = Score.objects.get(measure__name__startswith="Needed home visits")
    assert home_visits.approximate


def test_demo_does_not_invent_figures():
    records_load()
    figures = sum(
        len(o.get("measures", [])) + len(o.get("standard_ratings", []))
        for i in facts()["inspections"]
        for o in i["organisations"]
    )
    assert Score.objects.count() == figures


def test_demo_summaries_are_ours_and_every_inspection_has_one():
    records_load()
    assert set(SUMMARIES) == {i["slug"] for i in facts()["inspections"]}
    assert not Inspection.objects.filter(summary="").exists()
    seed_text = FACTS_FILE.parents[2] / "shared" / "seed" / "article-page.txt"
    if seed_text.exists():
        seed = seed_text.read_text(encoding="utf-8")
        for summary in SUMMARIES.values():
            assert summary not in seed


def test_demo_links_follow_up_inspections():
    records_load()
    follow_up = Inspection.objects.get(slug="london-crc-2019")
    assert follow_up.follows.slug == "london-crc-quality-impact-2018"


def test_a_second_run_writes_nothing():
    load_demo()
    with CaptureQueriesContext(connection) as queries:
        assert NOTHING_CHANGED in load_demo()
    assert not any(
        q["sql"].startswith(("INSERT", "UPDATE", "DELETE")) for q in queries.captured_queries
    )


def test_demo_keeps_the_files_caveats_about_missing_figures():
    records_load()
    merseyside = Inspection.objects.get(slug="merseyside-crc-2018")
    assert "not readable" in merseyside.record_note
