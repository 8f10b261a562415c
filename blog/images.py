"""Uploaded images: verified by Pillow, stripped of metadata, and resized into renditions.

`image_clean` runs in the form (a refused file never reaches storage); `renditions_make`
runs when an article's featured image changes and records what it made on the row, so
templates build `srcset` without looking at the file system.
"""

import html
import io
import logging
import posixpath
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    from blog.models import Image as LibraryImage

logger = logging.getLogger(__name__)

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


# The media library: every image an article shows, featured or in its body.

BODY_SIZES = "(min-width: 60em) 48rem, 100vw"
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r'([a-zA-Z][\w:-]*)(?:="([^"]*)")?')


def _img_attributes(tag: str) -> dict[str, str]:
    """The attributes of an <img> as the sanitiser writes it (double-quoted, escaped)."""
    return {
        name.lower(): html.unescape(value or "")
        for name, value in _ATTRIBUTE.findall(tag[len("<img") : -1])
    }


def _img_tag(attributes: dict[str, str]) -> str:
    inner = "".join(
        f' {name}="{html.escape(value, quote=True)}"' for name, value in attributes.items()
    )
    return f"<img{inner}>"


def stored_name(src: str) -> str | None:
    """The storage name behind an image address on this site, or None for any other."""
    prefix = settings.MEDIA_URL
    if not src or not prefix or not src.startswith(prefix):
        return None
    name = posixpath.normpath(unquote(src[len(prefix) :].split("?")[0].split("#")[0]))
    if name.startswith(("..", "/")) or "/renditions/" in f"/{name}":
        return None
    return name


def body_image_names(body: str) -> list[str]:
    """Storage names of this site's images shown in `body`, in order, each once."""
    names = []
    for tag in _IMG_TAG.findall(body or ""):
        name = stored_name(_img_attributes(tag).get("src", ""))
        if name and name not in names:
            names.append(name)
    return names


def body_missing_alt(body: str) -> int:
    """How many images in `body` have no alt text."""
    return sum(
        1 for tag in _IMG_TAG.findall(body or "") if not _img_attributes(tag).get("alt", "").strip()
    )


def own_format_candidates(renditions: dict, name: str) -> list:
    """The renditions in the image's own format (the list that ends with the original)."""
    sources = [list(c) for c in (renditions or {}).get("sources", {}).values() if c]
    return next((c for c in sources if c[-1][0] == name), [])


def srcset(candidates: list, storage=default_storage) -> str:
    return ", ".join(f"{storage.url(name)} {width}w" for name, width, _height in candidates)


def body_images_render(body: str, images: dict) -> str:
    """`body` with each library image's width, height, srcset, sizes and lazy loading.

    `images` maps storage names to Image rows; other images are left as they are.
    """

    def render(match: re.Match) -> str:
        attributes = _img_attributes(match.group(0))
        image = images.get(stored_name(attributes.get("src", "")))
        if image is None:
            return match.group(0)
        if not attributes.get("alt", "").strip() and image.alt:
            attributes["alt"] = image.alt
        if image.width and image.height:
            attributes["width"], attributes["height"] = str(image.width), str(image.height)
        candidates = own_format_candidates(image.renditions, image.file.name)
        if len(candidates) > 1:
            attributes["srcset"] = srcset(candidates, image.file.storage)
            attributes["sizes"] = BODY_SIZES
        else:
            attributes.pop("srcset", None)
            attributes.pop("sizes", None)
        attributes["loading"] = "lazy"
        return _img_tag(attributes)

    return _IMG_TAG.sub(render, body or "")


def _renditions_safely(name: str, storage) -> dict:
    try:
        return renditions_make(name=name, storage=storage)
    except OSError:
        logger.exception("Could not write the renditions of %s", name)
        return {}


def image_upload(*, upload: File, alt: str, caption: str = "", user) -> "LibraryImage":
    """Verify, strip and store an uploaded image, make its renditions, add it to the library.

    Raises ValidationError (for the form) when the file is refused or cannot be stored.
    """
    from blog.models import Image as LibraryImage

    clean = image_clean(upload)
    field = LibraryImage._meta.get_field("file")
    try:
        name = field.storage.save(field.generate_filename(None, clean.file.name), clean.file)
    except OSError as exc:
        logger.exception("Could not store an uploaded image")
        raise ValidationError(
            _(
                "The image could not be stored: the server may be out of disk space. "
                "Please try again later."
            ),
            code="storage",
        ) from exc
    image = LibraryImage.objects.create(
        file=name,
        width=clean.width,
        height=clean.height,
        alt=alt.strip(),
        caption=caption.strip(),
        uploaded_by=user if user is not None and user.pk else None,
        renditions=_renditions_safely(name, field.storage),
    )
    return image


def _image_from_storage(name: str, *, author) -> "LibraryImage | None":
    """Add a file already in storage (imported, or placed before the library) to the library."""
    from blog.models import IMAGE_EXTENSIONS
    from blog.models import Image as LibraryImage

    if posixpath.splitext(name)[1].lower().lstrip(".") not in IMAGE_EXTENSIONS:
        return None
    storage = LibraryImage._meta.get_field("file").storage
    try:
        with storage.open(name) as handle, Image.open(handle) as probe:
            width, height = probe.size
    except (OSError, UnidentifiedImageError, ValueError):
        return None  # gone from disk, or not an image: left as it is in the body
    return LibraryImage.objects.create(
        file=name,
        width=width,
        height=height,
        alt="",
        uploaded_by=author,
        renditions=_renditions_safely(name, storage),
    )


