"""Demo illustrations drawn with Pillow, so the demo needs no downloads or bundled photos."""

import io
import random

from PIL import Image, ImageDraw, ImageFont

FEATURED_SIZE = (1600, 900)
AVATAR_SIZE = 400

# (top-left colour, bottom-right colour, bar colour) for each palette name.
PALETTES: dict[str, tuple[str, str, str]] = {
    "navy": ("#0b1f3a", "#24507a", "#8fb8de"),
    "green": ("#0f3324", "#2f6b4f", "#a8d5ba"),
    "teal": ("#08343a", "#1f7a7a", "#9fdcd6"),
    "plum": ("#2e1433", "#6b3a6e", "#e0b8e0"),
    "slate": ("#1c232b", "#4a5866", "#c4ccd4"),
    "rust": ("#3a130b", "#8a3b22", "#f0c0a8"),
}


def _gradient(size: tuple[int, int], start: str, end: str) -> Image.Image:
    """A diagonal blend from `start` (top left) to `end` (bottom right)."""
    vertical = Image.linear_gradient("L").resize(size)
    horizontal = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize(size)
    mask = Image.blend(vertical, horizontal, 0.5)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


def _fit_font(draw: ImageDraw.ImageDraw, text: str, max_width: int, size: int):
    """The largest default font, from `size` down, that fits `text` within `max_width`."""
    while size > 24:
        font = ImageFont.load_default(size=size)
        if draw.textlength(text, font=font) <= max_width:
            return font
        size -= 8
    return ImageFont.load_default(size=size)


def _jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def featured_image(*, label: str, palette: str = "navy", seed: str = "") -> bytes:
    """A 1600x900 JPEG: gradient, a row of translucent bars and `label` in large type."""
    start, end, bar_colour = PALETTES[palette]
    width, height = FEATURED_SIZE
    image = _gradient(FEATURED_SIZE, start, end).convert("RGBA")

    # Bars are decoration, not data: seeded so each article keeps the same picture.
    rng = random.Random(seed or label)
    bars = Image.new("RGBA", FEATURED_SIZE, (0, 0, 0, 0))
    bar_draw = ImageDraw.Draw(bars)
    count, gap, margin = 14, 18, 96
    bar_width = (width - 2 * margin - gap * (count - 1)) // count
    baseline = height - margin
    red, green, blue = Image.new("RGB", (1, 1), bar_colour).getpixel((0, 0))
    for index in range(count):
        left = margin + index * (bar_width + gap)
        top = baseline - rng.randint(height // 8, height // 2)
        alpha = rng.randint(70, 150)
        bar_draw.rectangle((left, top, left + bar_width, baseline), fill=(red, green, blue, alpha))
    image = Image.alpha_composite(image, bars)

    draw = ImageDraw.Draw(image)
    draw.line((margin, baseline + 12, width - margin, baseline + 12), fill=bar_colour, width=4)
    kicker = ImageFont.load_default(size=40)
    draw.text((margin, margin), "OVERSIGHT", font=kicker, fill=bar_colour)
    font = _fit_font(draw, label, width - 2 * margin, 150)
    draw.text((margin, margin + 70), label, font=font, fill="white")
    return _jpeg(image.convert("RGB"))


def avatar(*, initials: str, colour: str) -> bytes:
    """A square JPEG portrait placeholder: a coloured disc with the author's initials."""
    size = AVATAR_SIZE
    image = Image.new("RGB", (size, size), "#f2f0eb")
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 12, size - 12, size - 12), fill=colour)
    font = ImageFont.load_default(size=size // 3)
    draw.text((size / 2, size / 2), initials, font=font, fill="white", anchor="mm")
    return _jpeg(image)
