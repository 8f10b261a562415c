from django.core.management.base import BaseCommand

from blog.demo.loader import demo_load


class Command(BaseCommand):
    help = (
        "Load the demo articles, authors, resource pack, about/privacy pages and a demo editor "
        "login. Safe to run again: existing content is left as it is."
    )

    def handle(self, *args, **options) -> None:
        """Load the demo content and report what was created."""
        result = demo_load()
        if options["verbosity"] == 0:
            return
        for line in result.report():
            self.stdout.write(line)
