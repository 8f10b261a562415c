import pytest
from django.contrib.redirects.models import Redirect
from django.urls import reverse

from blog.models import Article
from tests.blog.factories import ArticleFormDataFactory, StaffFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/?p=10", "/articles/caseloads-under-strain/"),
        ("/?p=10&utm_source=x", "/articles/caseloads-under-strain/"),
        ("/?page_id=31", "/about/team/"),
        ("/2016/12/14/caseloads-under-strain/", "/articles/caseloads-under-strain/"),
        ("/2016/12/caseloads-under-strain/", "/articles/caseloads-under-strain/"),
        ("/archives/11/", "/articles/summer-inspections/"),
        ("/category/justice/probation/", "/categories/probation/"),
        ("/category/news/feed/", "/categories/news/feed/"),
        ("/tag/caseloads/", "/tags/caseloads/"),
        ("/tag/crc/feed/", "/tags/crc/feed/"),
        ("/2016/12/14/caseloads-under-strain/feed/",
         "/articles/caseloads-under-strain/comments/feed/"),
        ("/feed/rss2/", "/feed/"),
        ("/?feed=rss2", "/feed/"),
        ("/author/writer/", "/authors/writer/"),
        ("/2016/12/14/caseloads-under-strain/prison/", "/articles/caseloads-under-strain/"),
        ("/?attachment_id=20", "/articles/caseloads-under-strain/"),
        ("/?cat=5", "/categories/news/"),
        ("/2016/12/14/caseloads-under-strain", "/articles/caseloads-under-strain/"),
    ],
)  # fmt: skip
def test_every_old_address_answers_301_to_the_new_one(run_import, client, old, new):
    run_import()

    response = client.get(old)

    assert response.status_code == 301, old
    assert (
        response["Location"].endswith(new)
        if old.endswith("strain")
        else (response["Location"] == new)
    )


def test_an_old_address_that_is_not_recorded_is_still_404(run_import, client):
    run_import()

    assert client.get("/2016/12/14/never-written/").status_code == 404
    assert client.get("/?p=999").status_code == 200  # the home page, as before


def test_internal_links_in_bodies_point_at_the_new_addresses(run_import):
    run_import()

    body = Article.objects.get(slug="caseloads-under-strain").body
    assert 'href="/articles/summer-inspections/"' in body
    summer = Article.objects.get(slug="summer-inspections").body
    assert 'href="/articles/caseloads-under-strain/"' in summer
    assert 'href="https://elsewhere.example/x"' in summer


def change_slug(client, article, slug):
    data = ArticleFormDataFactory(
        title=article.title,
        slug=slug,
        status="published",
        published_at_0=article.published_at.strftime("%Y-%m-%d"),
        published_at_1=article.published_at.strftime("%H:%M:%S"),
        category=article.category_id,
        author=article.author_id,
    )
    response = client.post(reverse("admin:blog_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_changing_a_published_slug_in_the_admin_redirects_the_old_address(client):
    article = ArticleFactory(slug="first", published=True)
    client.force_login(StaffFactory(editor=True))

    change_slug(client, article, "second")

    assert client.get("/articles/first/")["Location"] == "/articles/second/"
    assert client.get("/articles/second/").status_code == 200


def test_slug_changes_never_chain_or_loop(client):
    article = ArticleFactory(slug="first", published=True)
    client.force_login(StaffFactory(editor=True))

    change_slug(client, article, "second")
    change_slug(client, article, "third")
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/articles/first/": "/articles/third/",
        "/articles/second/": "/articles/third/",
    }

    change_slug(client, article, "first")  # back again: /articles/first/ is live once more
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/articles/second/": "/articles/first/",
        "/articles/third/": "/articles/first/",
    }
    assert client.get("/articles/first/").status_code == 200


def test_a_draft_slug_change_records_no_redirect(client):
    article = ArticleFactory(slug="draft-one")
    client.force_login(StaffFactory(editor=True))
    data = ArticleFormDataFactory(
        title=article.title,
        slug="draft-two",
        category=article.category_id,
        author=article.author_id,
    )

    client.post(reverse("admin:blog_article_change", args=[article.pk]), data)

    assert Article.objects.get(pk=article.pk).slug == "draft-two"
    assert not Redirect.objects.exists()


def test_editors_manage_redirects_in_the_admin(client):
    client.force_login(StaffFactory(editor=True))

    response = client.get(reverse("admin:redirects_redirect_changelist"))

    assert response.status_code == 200
