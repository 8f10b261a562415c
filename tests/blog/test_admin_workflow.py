import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from blog.admin import EDITOR_STYLE_HASH
from blog.models import Article, ArticleVersion
from blog.preview import PREVIEW_MAX_AGE, preview_token
from blog.services import article_version_restore
from tests.blog.factories import ArticleFormDataFactory, ImageUploadFactory, StaffFactory
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:blog_article_changelist")


def preview_url(article):
    return reverse("blog:article-preview", kwargs={"token": preview_token(article.pk)})


def test_preview_shows_a_draft_to_staff_as_readers_will_see_it(client):
    article = ArticleFactory(title="Not out yet", body="<p>Secret findings.</p>")
    client.force_login(StaffFactory(editor=True))

    response = client.get(preview_url(article))

    assert response.status_code == 200
    assert response.templates[0].name == "blog/article_detail.html"
    content = response.content.decode()
    assert "Not out yet" in content and "Secret findings." in content
    assert "Preview" in content
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_preview_is_not_for_readers(client):
    article = ArticleFactory()

    response = client.get(preview_url(article))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(article.get_absolute_url()).status_code == 404


def test_preview_link_expires_and_cannot_be_forged(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    article = ArticleFactory()
    client.force_login(StaffFactory(editor=True))
    url = preview_url(article)

    forged = signing.dumps(article.pk, salt="something else")
    assert client.get(reverse("blog:article-preview", args=[forged])).status_code == 404
    time_machine.shift(PREVIEW_MAX_AGE + 1)
    client.force_login(StaffFactory(editor=True))  # the session has ended too
    assert client.get(url).status_code == 404


def test_preview_of_another_authors_draft_is_refused_to_an_author(client):
    article = ArticleFactory()
    client.force_login(StaffFactory(author=True))

    assert client.get(preview_url(article)).status_code == 404


def test_change_page_links_to_preview_and_view_on_site_only_when_public(client):
    draft = ArticleFactory()
    live = ArticleFactory(published=True)
    client.force_login(StaffFactory(editor=True))

    draft_page = client.get(reverse("admin:blog_article_change", args=[draft.pk]))
    live_page = client.get(reverse("admin:blog_article_change", args=[live.pk]))

    assert draft_page.context["preview_url"].startswith("/articles/preview/")
    assert b"viewsitelink" not in draft_page.content
    assert b"viewsitelink" in live_page.content


def style_src(response) -> str:
    directives = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    return directives["style-src"]


def test_the_editors_stylesheet_is_allowed_only_where_the_editor_is(client):
    draft = ArticleFactory()
    author = StaffFactory(author=True)
    own_live = ArticleFactory(author=author, published=True)
    client.force_login(StaffFactory(editor=True))

    change = client.get(reverse("admin:blog_article_change", args=[draft.pk]))
    add = client.get(reverse("admin:blog_article_add"))
    changelist = client.get(CHANGELIST)
    index = client.get(reverse("admin:index"))
    client.force_login(author)
    view_only = client.get(reverse("admin:blog_article_change", args=[own_live.pk]))

    assert change.status_code == add.status_code == 200
    assert 'name="body"' in change.content.decode()
    assert style_src(change) == style_src(add) == f"'self' {EDITOR_STYLE_HASH}"
    assert changelist.status_code == index.status_code == view_only.status_code == 200
    assert 'name="body"' not in view_only.content.decode()
    assert style_src(changelist) == style_src(index) == style_src(view_only) == "'self'"


def post_action(client, action, articles, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [a.pk for a in articles], **extra},
        follow=True,
    )


def test_bulk_publish_and_unpublish(client):
    dated = timezone.now() + datetime.timedelta(days=3)
    scheduled = ArticleFactory(status=Article.Status.REVIEW, published_at=dated)
    undated = ArticleFactory(status=Article.Status.REVIEW)
    client.force_login(StaffFactory(editor=True))

    response = post_action(client, "publish", [scheduled, undated])

    assert "2 articles published." in response.content.decode()
    scheduled.refresh_from_db()
    undated.refresh_from_db()
    assert scheduled.is_scheduled and scheduled.published_at == dated
    assert undated.is_published

    post_action(client, "unpublish", [undated])
    undated.refresh_from_db()
    assert undated.status == Article.Status.DRAFT


def test_bulk_change_category(client):
    articles = ArticleFactory.create_batch(2)
    category = CategoryFactory(name="Prisons")
    client.force_login(StaffFactory(editor=True))

    response = post_action(client, "change_category", articles, category=category.pk)

    assert "2 articles moved to Prisons." in response.content.decode()
    assert {a.category for a in Article.objects.all()} == {category}


def test_bulk_change_category_without_a_category_changes_nothing(client):
    article = ArticleFactory()
    client.force_login(StaffFactory(editor=True))

    response = post_action(client, "change_category", [article])

    assert "Choose a category" in response.content.decode()
    assert Article.objects.get().category == article.category


