from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.progress import ProgressReporter
from inspections.imports import ImportFailed
from inspections.services import inspections_import


class Command(BaseCommand):
    help = (
        "Load inspections, organisations, ratings, findings, scores and recommendations from "
        "the open-data files of /inspections/data/ (CSV or JSON; any of them, in any order). "
        "All or nothing: a bad row is reported as file:line: column: problem and nothing is "
        "written. Rows are matched on their slugs and natural keys, so a second run changes "
        "nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; write nothing."
        )

    def handle(self, *args: Any, files: list[Path], dry_run: bool, **options: Any) -> None:
        progress = ProgressReporter(self.stderr) if options["verbosity"] >= 1 else None
        try:
            report = inspections_import(paths=files, dry_run=dry_run, progress=progress)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if progress:
                progress.finish()
        for line in report.lines():
            self.stdout.write(line)
