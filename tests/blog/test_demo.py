import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.utils import timezone

from blog.demo import content
from blog.demo.loader import NOTHING_CHANGED, demo_load, demo_sources
from blog.models import Article, AuthorProfile, ResourcePack, TaggedArticle

pytestmark = pytest.mark.django_db

NORTH_LONDON = "north-london-probation-inspection-2016"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def test_every_image_has_alt_text_and_a_file():
    load_demo()

    with_images = Article.objects.exclude(featured_image="")
    assert with_images.count() >= len(content.ARTICLES) // 2
    for article in with_images:
        assert article.featured_image_alt
        assert article.featured_image_credit == "Illustration: Oversight"
        assert article.featured_image.storage.exists(article.featured_image.name)
        assert (article.featured_image_width, article.featured_image_height) == (1600, 900)
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
    from comments.models import Comment

    load_demo()
    comments = Comment.objects.filter(status=Comment.Status.APPROVED)
    assert comments.count() >= 5
    assert comments.filter(parent__isnull=False).exists()
    html = client.get("/articles/north-london-probation-inspection-2016/").content.decode()
    assert "3 Responses" in html
    assert "@readers.example" not in html
