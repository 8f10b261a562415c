from django.core.management.base import BaseCommand

from core.progress import ProgressReporter
from search.services import search_index_rebuild


class Command(BaseCommand):
    help = (
        "Write the search index afresh from every public object of every searchable kind, "
        "with the vocabulary for suggestions. Run after bulk changes made without signals "
        "(imports with bulk_create or update()). Safe to run again; readers see the old index "
        "until the new one is committed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Build it, report, then roll it back."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        """Rebuild the index in one transaction and report what it holds."""
        progress = ProgressReporter(self.stderr) if options["verbosity"] >= 1 else None
        try:
            report = search_index_rebuild(dry_run=dry_run, progress=progress)
        finally:
            if progress:
                progress.finish()
        verb = "would index" if dry_run else "indexed"
        kinds = ", ".join(f"{count} {kind}" for kind, count in report.documents.items())
        self.stdout.write(f"{verb} {kinds} and {report.words} words in {report.seconds:.1f} s")
