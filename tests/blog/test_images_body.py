"""Images in an article's body: uploaded through the editor's picker, served with srcset,
released (renditions deleted) when no article shows them any more."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage

from blog.images import image_upload
from blog.models import Article, Image, ImageUse
from blog.sanitise import sanitise_html
from tests.blog.factories import ArticleFormDataFactory, ImageUploadFactory, StaffFactory
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PICKER = reverse("admin:blog_image_picker")


def rendition_names(image: Image) -> list[str]:
    return [
        name
        for candidates in image.renditions["sources"].values()
        for name, _w, _h in candidates
        if name != image.file.name
    ]


def uploaded(user=None, size=(1000, 500), alt="A wing of the prison", **kwargs) -> Image:
    return image_upload(
        upload=ImageUploadFactory(size=size, **kwargs),
        alt=alt,
        caption="",
        user=user or StaffFactory(author=True),
    )


def figure(image: Image, alt: str = "A wing", caption: str = "") -> str:
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img src="{image.file.url}" alt="{alt}">{caption_html}</figure>'


# The sanitiser: exactly what a figure needs, nothing dangerous.


def test_the_sanitiser_keeps_a_figure_with_srcset_sizes_and_dimensions():
    html = (
        '<figure><img src="/media/a.jpg" alt="A" width="900" height="450" loading="lazy" '
        'srcset="/media/r/a-480w.jpg 480w, https://cdn.example/a.jpg 900w" '
        'sizes="(min-width: 60em) 48rem, 100vw"><figcaption>Cap</figcaption></figure>'
    )

    assert sanitise_html(html) == html


@pytest.mark.parametrize(
    ("hostile", "left"),
    [
        ('<img src="/a.jpg" onerror="alert(1)">', '<img src="/a.jpg">'),
        ('<img src="javascript:alert(1)" alt="x">', '<img alt="x">'),
        ('<img src="/a.jpg" srcset="javascript:alert(1) 1w">', '<img src="/a.jpg">'),
        ('<img src="/a.jpg" srcset="data:image/svg+xml,<svg> 1w">', '<img src="/a.jpg">'),
        ('<img src="/a.jpg" srcset="//evil.example/x.jpg 480w">', '<img src="/a.jpg">'),
        ('<img src="/a.jpg" srcset="/ok.jpg 480w, javascript:x 800w">', '<img src="/a.jpg">'),
        ('<img src="/a.jpg" sizes="expression(alert(1))">', '<img src="/a.jpg">'),
        ('<img src="/a.jpg" width="100%" height="1e9" loading="auto">', '<img src="/a.jpg">'),
        ('<img src="/a.jpg" style="position:fixed" class="x">', '<img src="/a.jpg">'),
        ('<figure onclick="x()" style="a"><figcaption class="c">C</figcaption></figure>',
         "<figure><figcaption>C</figcaption></figure>"),
        ('<picture><source srcset="/a.webp"><img src="/a.jpg"></picture>', '<img src="/a.jpg">'),
        ('<img src="/a.jpg"><script>alert(1)</script>', '<img src="/a.jpg">'),
    ],
)  # fmt: skip
def test_the_sanitiser_strips_hostile_image_attributes(hostile, left):
    assert sanitise_html(hostile) == left


# Upload through the body editor's picker.


def test_the_picker_uploads_an_image_with_alt_text_and_hands_it_to_the_editor(client):
    author = StaffFactory(author=True)
    client.force_login(author)

    response = client.post(
        f"{PICKER}?CKEditorFuncNum=-1",
        {"file": ImageUploadFactory(size=(1600, 900)), "alt": "Cells", "caption": "B wing"},
    )

    assert response.status_code == 200
    image = Image.objects.get()
    assert (image.alt, image.caption, image.uploaded_by, image.width) == (
        "Cells",
        "B wing",
        author,
        1600,
    )
    assert all(default_storage.exists(name) for name in rendition_names(image))
    assert len(rendition_names(image)) == 6  # 480, 800 and 1200 wide, in WebP and PNG
    page = response.content.decode()
    assert "data-chosen" in page
    assert f'data-url="{image.file.url}"' in page
    assert 'data-func-num="-1"' in page


def test_the_picker_refuses_an_image_without_alt_text_and_stores_nothing(client):
    client.force_login(StaffFactory(author=True))

    response = client.post(PICKER, {"file": ImageUploadFactory(), "alt": " "})

    assert "This field is required." in response.content.decode()
    assert not Image.objects.exists()
    assert not default_storage.exists("articles")


def test_the_picker_refuses_a_file_that_is_not_an_image_with_a_message(client):
    client.force_login(StaffFactory(author=True))
    fake = ContentFile(b"%PDF-1.7 not an image", name="report.png")

    response = client.post(PICKER, {"file": fake, "alt": "Report"})

    assert "not an image we accept" in response.content.decode()
    assert not Image.objects.exists()


def test_the_picker_strips_exif_from_an_uploaded_photo():
    exif = PILImage.Exif()
    exif[0x010F] = "Camera maker"  # Make
    image = uploaded(jpeg=True, save={"exif": exif.tobytes()})

    with default_storage.open(image.file.name) as handle, PILImage.open(handle) as stored:
        assert not stored.getexif()


def test_a_reader_cannot_open_the_picker(client):
    client.force_login(StaffFactory(moderator=True))

    assert client.get(PICKER).status_code == 403


# Saving an article: srcset, dimensions, uses.


def test_a_body_image_is_saved_with_srcset_width_height_and_lazy_loading():
    image = uploaded()
    article = ArticleFactory(body=figure(image, caption="B wing"))

    article.refresh_from_db()
    body = article.body
    assert 'width="1000" height="500"' in body
    assert 'loading="lazy"' in body
    assert 'sizes="(min-width: 60em) 48rem, 100vw"' in body
    for name, width, _h in image.renditions["sources"]["image/png"]:
        assert f"{default_storage.url(name)} {width}w" in body
    assert "<figcaption>B wing</figcaption>" in body
    assert list(ImageUse.objects.values_list("image", "article", "featured")) == [
        (image.pk, article.pk, False)
    ]


def test_the_public_article_page_serves_body_images_with_srcset(client):
    image = uploaded()
    article = ArticleFactory(published=True, body=figure(image, alt="Cells on B wing"))

    page = client.get(article.get_absolute_url()).content.decode()

    assert 'alt="Cells on B wing"' in page
    assert 'srcset="' in page
    assert 'width="1000" height="500"' in page


def test_an_image_placed_in_storage_by_an_import_gets_renditions_and_srcset():
    # What the WordPress importer does: image_clean, then a file in storage, no library row.
    name = default_storage.save("wordpress/2019/04/wing.png", ImageUploadFactory(size=(1200, 600)))
    article = ArticleFactory(body=f'<p><img src="{default_storage.url(name)}" alt="Wing"></p>')

    image = Image.objects.get(file=name)
    article.refresh_from_db()
    assert image.width == 1200
    assert 'srcset="' in article.body
    assert 'width="1200" height="600"' in article.body
    assert all(default_storage.exists(n) for n in rendition_names(image))


def test_images_on_other_sites_are_left_as_they_are():
    body = '<p><img src="https://example.org/a.jpg" alt="Elsewhere"></p>'
    article = ArticleFactory(body=body)

    article.refresh_from_db()
    assert article.body == body
    assert not Image.objects.exists()


def test_the_admin_form_refuses_a_body_image_without_alt_text(client):
    image = uploaded()
    editor = StaffFactory(editor=True)
    client.force_login(editor)

    response = client.post(
        reverse("admin:blog_article_add"),
        ArticleFormDataFactory(
            author=editor.pk, body=f'<figure><img src="{image.file.url}"></figure>'
        ),
    )

    assert response.status_code == 200
    assert "1 image in the body has no alt text" in response.content.decode()
    assert not Article.objects.exists()


# Cleaning up.


def test_removing_an_image_from_every_article_deletes_its_renditions_and_lists_it_unused(
    django_capture_on_commit_callbacks,
):
    image = uploaded()
    renditions = rendition_names(image)
    first = ArticleFactory(body=figure(image))
    second = ArticleFactory(body=figure(image))

    with django_capture_on_commit_callbacks(execute=True):
        first.body = "<p>No picture.</p>"
        first.save()
    assert all(default_storage.exists(name) for name in renditions)  # the second shows it

    with django_capture_on_commit_callbacks(execute=True):
        second.delete()

    image.refresh_from_db()
    assert not any(default_storage.exists(name) for name in renditions)
    assert default_storage.exists(image.file.name)  # the original waits in the library
    assert list(Image.objects.unused()) == [image]


def test_an_image_shown_again_gets_new_renditions(django_capture_on_commit_callbacks):
    image = uploaded()
    article = ArticleFactory(body=figure(image))
    with django_capture_on_commit_callbacks(execute=True):
        article.body = ""
        article.save()

    article.body = figure(image)
    article.save()

    image.refresh_from_db()
    assert rendition_names(image)
    assert all(default_storage.exists(name) for name in rendition_names(image))
    article.refresh_from_db()
    assert 'srcset="' in article.body


def test_renditions_of_a_replaced_featured_image_are_deleted(
    client, django_capture_on_commit_callbacks
):
    editor = StaffFactory(editor=True)
    client.force_login(editor)
    data = ArticleFormDataFactory(author=editor.pk, featured_image_alt="First")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:blog_article_add"),
            {**data, "featured_image": ImageUploadFactory(name="first.png")},
        )
    article = Article.objects.get()
    old = Image.objects.get(file=article.featured_image.name)
    old_renditions = rendition_names(old)
    assert old_renditions and all(default_storage.exists(n) for n in old_renditions)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:blog_article_change", args=[article.pk]),
            {**data, "featured_image_alt": "Second", "featured_image": ImageUploadFactory()},
        )

    assert response.status_code == 302
    article.refresh_from_db()
    new = Image.objects.get(file=article.featured_image.name)
    assert new != old
    assert not any(default_storage.exists(n) for n in old_renditions)
    assert all(default_storage.exists(n) for n in rendition_names(new))
    assert list(Image.objects.unused()) == [old]


def test_make_renditions_brings_body_images_saved_before_the_library_into_it():
    name = default_storage.save("wordpress/2018/01/yard.png", ImageUploadFactory(size=(900, 450)))
    article = ArticleFactory(body="<p>Text.</p>")
    body = f'<p><img src="{default_storage.url(name)}" alt="Yard"></p>'
    Article.objects.filter(pk=article.pk).update(body=body)  # as rows were before it
    out = io.StringIO()

    call_command("make_renditions", "--dry-run", stdout=out)
    assert not Image.objects.exists()
    call_command("make_renditions", stdout=out)
    call_command("make_renditions", stdout=out)

    assert "checked the body images of 1 article(s)" in out.getvalue()
    image = Image.objects.get()
    article.refresh_from_db()
    same_format = [name for name in rendition_names(image) if name.endswith(".png")]
    assert same_format and default_storage.url(same_format[0]) in article.body  # <img srcset>
    assert 'width="900" height="450"' in article.body
    assert ImageUse.objects.filter(article=article, image=image).exists()
