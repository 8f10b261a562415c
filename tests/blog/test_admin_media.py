import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import Article
from blog.services import article_image_renditions_make
from tests.blog.factories import ArticleFormDataFactory, ImageUploadFactory, StaffFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

LIBRARY = reverse("admin:blog_article_media")


def with_image(name, alt="A chart", **kwargs):
    stored = default_storage.save(f"articles/{name}", ImageUploadFactory(size=(900, 450)))
    return ArticleFactory(
        featured_image=stored,
        featured_image_alt=alt,
        featured_image_width=900,
        featured_image_height=450,
        **kwargs,
    )


def test_library_lists_each_image_once_with_where_it_is_used(client):
    first = with_image("wing.png", title="First")
    ArticleFactory(
        title="Second",
        featured_image=first.featured_image.name,
        featured_image_alt="Wing",
    )
    with_image("other.png", alt="Other picture", title="Third")
    client.force_login(StaffFactory(editor=True))

    response = client.get(LIBRARY)

    images = {row["featured_image"]: row for row in response.context["images"]}
    assert len(images) == 2
    wing = images[first.featured_image.name]
    assert wing["uses"] == 2
    assert sorted(title for _pk, title in wing["used_in"]) == ["First", "Second"]
    assert "Use in a new article" in response.content.decode()


def test_library_search_finds_by_alt_text_and_file_name(client):
    with_image("wing.png", alt="A prison wing")
    with_image("chart.png", alt="Caseloads chart")
    client.force_login(StaffFactory(editor=True))

    by_alt = client.get(LIBRARY, {"q": "prison"}).context["images"]
    by_name = client.get(LIBRARY, {"q": "chart"}).context["images"]

    assert [row["alt"] for row in by_alt] == ["A prison wing"]
    assert [row["alt"] for row in by_name] == ["Caseloads chart"]


def test_library_query_count_does_not_grow_with_images(client):
    client.force_login(StaffFactory(editor=True))
    with_image("one.png")
    client.get(LIBRARY)
    with CaptureQueriesContext(connection) as one:
        client.get(LIBRARY)
    for n in range(10):
        with_image(f"more{n}.png")
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIBRARY)

    assert response.status_code == 200
    assert len(response.context["images"]) == 11
    assert len(many) == len(one)


def test_an_author_sees_only_images_on_their_own_articles(client):
    me = StaffFactory(author=True)
    with_image("mine.png", author=me)
    with_image("theirs.png")
    client.force_login(me)

    images = client.get(LIBRARY).context["images"]

    assert [row["featured_image"] for row in images] == ["articles/mine.png"]


def test_reusing_a_library_image_shares_its_file_and_renditions(client):
    source = with_image("wing.png")
    article_image_renditions_make(article=source)
    me = StaffFactory(editor=True)
    client.force_login(me)

    response = client.post(
        reverse("admin:blog_article_add"),
        ArticleFormDataFactory(
            author=me.pk,
            slug="reuse",
            library_image=source.featured_image.name,
            featured_image_alt="The same wing",
        ),
    )

    assert response.status_code == 302
    article = Article.objects.get(slug="reuse")
    assert article.featured_image.name == source.featured_image.name
    assert (article.featured_image_width, article.featured_image_height) == (900, 450)
    source.refresh_from_db()
    assert article.featured_image_renditions == source.featured_image_renditions


def test_reusing_an_image_still_needs_alt_text(client):
    source = with_image("wing.png")
    me = StaffFactory(editor=True)
    client.force_login(me)

    response = client.post(
        reverse("admin:blog_article_add"),
        ArticleFormDataFactory(
            author=me.pk, slug="reuse", library_image=source.featured_image.name
        ),
    )

    assert response.status_code == 200
    assert "featured_image_alt" in response.context["adminform"].form.errors
