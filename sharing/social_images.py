"""Link-preview images (1200×630) for pages without a picture of their own, drawn with Pillow.

Files are named after a hash of their text, so a new title gives a new file (and a new URL
for the crawlers that cache the old one); an unchanged title is drawn once.
"""

import hashlib
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
BACKGROUND = (18, 53, 91)
ACCENT = (242, 177, 52)
INK = (255, 255, 255)
MUTED = (200, 214, 229)


def preview_version(title: str, site_name: str) -> str:
    return hashlib.sha256(f"{site_name}\n{title}".encode()).hexdigest()[:12]


def preview_image_name(kind: str, slug: str, title: str, site_name: str) -> str:
    return f"social/{kind}/{slug}-{preview_version(title, site_name)}.png"


def preview_image(*, kind: str, slug: str, title: str, site_name: str, label: str = "") -> str:
    """The storage name of the preview image for this text, drawing it if it is not there."""
    name = preview_image_name(kind, slug, title, site_name)
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(draw_preview(title, site_name, label)))
    return name


FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
)
TEXT_LEFT, TEXT_RIGHT, TITLE_TOP, TITLE_BOTTOM = 90, 1110, 210, 590


def load_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_CANDIDATES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def drawable(text: str) -> str:
    """Drop characters the fonts cannot draw (emoji and other astral-plane symbols)."""
    return " ".join("".join(ch for ch in text if ord(ch) <= 0xFFFF).split())


def draw_preview(title: str, site_name: str, label: str = "") -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, HEIGHT), fill=ACCENT)
    draw.ellipse((1040, 60, 1140, 160), outline=ACCENT, width=10)
    draw.ellipse((1075, 95, 1105, 125), fill=ACCENT)

    draw.text((TEXT_LEFT, 70), drawable(site_name), font=load_font(40), fill=INK)
    if label:
        draw.text((TEXT_LEFT, 128), drawable(label).upper(), font=load_font(26), fill=ACCENT)

    font, lines, line_height = fit_title(drawable(title))
    y = TITLE_TOP
    for line in lines:
        draw.text((TEXT_LEFT, y), line, font=font, fill=INK)
        y += line_height

    output = BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()


def wrap(text: str, font, max_width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and font.getlength(candidate) <= max_width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def fit_title(title: str):
    """The largest font (with its wrapped lines) that fits the title in the title box."""
    max_width, max_height = TEXT_RIGHT - TEXT_LEFT, TITLE_BOTTOM - TITLE_TOP
    for size in (76, 68, 60, 54, 48, 42):
        font = load_font(size)
        line_height = int(size * 1.22)
        lines = wrap(title, font, max_width)
        if len(lines) * line_height <= max_height:
            return font, lines, line_height
    max_lines = max_height // line_height
    lines = lines[:max_lines]
    lines[-1] = lines[-1].rstrip(".,;: ") + "…"
    return font, lines, line_height
