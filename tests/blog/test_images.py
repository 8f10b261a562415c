import functools
import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from PIL import Image

from blog.images import image_clean, renditions_make
from blog.models import Article
from tests.blog.factories import (
    ArticleFormDataFactory,
    ImageUploadFactory,
    StaffFactory,
    UploadFactory,
    image_bytes,
)
from tests.factories import ArticleFactory


@functools.cache
def png_bomb(width=20_000, height=20_000) -> bytes:
    """A valid PNG of 400 megapixels that compresses to a few hundred kilobytes."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x00" * (width // 8)
    pixels = zlib.compress(row * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def refused(file) -> str:
    with pytest.raises(ValidationError) as caught:
        image_clean(file)
    return " ".join(caught.value.messages)


def test_a_truncated_jpeg_is_refused():
    data = image_bytes("JPEG", (800, 600))
    assert "damaged or incomplete" in refused(
        UploadFactory(name="cut.jpg", content=data[: len(data) // 2])
    )


def test_a_pdf_renamed_to_jpg_is_refused():
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
    assert "not an image we accept" in refused(
        UploadFactory(name="report.jpg", content=pdf, content_type="image/jpeg")
    )


def test_a_png_decompression_bomb_is_refused_before_decoding():
    message = refused(UploadFactory(name="bomb.png", content=png_bomb(), content_type="image/png"))
    assert "20000 × 20000 pixels" in message or "decompression bomb" in message


def test_an_svg_with_a_script_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "not an image we accept" in refused(
        UploadFactory(name="logo.svg", content=svg, content_type="image/svg+xml")
    )


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1000
    assert "the limit is" in refused(ImageUploadFactory())


def test_exif_is_stripped_and_the_picture_turned_upright():
    exif = Image.Exif()
    exif[0x010F] = "Spy Camera Co"  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise
    cleaned = image_clean(
        ImageUploadFactory(jpeg=True, size=(400, 200), save={"exif": exif.tobytes()})
    )

    with Image.open(cleaned.file) as image:
        assert not image.getexif()
        assert image.size == (200, 400)
    assert cleaned.format == "JPEG"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_the_four_formats_are_accepted(fmt):
    cleaned = image_clean(
        UploadFactory(name=f"x.{fmt.lower()}", content=image_bytes(fmt, (64, 32)))
    )
    assert (cleaned.format, cleaned.width, cleaned.height) == (fmt, 64, 32)


@pytest.mark.django_db
def test_renditions_are_made_at_each_smaller_width_in_webp_and_the_original_format():
    from django.core.files.storage import default_storage

    name = default_storage.save(
        "articles/photo.jpg", ImageUploadFactory(jpeg=True, size=(1300, 650))
    )

    info = renditions_make(name=name)

    assert (info["width"], info["height"]) == (1300, 650)
    assert [w for _n, w, _h in info["sources"]["image/webp"]] == [480, 800, 1200]
    assert [w for _n, w, _h in info["sources"]["image/jpeg"]] == [480, 800, 1200, 1300]
    for rendition, width, height in info["sources"]["image/webp"]:
        with default_storage.open(rendition) as handle, Image.open(handle) as image:
            assert image.format == "WEBP" and image.size == (width, height)


def add_article_with_image(client, size: tuple[int, int]):
    """An editor adds an article with a featured image of `size` in the admin."""
    me = StaffFactory(editor=True)
    client.force_login(me)
    return client.post(
        reverse("admin:blog_article_add"),
        {
            **ArticleFormDataFactory(author=me.pk),
            "featured_image": ImageUploadFactory(size=size),
            "featured_image_alt": "A bar chart of caseloads",
        },
    )


@pytest.mark.django_db
def test_uploading_in_the_admin_cleans_the_image_and_stores_renditions(client):
    response = add_article_with_image(client, (1700, 900))

    assert response.status_code == 302
    article = Article.objects.get()
    sources = article.featured_image_renditions["sources"]
    assert [w for _n, w, _h in sources["image/webp"]] == [480, 800, 1200, 1600]
    assert sources["image/png"][-1] == [article.featured_image.name, 1700, 900]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomb.png", png_bomb(), "pixels"),
        ("report.jpg", b"%PDF-1.7\n%%EOF\n", "not an image we accept"),
        ("logo.svg", b"<svg><script>alert(1)</script></svg>", "not an image we accept"),
    ],
)
def test_the_admin_form_shows_why_an_upload_was_refused(client, name, content, message):
    me = StaffFactory(editor=True)
    client.force_login(me)

    response = client.post(
        reverse("admin:blog_article_add"),
        {
            **ArticleFormDataFactory(author=me.pk),
            "featured_image": UploadFactory(name=name, content=content),
            "featured_image_alt": "Alt",
        },
    )

    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["featured_image"])
    assert message in errors or "decompression bomb" in errors
    assert not Article.objects.exists()


def render(article, **kwargs) -> str:
    return Template("{% load blog_tags %}{% article_image article %}").render(
        Context({"article": article, **kwargs})
    )


@pytest.mark.django_db
def test_the_template_tag_serves_srcset_sizes_width_and_height_from_the_row(
    django_assert_num_queries,
):
    article = ArticleFactory.build(
        featured_image="articles/2026/01/photo.jpg",
        featured_image_alt="Prison wing",
        featured_image_width=1300,
        featured_image_height=650,
        featured_image_renditions={
            "width": 1300,
            "height": 650,
            "sources": {
                "image/webp": [["articles/2026/01/renditions/photo-480w.webp", 480, 240]],
                "image/jpeg": [
                    ["articles/2026/01/renditions/photo-480w.jpg", 480, 240],
                    ["articles/2026/01/photo.jpg", 1300, 650],
                ],
            },
        },
    )

    with django_assert_num_queries(0):
        html = render(article)

    assert (
        '<source type="image/webp" srcset="/media/articles/2026/01/renditions/photo-480w.webp 480w"'
        in html
    )
    assert (
        'srcset="/media/articles/2026/01/renditions/photo-480w.jpg 480w, '
        '/media/articles/2026/01/photo.jpg 1300w"' in html
    )
    assert 'alt="Prison wing" width="1300" height="650"' in html
    assert "sizes=" in html


@pytest.mark.django_db
def test_an_image_without_renditions_falls_back_to_a_plain_img():
    article = ArticleFactory.build(
        featured_image="articles/a.png",
        featured_image_alt="A",
        featured_image_width=10,
        featured_image_height=5,
    )

    assert render(article).startswith('<img src="/media/articles/a.png" alt="A" width="10"')


@pytest.mark.django_db
def test_make_renditions_command_fills_in_missing_renditions_once():
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    name = default_storage.save("articles/old.png", ImageUploadFactory(size=(1000, 500)))
    article = ArticleFactory(featured_image=name, featured_image_alt="Old")
    out = io.StringIO()

    call_command("make_renditions", "--dry-run", stdout=out)
    article.refresh_from_db()
    assert article.featured_image_renditions == {}

    call_command("make_renditions", stdout=out)
    call_command("make_renditions", stdout=out)

    article.refresh_from_db()
    assert [w for _n, w, _h in article.featured_image_renditions["sources"]["image/webp"]] == [
        480,
        800,
    ]
    assert out.getvalue().splitlines() == [
        "would make renditions for 1 article(s)",
        "made renditions for 1 article(s)",
        "made renditions for 0 article(s)",
    ]


@pytest.mark.django_db
def test_a_full_disk_on_upload_is_a_form_error_and_nothing_is_saved(client, monkeypatch):
    import errno

    from django.core.files.storage import FileSystemStorage

    def disk_full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    response = add_article_with_image(client, (900, 500))
    assert response.status_code == 200
    assert "out of disk space" in response.content.decode()
    assert "Caseloads were too high" in response.content.decode()  # the text is not lost
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_renditions_that_cannot_be_written_leave_the_article_saved_with_its_original(
    client, monkeypatch
):
    import blog.services

    def failing(**kwargs):
        raise OSError("disk failing")

    monkeypatch.setattr(blog.services, "renditions_make", failing)
    response = add_article_with_image(client, (900, 500))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.featured_image and article.featured_image_renditions == {}
    assert article.featured_image_width == 900