def article_images_sync(*, article) -> None:
    """Record which library images `article` shows and give its body images srcset.

    Runs after every save of an article (blog.signals). Images on this site that are not in
    the library yet (a featured image set by an import, a body image placed by the
    WordPress importer) join it; images the article no longer shows lose their renditions
    once no article shows them (after the commit).
    """
    from blog.models import Article, ImageUse
    from blog.models import Image as LibraryImage

    featured = article.featured_image.name or ""
    # The row's renditions, once blog.services has made them for this file (until then they
    # are still the previous image's).
    featured_renditions = article.featured_image_renditions or {}
    if not own_format_candidates(featured_renditions, featured):
        featured_renditions = {}
    in_body = body_image_names(article.body)
    wanted = {*in_body, *([featured] if featured else [])}
    images = (
        {image.file.name: image for image in LibraryImage.objects.filter(file__in=wanted)}
        if wanted
        else {}
    )
    for name in wanted - images.keys():
        if name == featured:
            images[name] = LibraryImage.objects.create(
                file=name,
                width=article.featured_image_width,
                height=article.featured_image_height,
                alt=article.featured_image_alt,
                caption=article.featured_image_caption,
                uploaded_by_id=article.author_id,
                renditions=featured_renditions,
            )
        elif image := _image_from_storage(name, author=article.author_id and article.author):
            images[name] = image
    if featured in images:
        image = images[featured]
        if featured_renditions and image.renditions != featured_renditions:
            image.renditions = featured_renditions
            image.save(update_fields=["renditions"])
    for name in in_body:
        image = images.get(name)
        if image is not None and not image.renditions:  # reused after its renditions went
            image.renditions = _renditions_safely(name, image.file.storage)
            if image.renditions:
                image.save(update_fields=["renditions"])

    body = body_images_render(article.body, images)
    if body != article.body:
        Article.objects.filter(pk=article.pk).update(body=body)
        article.body = body

    wanted_uses = {(images[name].pk, False) for name in in_body if name in images}
    if featured in images:
        wanted_uses.add((images[featured].pk, True))
    existing = set(ImageUse.objects.filter(article=article).values_list("image_id", "featured"))
    gone = existing - wanted_uses
    if gone:
        for image_id, is_featured in gone:
            ImageUse.objects.filter(
                article=article, image_id=image_id, featured=is_featured
            ).delete()
    ImageUse.objects.bulk_create(
        ImageUse(article=article, image_id=image_id, featured=is_featured)
        for image_id, is_featured in wanted_uses - existing
    )
    released = {image_id for image_id, _f in gone} - {image_id for image_id, _f in wanted_uses}
    if released:
        transaction.on_commit(lambda: images_release(ids=released))


def images_release(*, ids) -> int:
    """Delete the renditions of those images in `ids` that no article shows any more.

    The original stays in the library (listed as unused) until an editor deletes it;
    showing it again makes new renditions.
    """
    from blog.models import Image as LibraryImage

    count = 0
    for image in LibraryImage.objects.unused().filter(pk__in=ids).exclude(renditions={}):
        _delete_files(_rendition_names(image), image.file.storage)
        LibraryImage.objects.filter(pk=image.pk).update(renditions={})
        count += 1
    return count


def _rendition_names(image) -> list[str]:
    return [
        name
        for candidates in (image.renditions or {}).get("sources", {}).values()
        for name, _w, _h in candidates
        if name != image.file.name
    ]


def _delete_files(names, storage) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete %s", name)


@transaction.atomic
def image_delete(*, image) -> None:
    """Delete an image no article shows: its row, then (after the commit) its file and renditions.

    Raises ValidationError when an article still shows it.
    """
    from blog.models import Image as LibraryImage

    image = LibraryImage.objects.select_for_update().get(pk=image.pk)
    if image.uses.exists():
        raise ValidationError(
            _("This image is still shown in an article; remove it there first."), code="in_use"
        )
    names = [image.file.name, *_rendition_names(image)]
    storage = image.file.storage
    image.delete()
    transaction.on_commit(lambda: _delete_files(names, storage))


@transaction.atomic
def image_describe(*, image, alt: str, caption: str) -> "LibraryImage":
    """Change an image's alt text and caption, and the alt text articles show with it where
    it was the library's (an alt written for one article stays)."""

    old_alt = image.alt
    image.alt, image.caption = alt.strip(), caption.strip()
    image.save(update_fields=["alt", "caption"])
    if image.alt == old_alt:
        return image
    uses = image.uses.select_related("article")
    for use in uses:
        article = use.article
        changed = []
        if use.featured and article.featured_image_alt == old_alt:
            article.featured_image_alt = image.alt
            changed.append("featured_image_alt")
        if not use.featured:
            body = _with_alt(article.body, image.file.name, old_alt, image.alt)
            if body != article.body:
                article.body = body
                changed.append("body")
        if changed:
            article.save(update_fields=[*changed, "updated_at"])
    return image


def _with_alt(body: str, name: str, old: str, new: str) -> str:
    def render(match: re.Match) -> str:
        attributes = _img_attributes(match.group(0))
        if stored_name(attributes.get("src", "")) != name or attributes.get("alt", "") != old:
            return match.group(0)
        attributes["alt"] = new
        return _img_tag(attributes)

    return _IMG_TAG.sub(render, body or "")
