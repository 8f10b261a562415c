"""Attachments from a copy of wp-content/uploads, through the same checks as uploads.

Images go through blog.images.image_clean (type allowlist, size and pixel limits,
decompression bombs refused, EXIF stripped); documents of a few plain kinds are copied as
they are; anything else stays behind and its old address is reported.
"""

import posixpath
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from blog.images import image_clean
from blog.models import IMAGE_EXTENSIONS

DOCUMENT_EXTENSIONS = {"pdf", "csv", "txt", "odt", "ods", "docx", "xlsx", "pptx"}
DOCUMENT_MAX_BYTES = 50 * 1024 * 1024
STORAGE_FOLDER = "wordpress"


@dataclass(frozen=True)
class StoredFile:
    name: str  # in default storage
    width: int | None = None
    height: int | None = None

    @property
    def url(self) -> str:
        return default_storage.url(self.name)


class MediaError(Exception):
    """This attachment is not brought over; the message says why."""


def source_file(media_dir: Path, relative: str) -> Path:
    """The file `relative` (as WordPress names it below uploads/) inside `media_dir`."""
    root = media_dir.resolve()
    candidate = (root / relative).resolve()
    if root not in candidate.parents:
        raise MediaError(f"{relative!r} points outside --media-dir; refused")
    if not candidate.is_file():
        raise MediaError(f"{relative} is not in --media-dir")
    return candidate


def media_store(*, media_dir: Path, relative: str, dry_run: bool) -> StoredFile:
    """Check the upload `relative` and store it (unless `dry_run`); MediaError if refused."""
    path = source_file(media_dir, relative)
    directory = posixpath.dirname(relative.strip("/"))
    extension = path.suffix.lower().lstrip(".")
    target = posixpath.join(STORAGE_FOLDER, directory)
    if extension in IMAGE_EXTENSIONS:
        with path.open("rb") as handle:
            try:
                clean = image_clean(File(handle, name=path.name))
            except ValidationError as exc:
                raise MediaError(f"{relative}: {' '.join(exc.messages)}") from exc
        name = posixpath.join(target, clean.file.name)
        if not dry_run:
            name = default_storage.save(name, clean.file)
        return StoredFile(name, clean.width, clean.height)
    if extension in DOCUMENT_EXTENSIONS:
        if path.stat().st_size > DOCUMENT_MAX_BYTES:
            raise MediaError(f"{relative}: larger than {DOCUMENT_MAX_BYTES // 1024 // 1024} MB")
        name = posixpath.join(target, path.name)
        if not dry_run:
            name = default_storage.save(name, ContentFile(path.read_bytes()))
        return StoredFile(name)
    raise MediaError(f"{relative}: .{extension} files are not brought over")


def media_exists(name: str) -> bool:
    return bool(name) and default_storage.exists(name)


def media_delete(names: list[str]) -> None:
    """Remove files stored by a run that was then rolled back."""
    for name in names:
        default_storage.delete(name)
