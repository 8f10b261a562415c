import pytest
from django.urls import reverse

from blog.models import Article, ArticleVersion
from blog.services import article_version_restore
from tests.blog.factories import ArticleFormDataFactory, StaffFactory
from tests.factories import ArticleFactory, CategoryFactory
from tests.inspections.factories import InspectionFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:blog_article_add")


def change_url(article):
    return reverse("admin:blog_article_change", args=[article.pk])


def versions_url(article):
    return reverse("admin:blog_article_versions", args=[article.pk])


def write(client, me, **fields):
    """Add an article through the admin form; later calls with `article` change it."""
    article = fields.pop("article", None)
    url = change_url(article) if article else ADD
    response = client.post(url, ArticleFormDataFactory(author=me.pk, **fields))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return article or Article.objects.get()


def test_a_version_records_every_editable_field_tags_and_inspections_included(client):
    me = StaffFactory(editor=True)
    client.force_login(me)
    category = CategoryFactory(name="Probation")
    inspection = InspectionFactory(title="Inspection of North London")

    article = write(
        client,
        me,
        category=category.pk,
        tags="prisons, caseloads",
        related_inspections=[inspection.pk],
        meta_description="For search engines.",
        language="cy",
    )

    version = article.versions.get()
    snapshot = version.snapshot
    assert snapshot["title"] == "Caseloads under strain"
    assert snapshot["slug"] == "caseloads-under-strain"
    assert snapshot["category"] == [category.pk, "Probation"]
    assert snapshot["tags"] == ["caseloads", "prisons"]
    assert snapshot["related_inspections"] == [[inspection.pk, "Inspection of North London"]]
    assert snapshot["status"] == "draft" and snapshot["published_at"] is None
    assert snapshot["meta_description"] == "For search engines."
    assert snapshot["language"] == "cy" and snapshot["comments_open"] is True
    assert version.created_by == me


def test_each_save_that_changes_something_is_a_version_saying_what_changed(client):
    me = StaffFactory(editor=True)
    client.force_login(me)
    article = write(client, me, tags="prisons")

    write(client, me, article=article, tags="prisons, probation", comments_open="")
    write(client, me, article=article, tags="prisons, probation", comments_open="")  # no change

    latest, first = article.versions.all()
    assert latest.changed == ["tags", "comments_open"]
    assert "title" in first.changed
    page = client.get(versions_url(article)).content.decode()
    assert "Tags, Comments open" in page


def test_any_two_versions_compare_word_by_word_escaped(client):
    me = StaffFactory(editor=True)
    client.force_login(me)
    article = write(client, me, body="<p>Caseloads were too high.</p>")
    write(client, me, article=article, title="Caseloads <b>under</b> strain", body="<p>x</p>")
    write(
        client,
        me,
        article=article,
        title="Caseloads <b>under</b> strain",
        body="<p>Caseloads were far too high.</p>",
    )
    newest, middle, oldest = article.versions.all()

    page = client.get(versions_url(article), {"old": oldest.pk, "new": newest.pk})

    content = page.content.decode()
    assert "Caseloads were<ins> far</ins> too high." in content
    assert "Caseloads <ins>&lt;b&gt;</ins>under<ins>&lt;/b&gt;</ins> strain" in content
    assert "<b>under</b>" not in content
    assert [c.name for c in page.context["changes"]] == ["title", "body"]
    # Without a choice, the newest two are compared.
    default = client.get(versions_url(article))
    assert (default.context["old"], default.context["new"]) == (middle, newest)


def test_comparing_versions_of_another_article_shows_no_comparison(client):
    me = StaffFactory(editor=True)
    client.force_login(me)
    article = write(client, me)
    other = ArticleVersion.objects.create(article=ArticleFactory(), title="Elsewhere")

    page = client.get(versions_url(article), {"old": other.pk, "new": article.versions.get().pk})

    assert page.status_code == 200 and page.context["changes"] == []
    assert "Elsewhere" not in page.content.decode()


def test_restore_brings_back_text_and_filing_but_not_the_publishing_state(client):
    me = StaffFactory(editor=True)
    client.force_login(me)
    first_category, second_category = CategoryFactory(), CategoryFactory()
    article = write(client, me, tags="prisons", category=first_category.pk)
    first = article.versions.get()
    write(
        client,
        me,
        article=article,
        title="Rewritten",
        tags="probation",
        category=second_category.pk,
        status="published",
        published_at_0="2026-01-02",
        published_at_1="09:30",
    )
    url = reverse("admin:blog_article_version_restore", args=[article.pk, first.pk])

    confirm = client.get(url).content.decode()
    assert "<del>Rewritten</del>" in confirm or "<ins>Caseloads" in confirm

    response = client.post(url)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Caseloads under strain"
    assert list(article.tags.names()) == ["prisons"]
    assert article.category == first_category
    assert article.status == Article.Status.PUBLISHED  # still live
    restored = article.versions.first()
    assert restored.note.startswith("Restored") and restored.created_by == me
    assert article.versions.count() == 3


def test_restore_keeps_a_slug_another_article_has_taken_since():
    article = ArticleFactory(slug="first")
    version = ArticleVersion.objects.create(article=article, title="T", data={"slug": "taken"})
    ArticleFactory(slug="taken")
    user = StaffFactory(editor=True)

    article_version_restore(version=version, user=user)

    article.refresh_from_db()
    assert article.slug == "first" and article.title == "T"


def test_versions_page_shows_stored_html_only_as_text(client):
    article = ArticleFactory()
    ArticleVersion.objects.create(article=article, title="A", body="<p>Plain</p>")
    ArticleVersion.objects.create(
        article=article, title="A", body='<p>Plain <img src="x" alt="chart"></p>'
    )
    client.force_login(StaffFactory(editor=True))

    content = client.get(versions_url(article)).content.decode()

    assert '<img src="x"' not in content
    assert "[chart: x]</ins>" in content


def test_versions_page_query_count_does_not_grow_with_versions(client, django_assert_num_queries):
    article = ArticleFactory()
    editor = StaffFactory(editor=True)
    client.force_login(editor)

    def add_versions(count):
        for n in range(count):
            ArticleVersion.objects.create(
                article=article, title=f"Title {n}", body=f"<p>{n}</p>", created_by=editor
            )

    add_versions(2)
    client.get(versions_url(article))  # warm caches (content types, permissions)
    with django_assert_num_queries(8) as one:
        response = client.get(versions_url(article))
    assert response.status_code == 200 and len(response.context["versions"]) == 2
    add_versions(20)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(versions_url(article))
    assert response.status_code == 200 and len(response.context["versions"]) == 22
    assert "Title 19" in response.content.decode()
