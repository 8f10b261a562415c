from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join

register = template.Library()

CARD_SIZES = "(min-width: 60em) 20rem, 100vw"
ARTICLE_SIZES = "(min-width: 60em) 48rem, 100vw"


def _srcset(candidates: list) -> str:
    return ", ".join(f"{default_storage.url(name)} {width}w" for name, width, _h in candidates)


@register.simple_tag
def article_image(article, sizes: str = ARTICLE_SIZES, alt: str | None = None, lazy=False):
    """The featured image as <picture>: WebP and original-format renditions with srcset.

    Reads only the rendition list stored on the row (no file-system checks); an image
    without renditions falls back to a plain <img>.
    """
    image = article.featured_image
    if not image:
        return ""
    alt = article.featured_image_alt if alt is None else alt
    info = article.featured_image_renditions or {}
    width = info.get("width") or article.featured_image_width
    height = info.get("height") or article.featured_image_height
    loading = "lazy" if lazy else "eager"
    sources = {mime: list(c) for mime, c in info.get("sources", {}).items() if c}
    if not sources:
        return format_html(
            '<img src="{}" alt="{}" width="{}" height="{}" loading="{}" decoding="async">',
            image.url,
            alt,
            width,
            height,
            loading,
        )
    # The original format's list (it ends with the original file) goes on the <img>.
    original = next(
        (c for c in sources.values() if c[-1][0] == image.name), list(sources.values())[-1]
    )
    others = [(mime, c) for mime, c in sources.items() if c is not original]
    return format_html(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}" '
        'loading="{}" decoding="async"></picture>',
        format_html_join(
            "",
            '<source type="{}" srcset="{}" sizes="{}">',
            ((mime, _srcset(c), sizes) for mime, c in others),
        ),
        image.url,
        _srcset(original),
        sizes,
        alt,
        width,
        height,
        loading,
    )
