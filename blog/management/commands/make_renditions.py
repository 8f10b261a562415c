from django.core.management.base import BaseCommand

from blog.images import article_images_sync
from blog.models import Article
from blog.services import article_image_renditions_make


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
        articles = Article.objects.exclude(featured_image="").filter(featured_image_renditions={})
        count = 0
        for article in articles.iterator():
            if not dry_run:
                article_image_renditions_make(article=article)
            count += 1
        verb = "would make" if dry_run else "made"
        self.stdout.write(f"{verb} renditions for {count} article(s)")
        bodies = 0
        for article in Article.objects.filter(body__contains="<img").iterator():
            if not dry_run:
                article_images_sync(article=article)
            bodies += 1
        if bodies:
            verb = "would check" if dry_run else "checked"
            self.stdout.write(f"{verb} the body images of {bodies} article(s)")
