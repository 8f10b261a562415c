from typing import Any

from django.core.management.base import BaseCommand, CommandError

from demo.services import demo_load
from inspections.imports import ImportFailed


class Command(BaseCommand):
    help = (
        "Load the demo articles, authors, resource pack, inspection records (through the "
        "open-data import), readers' comments, about/privacy pages and a demo editor login. "
        "Safe to run again: existing content is left as it is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        """Load the demo content and report what was created."""
        try:
            result = demo_load()
        except ImportFailed as exc:
            raise CommandError(f"The demo's inspection files were refused: {exc}") from exc
        if options["verbosity"] == 0:
            return
        for line in result.report():
            self.stdout.write(line)
