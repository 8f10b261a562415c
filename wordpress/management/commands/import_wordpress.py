import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.progress import ProgressReporter
from wordpress.services import ImportFailed, wordpress_import
from wordpress.wxr import WXRError


def read_author_map(path: Path) -> dict[str, str]:
    """`wordpress-login = username` (or a comma) per line; `#` starts a comment."""
    mapping = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read the author map {path}: {exc}") from exc
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [part.strip() for part in re.split(r"[=,]", line)]
        if len(parts) != 2 or not all(parts):
            raise CommandError(f"{path}:{number}: expected 'wordpress-login = username'")
        mapping[parts[0]] = parts[1]
    return mapping


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR 1.0–1.2): authors, categories, tags, "
        "posts, pages (as flat pages), comments, media (with --media-dir) and a redirect for "
        "every old address. One transaction; a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("export", type=Path, metavar="EXPORT.xml")
        parser.add_argument(
            "--media-dir",
            type=Path,
            help="A copy of wp-content/uploads: attachments are checked and stored here.",
        )
        parser.add_argument(
            "--author-map",
            type=Path,
            help="Lines of 'wordpress-login = username' giving posts to existing users.",
        )
        parser.add_argument(
            "--time-zone",
            help="The WordPress site's time zone, for dates it gives only locally "
            "(default: TIME_ZONE).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Do everything, then roll it back; report."
        )

    def handle(self, *args: Any, export: Path, dry_run: bool, **options: Any) -> None:
        verbosity = options["verbosity"]
        if options["media_dir"] and not options["media_dir"].is_dir():
            raise CommandError(f"--media-dir {options['media_dir']} is not a folder")
        if options["time_zone"]:
            try:
                ZoneInfo(options["time_zone"])
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise CommandError(f"unknown time zone {options['time_zone']!r}") from exc
        author_map = read_author_map(options["author_map"]) if options["author_map"] else {}
        progress = ProgressReporter(self.stderr) if verbosity >= 1 else None
        try:
            report = wordpress_import(
                path=export,
                media_dir=options["media_dir"],
                author_map=author_map,
                dry_run=dry_run,
                time_zone=options["time_zone"],
                progress=progress,
                verbose=verbosity >= 2,
            )
        except (WXRError, ImportFailed) as exc:
            raise CommandError(str(exc)) from exc
        except Exception as exc:  # a line, never a traceback
            raise CommandError(f"the import stopped: {exc!r}; nothing was imported") from exc
        finally:
            if progress:
                progress.finish()
        for line in report.lines(max_notes=None if verbosity >= 2 else 50):
            self.stdout.write(line)