def test_authors_are_not_offered_publishing_actions(client):
    ArticleFactory(author=(me := StaffFactory(author=True)))
    client.force_login(me)

    response = client.get(CHANGELIST)

    # Publish, unpublish and change category are editors' actions; authors get none.
    assert response.context["action_form"] is None


@pytest.mark.parametrize(
    "query",
    [
        "status__exact=review",
        "tag=prisons",
        "author__id__exact={author}",
        "category__id__exact={category}",
        "published_at__isnull=False",
        "q=Reoffending",
    ],
)
def test_filters_and_search_narrow_the_list(client, query):
    wanted = ArticleFactory(
        title="Reoffending",
        status=Article.Status.REVIEW,
        published_at=timezone.now(),
        tags=["prisons"],
    )
    ArticleFactory(title="Other")
    client.force_login(StaffFactory(editor=True))
    query = query.format(author=wanted.author_id, category=wanted.category_id)

    response = client.get(f"{CHANGELIST}?{query}")

    assert list(response.context["cl"].result_list) == [wanted]


def test_saving_in_the_admin_records_versions_with_who_and_when(client):
    me = StaffFactory(editor=True)
    client.force_login(me)
    client.post(reverse("admin:blog_article_add"), ArticleFormDataFactory(author=me.pk))
    article = Article.objects.get()
    url = reverse("admin:blog_article_change", args=[article.pk])

    client.post(url, ArticleFormDataFactory(author=me.pk, title="Second title"))
    client.post(url, ArticleFormDataFactory(author=me.pk, title="Second title", comments_open=""))

    versions = list(article.versions.all())
    # Every change is a version (the last one changed only "comments open").
    assert [v.title for v in versions] == ["Second title", "Second title", "Caseloads under strain"]
    assert versions[0].changed == ["comments_open"]
    assert all(v.created_by == me for v in versions)
    page = client.get(reverse("admin:blog_article_versions", args=[article.pk]))
    assert "Caseloads under strain" in page.content.decode()


def test_restoring_a_version_puts_its_text_back_and_is_itself_recorded(client):
    me = StaffFactory(editor=True)
    client.force_login(me)
    client.post(reverse("admin:blog_article_add"), ArticleFormDataFactory(author=me.pk))
    article = Article.objects.get()
    client.post(
        reverse("admin:blog_article_change", args=[article.pk]),
        ArticleFormDataFactory(author=me.pk, title="Rewritten", body="<p>New.</p>"),
    )
    first = article.versions.order_by("created_at", "pk").first()
    url = reverse("admin:blog_article_version_restore", args=[article.pk, first.pk])

    assert "Restore this version" in client.get(url).content.decode()
    response = client.post(url)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Caseloads under strain"
    assert article.body == "<p>Caseloads were too high.</p>"
    latest = article.versions.first()
    assert latest.title == "Caseloads under strain" and latest.note.startswith("Restored")
    assert article.versions.count() == 3


def test_an_author_cannot_restore_versions_of_another_authors_article(client):
    article = ArticleFactory()
    version = ArticleVersion.objects.create(article=article, title="Old")
    client.force_login(StaffFactory(author=True))

    url = reverse("admin:blog_article_version_restore", args=[article.pk, version.pk])

    assert client.post(url).status_code == 403


def test_restore_service_records_the_user():
    article = ArticleFactory(title="Now")
    version = ArticleVersion.objects.create(article=article, title="Then", body="<p>x</p>")
    user = StaffFactory(editor=True)

    restored = article_version_restore(version=version, user=user)

    assert restored.created_by == user
    article.refresh_from_db()
    assert article.title == "Then"


def test_tags_box_suggests_the_tags_already_used(client):
    ArticleFactory(tags=["prisons", "probation"])
    client.force_login(StaffFactory(editor=True))

    response = client.get(reverse("admin:blog_article_add"))

    content = response.content.decode()
    assert 'list="id_tags-suggestions"' in content
    assert '<option value="prisons"><option value="probation">' in content
    assert "js/admin-tags.js" in content


def test_standfirst_and_meta_description_carry_length_hints(client):
    client.force_login(StaffFactory(editor=True))

    form = client.get(reverse("admin:blog_article_add")).context["adminform"].form

    assert form.fields["standfirst"].widget.attrs["maxlength"] == 300
    assert form.fields["meta_description"].max_length == 160
    assert "160 characters" in str(form.fields["meta_description"].help_text)


def test_an_image_without_alt_text_is_a_form_error(client):
    me = StaffFactory(editor=True)
    client.force_login(me)

    response = client.post(
        reverse("admin:blog_article_add"),
        {**ArticleFormDataFactory(author=me.pk), "featured_image": ImageUploadFactory()},
    )

    assert response.status_code == 200
    assert "alt text is required" in str(response.context["adminform"].form.errors)
    assert not Article.objects.exists()
