"""Uploads and their renditions go through Django's storage API only, so any STORAGES
"default" backend (object storage through django-storages, say) holds them: shown here with
Django's in-memory storage, which has no files on disk at all."""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from blog.images import renditions_make

IN_MEMORY = {
    "default": {
        "BACKEND": "django.core.files.storage.InMemoryStorage",
        "OPTIONS": {"base_url": "https://media.example.org/"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def png_bytes(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 140)).save(out, "PNG")
    return out.getvalue()


def test_renditions_are_made_and_addressed_in_a_storage_without_files(settings):
    settings.STORAGES = IN_MEMORY
    name = default_storage.save("articles/storage-check.png", ContentFile(png_bytes(1600, 900)))

    made = renditions_make(name=name)

    stored = [source[0] for sources in made["sources"].values() for source in sources]
    assert len(stored) > 2
    assert all(default_storage.exists(each) for each in stored)
    assert default_storage.url(name) == f"https://media.example.org/{name}"
