import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from blog.models import Article
from core.roles import AUTHOR, EDITOR, MODERATOR, roles_sync
from tests.blog.factories import ArticleFormDataFactory, StaffFactory
from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def codenames(role):
    return set(
        Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")
    )


def test_roles_exist_with_their_permissions():
    editor_perms = codenames(EDITOR)
    assert ("blog", "publish_article") in editor_perms
    assert ("blog", "change_any_article") in editor_perms
    assert ("comments", "change_comment") in editor_perms
    assert ("subscriptions", "delete_subscriber") in editor_perms
    assert ("inspections", "change_inspection") in editor_perms

    author_perms = codenames(AUTHOR)
    assert ("blog", "add_article") in author_perms
    assert ("blog", "change_article") in author_perms
    assert ("blog", "publish_article") not in author_perms
    assert ("blog", "change_any_article") not in author_perms
    assert ("blog", "delete_article") not in author_perms

    assert {app for app, _codename in codenames(MODERATOR)} == {"comments"}


def test_roles_sync_is_idempotent_and_restores_missing_permissions():
    group = Group.objects.get(name=AUTHOR)
    before = group.permissions.count()
    group.permissions.remove(Permission.objects.get(codename="add_article"))

    roles_sync()
    roles_sync()

    assert Group.objects.filter(name=AUTHOR).count() == 1
    assert group.permissions.count() == before


def test_author_lists_only_their_own_articles(client):
    me = StaffFactory(author=True)
    mine = ArticleFactory(author=me, title="Mine")
    ArticleFactory(title="Someone else's")
    client.force_login(me)

    response = client.get(reverse("admin:blog_article_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]


@pytest.mark.parametrize("view", ["change", "delete", "history", "versions"])
def test_author_cannot_open_another_authors_article(client, view):
    theirs = ArticleFactory(title="Someone else's")
    client.force_login(StaffFactory(author=True))

    response = client.get(reverse(f"admin:blog_article_{view}", args=[theirs.pk]))

    assert response.status_code in {403, 404}


def test_author_cannot_post_changes_to_another_authors_article(client):
    theirs = ArticleFactory(title="Someone else's")
    client.force_login(StaffFactory(author=True))

    response = client.post(
        reverse("admin:blog_article_change", args=[theirs.pk]),
        ArticleFormDataFactory(title="Hijacked", slug=theirs.slug),
    )

    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.title == "Someone else's"


def test_author_writes_a_draft_and_submits_it_for_review(client):
    me = StaffFactory(author=True)
    client.force_login(me)

    response = client.post(reverse("admin:blog_article_add"), ArticleFormDataFactory())
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.author == me
    assert article.status == Article.Status.DRAFT

    response = client.post(
        reverse("admin:blog_article_change", args=[article.pk]),
        ArticleFormDataFactory(status="review"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW


def test_author_cannot_publish_or_date_an_article(client):
    me = StaffFactory(author=True)
    client.force_login(me)

    response = client.post(
        reverse("admin:blog_article_add"),
        ArticleFormDataFactory(
            status="published", published_at_0="2026-01-01", published_at_1="09:00"
        ),
    )

    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_author_form_offers_only_draft_and_review(client):
    client.force_login(StaffFactory(author=True))

    response = client.get(reverse("admin:blog_article_add"))

    choices = [
        value for value, _label in response.context["adminform"].form.fields["status"].choices
    ]
    assert choices == ["draft", "review"]
    assert "published_at" not in response.context["adminform"].form.fields


def test_author_sees_but_cannot_change_their_published_article(client):
    me = StaffFactory(author=True)
    article = ArticleFactory(author=me, published=True, title="Live")
    client.force_login(me)
    url = reverse("admin:blog_article_change", args=[article.pk])

    assert client.get(url).context["has_change_permission"] is False
    response = client.post(url, ArticleFormDataFactory(title="Edited", slug=article.slug))

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Live"


def test_editor_changes_and_publishes_anyones_article(client):
    article = ArticleFactory(status=Article.Status.REVIEW, title="Ready")
    client.force_login(StaffFactory(editor=True))

    response = client.post(
        reverse("admin:blog_article_change", args=[article.pk]),
        ArticleFormDataFactory(
            title="Ready",
            slug=article.slug,
            author=article.author_id,
            status="published",
            published_at_0="2026-01-01",
            published_at_1="09:00",
        ),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.is_published


def test_editor_publishing_without_a_date_publishes_now(client):
    article = ArticleFactory(status=Article.Status.REVIEW)
    client.force_login(StaffFactory(editor=True))

    response = client.post(
        reverse("admin:blog_article_change", args=[article.pk]),
        ArticleFormDataFactory(slug=article.slug, author=article.author_id, status="published"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_published


def test_moderator_reaches_comments_but_not_articles(client):
    CommentFactory(target=ArticleFactory(published=True))
    client.force_login(StaffFactory(moderator=True))

    assert client.get(reverse("admin:blog_article_changelist")).status_code == 403
    assert client.get(reverse("admin:comments_comment_changelist")).status_code == 200


@pytest.mark.parametrize("role", ["author", "editor"])
def test_is_editable_by_mirrors_the_queryset(role):
    user = StaffFactory(**{role: True})
    ArticleFactory(author=user)
    ArticleFactory()

    editable = set(Article.objects.editable_by(user))

    assert {a for a in Article.objects.all() if a.is_editable_by(user)} == editable
