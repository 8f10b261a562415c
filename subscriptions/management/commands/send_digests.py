from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from subscriptions.models import Digest
from subscriptions.services import newsletters_prepare


class Command(BaseCommand):
    help = (
        "Announce newly public articles and inspections to 'each' subscribers, record the "
        "daily or weekly digest of what became news since the previous one and queue one "
        "email per due subscriber (task workers send them: `manage.py db_worker`). "
        "Safe to rerun."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--period",
            choices=Digest.Period.values,
            default=Digest.Period.DAILY,
            help="Which digest to prepare (default: daily).",
        )
        parser.add_argument(
            "--announce-only",
            action="store_true",
            help="Only announce new (and newly due scheduled) articles and inspections; no "
            "digest. Run it every few minutes so 'each' subscribers hear promptly.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be queued; write nothing."
        )

    def handle(self, *, period: str, announce_only: bool, dry_run: bool, **options) -> None:
        prepared = newsletters_prepare(period=None if announce_only else period, dry_run=dry_run)
        would = "would be " if dry_run else ""
        for item in prepared.announced:
            kind = "Article" if item.article else "Inspection"
            self.stdout.write(
                f"{kind} “{item.item.title}”: {item.recipients} 'each' email(s) {would}queued."
            )
        plan = prepared.digest
        if prepared.conflict:
            self.stdout.write(
                self.style.WARNING(f"Another run prepared the {period} digest just now.")
            )
        elif plan is not None:
            since = timezone.localtime(plan.since).strftime("%Y-%m-%d %H:%M")
            if not plan.items:
                self.stdout.write(
                    f"No new articles or inspections since {since}: no {period} digest."
                )
            else:
                label = f"#{plan.digest.sequence} " if plan.digest else ""
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{period.capitalize()} digest {label}({len(plan.articles)} article(s), "
                        f"{len(plan.inspections)} inspection(s) since {since}): "
                        f"{plan.recipients} email(s) {would}queued."
                    )
                )
        if prepared.sweep_tasks:
            self.stdout.write(
                f"Deliveries waiting longer than expected: {prepared.sweep_tasks} send task(s) "
                "queued. Is a worker (`manage.py db_worker`) running?"
            )
