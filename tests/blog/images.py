"""Uploaded image files for the image tests, made with Pillow in memory."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt: str = "PNG", size=(1600, 900), **save) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if fmt in {"PNG", "WEBP"} else "RGB"
    Image.new(mode, size, (200, 80, 40, 255) if mode == "RGBA" else (200, 80, 40)).save(
        buffer, fmt, **save
    )
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def png_upload(name="chart.png", size=(1600, 900)):
    return upload(name, image_bytes("PNG", size), "image/png")


def jpeg_upload(name="photo.jpg", size=(1600, 900), **save):
    return upload(name, image_bytes("JPEG", size, **save), "image/jpeg")
