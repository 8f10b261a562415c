from django.core.management.base import BaseCommand

from privacy.services import data_purge


class Command(BaseCommand):
    help = (
        "Blank the IP-address hashes and user agents older than PRIVACY_RETENTION_DAYS and "
        "delete data requests whose link has expired. Safe to run twice; run it daily "
        "(deploy/systemd/oversight-purge.timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        before, done = data_purge(dry_run=dry_run)
        verb = "Would purge" if dry_run else "Purged"
        counts = ", ".join(f"{key}: {count}" for key, count in sorted(done.items()))
        self.stdout.write(
            f"{verb} data stored before {before.isoformat(timespec='seconds')}: {counts}"
        )
