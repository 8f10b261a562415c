import pytest
from django.urls import reverse

from blog.models import Article
from tests.blog.factories import ArticleFormDataFactory, StaffFactory
from tests.factories import ArticleFactory
from tests.inspections.factories import InspectionFactory

pytestmark = pytest.mark.django_db


def preview_url(article=None):
    if article is None:
        return reverse("admin:blog_article_preview_new")
    return reverse("admin:blog_article_preview", args=[article.pk])


def test_preview_shows_the_unsaved_form_in_the_article_template_and_saves_nothing(client):
    me = StaffFactory(editor=True)
    article = ArticleFactory(author=me, title="Saved title", body="<p>Saved.</p>")
    inspection = InspectionFactory(title="North London inspection")
    client.force_login(me)

    response = client.post(
        preview_url(article),
        ArticleFormDataFactory(
            author=me.pk,
            title="Typed title",
            body="<p>Typed <script>alert(1)</script>body.</p>",
            tags="prisons, brand-new-tag",
            related_inspections=[inspection.pk],
        ),
    )

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    framed = response.context["preview_html"]
    assert '<h1 class="article__title">Typed title</h1>' in framed
    assert "Typed body.</p>" in framed and "<script>alert" not in framed
    assert "brand-new-tag" in framed and "North London inspection" in framed
    content = response.content.decode()
    assert 'srcdoc="' in content and "&lt;h1 class=&quot;article__title&quot;&gt;" in content
    article.refresh_from_db()
    assert article.title == "Saved title" and not article.versions.exists()
    assert not article.tags.exists()


def test_a_new_article_can_be_previewed_before_its_first_save(client):
    me = StaffFactory(author=True)
    client.force_login(me)

    response = client.post(preview_url(), ArticleFormDataFactory(author=me.pk, tags="prisons"))

    assert response.status_code == 200
    assert "Caseloads under strain" in response.context["preview_html"]
    assert not Article.objects.exists()


def test_preview_names_what_is_wrong_with_the_form(client):
    me = StaffFactory(editor=True)
    client.force_login(me)

    response = client.post(preview_url(), ArticleFormDataFactory(author=me.pk, title=""))

    assert response.status_code == 400
    content = response.content.decode()
    assert "The preview cannot be shown until this is fixed" in content
    assert "<strong>Title</strong>" in content and "This field is required." in content


def test_preview_is_staff_only_for_articles_they_may_change(client):
    article = ArticleFactory()
    data = ArticleFormDataFactory(author=article.author_id)

    assert client.post(preview_url(article), data).status_code == 302  # to the login page
    client.force_login(StaffFactory(author=True))
    assert client.post(preview_url(article), data).status_code == 403
    client.force_login(StaffFactory(editor=True))
    assert client.get(preview_url(article)).status_code == 405
