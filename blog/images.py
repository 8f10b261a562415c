"""Uploaded images: verified by Pillow, stripped of metadata, and resized into renditions.

`image_clean` runs in the form (a refused file never reaches storage); `renditions_make`
runs when an article's featured image changes and records what it made on the row, so
templates build `srcset` without looking at the file system.
"""

import io
import posixpath
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format name -> file extension of the renditions in that format.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
RENDITION_WIDTHS = (480, 800, 1200, 1600)
RENDITION_QUALITY = 82


def _limit(name: str, default: int) -> int:
    return getattr(settings, name, default)


def max_bytes() -> int:
    return _limit("IMAGE_MAX_BYTES", 10 * 1024 * 1024)


def max_pixels() -> int:
    return _limit("IMAGE_MAX_PIXELS", 40_000_000)


NOT_AN_IMAGE = gettext_lazy("This file is not an image we accept: upload a JPEG, PNG, WebP or GIF.")


@dataclass(frozen=True)
class CleanImage:
    file: ContentFile
    format: str
    width: int
    height: int


def image_clean(upload: File) -> CleanImage:
    """Verify an uploaded image and return a copy without EXIF or other metadata.

    Raises ValidationError with a message for the editor when the file is too big, not a
    JPEG/PNG/WebP/GIF (whatever its name says), damaged, or too many pixels to decode.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise ValidationError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1024 / 1024, 1), "limit": max_bytes() // 1024 // 1024},
            code="file_too_large",
        )
    upload.seek(0)
    data = upload.read()
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                fmt, (width, height) = probe.format, probe.size
                _check_pixels(width, height)
                if fmt not in ALLOWED_FORMATS:
                    raise ValidationError(NOT_AN_IMAGE, code="invalid_format")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # decodes every pixel: truncated files fail here
                cleaned = _without_metadata(image, fmt)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(
                _(
                    "This image would take too much memory to open; it looks like a "
                    "decompression bomb. Upload a smaller image."
                ),
                code="decompression_bomb",
            ) from exc
        except UnidentifiedImageError as exc:
            raise ValidationError(NOT_AN_IMAGE, code="invalid_format") from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(
                _(
                    "The image is damaged or incomplete (%(error)s). Export it again and "
                    "upload the new file."
                )
                % {"error": exc},
                code="damaged",
            ) from exc
    name = posixpath.basename(getattr(upload, "name", "") or "image")
    stem = posixpath.splitext(name)[0] or "image"
    return CleanImage(
        file=ContentFile(cleaned, name=f"{stem}.{ALLOWED_FORMATS[fmt]}"),
        format=fmt,
        width=width,
        height=height,
    )


def _check_pixels(width: int, height: int) -> None:
    if width * height > max_pixels():
        raise ValidationError(
            _(
                "The image is %(width)d × %(height)d pixels; the limit is %(limit)d megapixels. "
                "Upload a smaller image."
            )
            % {"width": width, "height": height, "limit": max_pixels() // 1_000_000},
            code="too_many_pixels",
        )


def _without_metadata(image: Image.Image, fmt: str) -> bytes:
    """Re-encode `image` keeping its pixels and colour profile, dropping EXIF, XMP, text."""
    out = io.BytesIO()
    icc = image.info.get("icc_profile")
    extra = {"icc_profile": icc} if icc and fmt != "GIF" else {}
    if fmt == "GIF":
        image.save(out, "GIF", save_all=getattr(image, "is_animated", False))
    elif fmt == "JPEG":
        upright = ImageOps.exif_transpose(image)  # the camera's rotation, before EXIF goes
        upright.save(out, "JPEG", quality=95, optimize=True, **extra)
    else:
        upright = ImageOps.exif_transpose(image)
        upright.save(out, fmt, **({"lossless": True} if fmt == "WEBP" else {}), **extra)
    return out.getvalue()


def renditions_make(*, name: str, storage=default_storage) -> dict:
    """Resize the stored image `name` to each width below its own, in WebP and its format.

    Returns what a template needs for `srcset`: {"width", "height", "sources": {mime: [
    [name, width, height], ...]}}, smallest first; the original is the largest source.
    """
    with storage.open(name) as handle, Image.open(handle) as image:
        fmt = image.format
        image.load()
        width, height = image.size
        base = image.convert("RGBA" if image.mode in {"RGBA", "LA", "P"} else "RGB")
    root, _ext = posixpath.splitext(name)
    directory, stem = posixpath.split(root)
    mime = Image.MIME[fmt]
    sources: dict[str, list] = {"image/webp": [], mime: []} if fmt != "WEBP" else {mime: []}
    for target in [w for w in RENDITION_WIDTHS if w < width]:
        target_height = max(1, round(height * target / width))
        resized = base.resize((target, target_height), Image.Resampling.LANCZOS)
        for rendition_mime, rendition_format in _formats(fmt):
            out = io.BytesIO()
            image_to_save = resized
            if rendition_format == "JPEG" and resized.mode != "RGB":
                image_to_save = resized.convert("RGB")
            image_to_save.save(out, rendition_format, quality=RENDITION_QUALITY)
            ext = ALLOWED_FORMATS[rendition_format]
            stored = storage.save(
                posixpath.join(directory, "renditions", f"{stem}-{target}w.{ext}"),
                ContentFile(out.getvalue()),
            )
            sources[rendition_mime].append([stored, target, target_height])
    sources[mime].append([name, width, height])  # the original: the widest candidate
    return {"width": width, "height": height, "sources": sources}


def _formats(fmt: str) -> list[tuple[str, str]]:
    own = (Image.MIME[fmt], fmt)
    return [own] if fmt == "WEBP" else [("image/webp", "WEBP"), own]
