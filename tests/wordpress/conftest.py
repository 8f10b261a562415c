import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

FILES = Path(__file__).parent / "files"


def jpeg_with_exif(size=(1300, 800)) -> bytes:
    image = Image.new("RGB", size, (10, 90, 200))
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif[0x0132] = "2016:12:14 09:00:00"  # DateTime
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


@pytest.fixture
def media_dir(tmp_path):
    """A copy of wp-content/uploads holding the export's prison.jpg (with EXIF)."""
    folder = tmp_path / "uploads"
    (folder / "2016" / "12").mkdir(parents=True)
    (folder / "2016" / "12" / "prison.jpg").write_bytes(jpeg_with_exif())
    return folder


@pytest.fixture
def run_import():
    """Run `import_wordpress` on a file (a name in files/ or a path); returns its output."""

    def run(export="site.xml", *args: str, fails: bool = False) -> str:
        path = export if isinstance(export, Path) else FILES / export
        out, err = io.StringIO(), io.StringIO()
        if fails:
            with pytest.raises(CommandError) as caught:
                call_command("import_wordpress", str(path), *args, stdout=out, stderr=err)
            return str(caught.value)
        call_command("import_wordpress", str(path), *args, stdout=out, stderr=err)
        return out.getvalue()

    return run


@pytest.fixture
def export_file(tmp_path):
    """Write a variant of an export (text) to a file; returns its path."""

    def write(text: str, name: str = "export.xml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def site_xml() -> str:
    return (FILES / "site.xml").read_text(encoding="utf-8")
