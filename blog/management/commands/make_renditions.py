from django.core.management.base import BaseCommand

from blog.images import article_images_sync
from blog.models import Article
from blog.services import article_image_renditions_make
from core.progress import ProgressReporter


class Command(BaseCommand):
    help = (
        "Make responsive renditions for featured images that have none (imported articles, or "
        "demo content loaded before load_demo made them), and bring the images in article "
        "bodies into the media library with renditions and srcset (bodies imported before "
        "the library existed). Safe to run again: what is done is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        """Make the missing renditions, one article at a time."""
        progress = ProgressReporter(self.stderr) if options["verbosity"] >= 1 else None
        articles = Article.objects.exclude(featured_image="").filter(featured_image_renditions={})
        total, count = articles.count(), 0
        for article in articles.iterator():
            if not dry_run:
                article_image_renditions_make(article=article)
            count += 1
            if progress:
                progress("featured", count, total)
        verb = "would make" if dry_run else "made"
        self.stdout.write(f"{verb} renditions for {count} article(s)")
        with_images = Article.objects.filter(body__contains="<img")
        total, bodies = with_images.count(), 0
        for article in with_images.iterator():
            if not dry_run:
                article_images_sync(article=article)
            bodies += 1
            if progress:
                progress("bodies", bodies, total)
        if progress:
            progress.finish()
        if bodies:
            verb = "would check" if dry_run else "checked"
            self.stdout.write(f"{verb} the body images of {bodies} article(s)")
