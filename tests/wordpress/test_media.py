import re

import pytest
from PIL import Image

from blog.models import Article
from blog.models import Image as LibraryImage

pytestmark = pytest.mark.django_db


def test_featured_image_goes_through_the_image_pipeline(run_import, media_dir, settings):
    run_import("site.xml", "--media-dir", str(media_dir))

    article = Article.objects.get(slug="caseloads-under-strain")
    assert article.featured_image.name == "wordpress/2016/12/prison.jpg"
    assert article.featured_image_alt == "A landing in a Victorian prison"
    assert (article.featured_image_width, article.featured_image_height) == (1300, 800)
    stored = settings.MEDIA_ROOT / article.featured_image.name
    with Image.open(stored) as image:
        assert not image.getexif()  # EXIF stripped
    widths = [w for _name, w, _h in article.featured_image_renditions["sources"]["image/webp"]]
    assert widths == [480, 800, 1200]


def test_body_images_and_upload_links_are_rewritten_to_the_stored_file(run_import, media_dir):
    run_import("site.xml", "--media-dir", str(media_dir))

    body = Article.objects.get(slug="summer-inspections").body
    assert 'src="/media/wordpress/2016/12/prison.jpg"' in body  # from prison-300x200.jpg
    assert "https://old.example/wp-content/uploads/2017/07/chart.png" in body  # not in the copy


def test_a_missing_file_is_reported_and_its_old_address_stays(run_import, media_dir):
    output = run_import("site.xml", "--media-dir", str(media_dir))

    assert "attachment 21: 2017/07/chart.png is not in --media-dir; the old address stays" in output


def test_without_media_dir_references_stay_and_the_summary_lists_them(run_import):
    output = run_import()

    assert "attachments: 2 skipped (2 not brought over (no --media-dir))" in output
    assert (
        "missing media (still at its old address): https://old.example/wp-content/uploads/2016/12/prison.jpg"
        in output
    )
    assert not Article.objects.get(slug="caseloads-under-strain").featured_image


def test_a_damaged_image_is_refused_with_a_line(run_import, media_dir):
    (media_dir / "2016" / "12" / "prison.jpg").write_bytes(b"\xff\xd8\xff not really a jpeg")

    output = run_import("site.xml", "--media-dir", str(media_dir))

    assert "attachment 20: 2016/12/prison.jpg:" in output
    assert not Article.objects.get(slug="caseloads-under-strain").featured_image


def test_an_attachment_path_outside_the_media_dir_is_refused(run_import, export_file, media_dir):
    from tests.wordpress.conftest import site_xml

    text = site_xml().replace(
        "<![CDATA[2016/12/prison.jpg]]>", "<![CDATA[../../../etc/passwd.jpg]]>"
    )
    output = run_import(export_file(text), "--media-dir", str(media_dir))

    assert "points outside --media-dir; refused" in output


def test_a_second_run_with_media_stores_nothing_again(run_import, media_dir, settings):
    run_import("site.xml", "--media-dir", str(media_dir))
    output = run_import("site.xml", "--media-dir", str(media_dir))

    assert "attachments: 1 unchanged" in output
    stored = (settings.MEDIA_ROOT / "wordpress" / "2016" / "12").iterdir()
    assert [p.name for p in stored if p.is_file()] == ["prison.jpg"]


def test_body_images_get_renditions_and_srcset_like_the_editors_uploads(
    run_import, media_dir, client
):
    (media_dir / "2017" / "07").mkdir(parents=True)
    Image.new("RGB", (1000, 600), (200, 30, 30)).save(media_dir / "2017" / "07" / "chart.png")

    run_import("site.xml", "--media-dir", str(media_dir))

    article = Article.objects.get(slug="summer-inspections")
    html = client.get(article.get_absolute_url()).content.decode()
    chart = re.search(r'<img[^>]*src="/media/wordpress/2017/07/chart\.png"[^>]*>', html)
    assert chart is not None  # from the [gallery], pointing at the stored file
    assert 'width="1000"' in chart.group(0) and 'height="600"' in chart.group(0)
    assert re.search(r'srcset="[^"]*/renditions/chart-480w[^"]* 480w', chart.group(0))
    landing = re.search(r'<img[^>]*src="/media/wordpress/2016/12/prison\.jpg"[^>]*>', html)
    assert landing is not None and "srcset=" in landing.group(0)  # the [caption]'s image
    library = LibraryImage.objects.filter(file__startswith="wordpress/")
    assert set(library.values_list("file", flat=True)) == {
        "wordpress/2016/12/prison.jpg",
        "wordpress/2017/07/chart.png",
    }
