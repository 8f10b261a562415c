import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.models import Article, ArticleAutosave
from tests.blog.factories import ArticleFormDataFactory, StaffFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def autosave_url(article=None):
    if article is None:
        return reverse("admin:blog_article_autosave_new")
    return reverse("admin:blog_article_autosave", args=[article.pk])


def change_url(article):
    return reverse("admin:blog_article_change", args=[article.pk])


def test_autosave_keeps_the_form_for_its_user_without_changing_the_article(client):
    me = StaffFactory(author=True)
    article = ArticleFactory(author=me, title="Saved title")
    client.force_login(me)

    response = client.post(
        autosave_url(article),
        ArticleFormDataFactory(author=me.pk, title="Typed but not saved"),
        headers={"X-Autosave": "1"},
    )

    assert response.status_code == 200 and "autosaved" in response.json()["message"]
    autosave = ArticleAutosave.objects.get()
    assert autosave.user == me and autosave.article == article
    assert autosave.data["title"] == ["Typed but not saved"]
    assert "csrfmiddlewaretoken" not in autosave.data
    article.refresh_from_db()
    assert article.title == "Saved title" and not article.versions.exists()
    # A second autosave replaces the first.
    client.post(autosave_url(article), {"title": "Later"}, headers={"X-Autosave": "1"})
    assert ArticleAutosave.objects.get().data == {"title": ["Later"]}


def test_autosave_needs_the_csrf_token_in_a_header(client):
    from django.test import Client

    me = StaffFactory(author=True)
    article = ArticleFactory(author=me)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(me)
    page = strict.get(change_url(article))
    token = page.cookies["csrftoken"].value

    assert strict.post(autosave_url(article), {"title": "x"}).status_code == 403
    ok = strict.post(autosave_url(article), {"title": "x"}, headers={"X-CSRFToken": token})
    assert ok.status_code == 200


def test_nobody_autosaves_into_an_article_they_may_not_change(client):
    article = ArticleFactory()
    client.force_login(StaffFactory(author=True))

    assert client.post(autosave_url(article), {"title": "Mine now"}).status_code == 403
    assert not ArticleAutosave.objects.exists()


def test_the_edit_page_offers_a_newer_autosave_and_restores_it_into_the_form(client):
    me = StaffFactory(editor=True)
    article = ArticleFactory(author=me, title="Saved title", tags=["prisons"])
    client.force_login(me)
    client.post(
        autosave_url(article),
        ArticleFormDataFactory(
            author=me.pk,
            title="Recovered title",
            body="<p>Recovered body</p>",
            tags="prisons, probation",
            comments_open="",
        ),
    )

    offer = client.get(change_url(article)).content.decode()
    assert "autosaved draft" in offer and "?recover=1" in offer

    recovered = client.get(change_url(article), {"recover": "1"})
    form = recovered.context["adminform"].form
    assert form["title"].value() == "Recovered title"
    assert form["body"].value() == "<p>Recovered body</p>"
    assert form["tags"].value() == "prisons, probation"
    assert form["comments_open"].value() is False
    assert "Your autosaved draft is in the form below" in recovered.content.decode()


def test_an_autosave_older_than_the_last_save_is_not_offered(client):
    me = StaffFactory(editor=True)
    article = ArticleFactory(author=me)
    ArticleAutosave.objects.create(
        user=me,
        article=article,
        data={"title": ["Stale"]},
        saved_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(me)

    assert "?recover=1" not in client.get(change_url(article)).content.decode()


def test_saving_the_form_or_discarding_forgets_the_autosave(client):
    me = StaffFactory(editor=True)
    client.force_login(me)
    client.post(autosave_url(), {"title": "A new one"})
    add_page = client.get(reverse("admin:blog_article_add")).content.decode()
    assert "?recover=1" in add_page

    client.post(reverse("admin:blog_article_add"), ArticleFormDataFactory(author=me.pk))
    assert not ArticleAutosave.objects.exists()

    article = Article.objects.get()
    client.post(autosave_url(article), {"title": "Draft"})
    response = client.post(autosave_url(article), {"_autosave_discard": "1"})
    assert response.status_code == 302 and response["Location"] == change_url(article)
    assert not ArticleAutosave.objects.exists()


def test_autosaves_are_per_user():
    article = ArticleFactory()
    first, second = StaffFactory(editor=True), StaffFactory(editor=True)

    ArticleAutosave.objects.create(user=first, article=article, data={})
    ArticleAutosave.objects.create(user=second, article=article, data={})
    ArticleAutosave.objects.create(user=first, article=None, data={})

    assert ArticleAutosave.objects.count() == 3
