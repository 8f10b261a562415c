import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from blog.models import Article, Image
from blog.services import article_image_renditions_make
from tests.blog.factories import ArticleFormDataFactory, ImageUploadFactory, StaffFactory
from tests.blog.test_images_body import figure, rendition_names, uploaded
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


def test_library_lists_every_image_once_with_where_it_is_used(client):
    first = with_image("wing.png", title="First")
    ArticleFactory(
        title="Second",
        featured_image=first.featured_image.name,
        featured_image_alt="Wing",
    )
    body_image = uploaded(alt="Cells")
    ArticleFactory(title="Third", body=figure(body_image))
    uploaded(alt="Nowhere")
    client.force_login(StaffFactory(editor=True))

    response = client.get(LIBRARY)

    images = {image.file.name: image for image in response.context["images"]}
    assert len(images) == 3
    wing = images[first.featured_image.name]
    assert sorted(use.article.title for use in wing.uses.all()) == ["First", "Second"]
    assert [use.article.title for use in images[body_image.file.name].uses.all()] == ["Third"]
    page = response.content.decode()
    assert "Use in a new article" in page
    assert "/admin/blog/article/add/?library_image=" in page
    assert "Not used" in page


def test_library_search_finds_by_alt_text_and_file_name(client):
    with_image("wing.png", alt="A prison wing")
    with_image("chart.png", alt="Caseloads chart")
    client.force_login(StaffFactory(editor=True))

    by_alt = client.get(LIBRARY, {"q": "prison"}).context["images"]
    by_name = client.get(LIBRARY, {"q": "chart"}).context["images"]

    assert [image.alt for image in by_alt] == ["A prison wing"]
    assert [image.alt for image in by_name] == ["Caseloads chart"]


def test_library_filters_by_uploader_and_by_unused(client):
    alice, bob = StaffFactory(author=True), StaffFactory(author=True)
    shown = uploaded(user=alice, alt="Shown")
    ArticleFactory(body=figure(shown))
    uploaded(user=alice, alt="Spare")
    uploaded(user=bob, alt="Bob's")
    client.force_login(StaffFactory(editor=True))

    by_alice = client.get(LIBRARY, {"uploader": alice.pk}).context["images"]
    unused = client.get(LIBRARY, {"unused": "1"}).context["images"]

    assert sorted(image.alt for image in by_alice) == ["Shown", "Spare"]
    assert sorted(image.alt for image in unused) == ["Bob's", "Spare"]


def test_library_query_count_does_not_grow_with_images(client, django_assert_num_queries):
    client.force_login(StaffFactory(editor=True))
    ArticleFactory(body=figure(uploaded()))
    response = client.get(LIBRARY)
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as one:
        client.get(LIBRARY)
    for n in range(5):
        with_image(f"more{n}.png")
        ArticleFactory(body=figure(uploaded(size=(300, 200))))
    ArticleFactory(body=figure(Image.objects.last()))

    with django_assert_num_queries(len(one)):
        response = client.get(LIBRARY)

    assert response.status_code == 200
    assert len(response.context["images"]) == 11
    assert len(one) == 8  # session, user, 2 permission lookups, uploaders, count, page, uses


def test_an_author_sees_only_the_images_they_uploaded(client):
    me = StaffFactory(author=True)
    with_image("mine.png", author=me)
    uploaded(user=me, alt="My body image")
    with_image("theirs.png")
    uploaded(alt="Someone else's")
    client.force_login(me)

    images = client.get(LIBRARY).context["images"]

    assert "articles/mine.png" in {image.file.name for image in images}
    assert sorted(image.alt for image in images) == ["A chart", "My body image"]
    theirs = Image.objects.get(alt="Someone else's")
    assert client.get(reverse("admin:blog_image", args=[theirs.pk])).status_code == 404


def test_alt_text_edited_in_the_library_reaches_the_articles_that_used_it(client):
    image = uploaded(alt="Old words")
    featured = with_image("wing.png", alt="Wing")
    in_body = ArticleFactory(body=figure(image, alt="Old words"))
    own_words = ArticleFactory(body=figure(image, alt="Written for this article"))
    client.force_login(StaffFactory(editor=True))

    response = client.post(
        reverse("admin:blog_image", args=[image.pk]), {"alt": "New words", "caption": "C"}
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt, image.caption) == ("New words", "C")
    in_body.refresh_from_db()
    own_words.refresh_from_db()
    assert 'alt="New words"' in in_body.body
    assert 'alt="Written for this article"' in own_words.body
    wing = Image.objects.get(file=featured.featured_image.name)
    client.post(reverse("admin:blog_image", args=[wing.pk]), {"alt": "A wing", "caption": ""})
    featured.refresh_from_db()
    assert featured.featured_image_alt == "A wing"


def test_an_author_cannot_change_the_alt_text_of_someone_elses_image(client):
    me = StaffFactory(author=True)
    theirs = uploaded(alt="Theirs")
    ArticleFactory(author=me, body=figure(theirs))  # visible to me only if I uploaded it
    mine = uploaded(user=me, alt="Mine")
    client.force_login(me)

    response = client.post(
        reverse("admin:blog_image", args=[mine.pk]), {"alt": "Mine, better", "caption": ""}
    )

    assert response.status_code == 302
    assert (
        client.post(
            reverse("admin:blog_image", args=[theirs.pk]), {"alt": "X", "caption": ""}
        ).status_code
        == 404
    )


def test_an_editor_deletes_an_unused_image_with_its_file_and_renditions(
    client, django_capture_on_commit_callbacks
):
    image = uploaded()
    names = [image.file.name, *rendition_names(image)]
    client.force_login(StaffFactory(editor=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:blog_image", args=[image.pk]), {"delete": "1"})

    assert response.status_code == 302
    assert not Image.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_an_image_still_shown_cannot_be_deleted(client):
    image = uploaded()
    ArticleFactory(body=figure(image))
    client.force_login(StaffFactory(editor=True))

    response = client.post(
        reverse("admin:blog_image", args=[image.pk]), {"delete": "1"}, follow=True
    )

    assert "still shown in an article" in response.content.decode()
    assert default_storage.exists(image.file.name)
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_author_cannot_delete_images(client):
    me = StaffFactory(author=True)
    image = uploaded(user=me)
    client.force_login(me)

    response = client.post(reverse("admin:blog_image", args=[image.pk]), {"delete": "1"})

    assert response.status_code == 403
    assert Image.objects.filter(pk=image.pk).exists()


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


def test_reuse_offers_an_author_only_their_own_uploads_and_an_editor_every_image(client):
    me = StaffFactory(author=True)
    mine = uploaded(user=me, alt="Mine")
    theirs = uploaded(alt="Theirs")
    in_body = uploaded(alt="In a body")
    ArticleFactory(body=figure(in_body))

    client.force_login(me)
    offered = dict(
        client.get(reverse("admin:blog_article_add"))
        .context["adminform"]
        .form.fields["library_image"]
        .choices
    )
    client.force_login(StaffFactory(editor=True))
    offered_to_editor = dict(
        client.get(reverse("admin:blog_article_add"))
        .context["adminform"]
        .form.fields["library_image"]
        .choices
    )

    assert mine.file.name in offered
    assert theirs.file.name not in offered
    assert {mine.file.name, theirs.file.name, in_body.file.name} <= offered_to_editor.keys()
