"""An article's featured image is measured once, when saved, never on every page load."""

import io
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image

from blog.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 60, 90)).save(out, "JPEG")
    return out.getvalue()


def test_an_image_saved_from_unnamed_content_has_its_size_stored(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    article = ArticleFactory(published=True)
    article.featured_image.save("yard.jpg", ContentFile(jpeg(1200, 600)), save=False)
    article.featured_image_alt = "A yard"
    article.save()

    stored = Article.objects.values("featured_image_width", "featured_image_height").get(
        pk=article.pk
    )
    assert stored == {"featured_image_width": 1200, "featured_image_height": 600}
    with mock.patch.object(ImageFile, "_get_image_dimensions") as measure:
        Article.objects.get(pk=article.pk)
    measure.assert_not_called()
