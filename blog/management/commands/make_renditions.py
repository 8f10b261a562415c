from django.core.management.base import BaseCommand

from blog.models import Article
from blog.services import article_image_renditions_make


class Command(BaseCommand):
    help = (
        "Make responsive renditions for featured images that have none (imported articles, or "
        "demo content loaded before load_demo made them). Safe to run again: articles with "
        "renditions are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        """Make the missing renditions, one article at a time."""
        articles = Article.objects.exclude(featured_image="").filter(featured_image_renditions={})
        count = 0
        for article in articles.iterator():
            if not dry_run:
                article_image_renditions_make(article=article)
            count += 1
        verb = "would make" if dry_run else "made"
        self.stdout.write(f"{verb} renditions for {count} article(s)")
