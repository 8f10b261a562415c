"""A whole run: the first pass, then every step in one transaction."""

from pathlib import Path
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.utils import timezone

from blog.models import Article
from core.content import registry
from wordpress import wxr
from wordpress.content import Converter
from wordpress.media import media_delete
from wordpress.models import ImportRun
from wordpress.services.attachments import AttachmentsStep
from wordpress.services.authors import AuthorsStep
from wordpress.services.comments import CommentsStep
from wordpress.services.pages import PagesStep
from wordpress.services.planning import PlanningStep
from wordpress.services.posts import PostsStep
from wordpress.services.redirects import RedirectsStep
from wordpress.services.report import ImportFailed, ImportReport
from wordpress.services.terms import TermsStep
from wordpress.services.values import Progress


class Importer(
    AuthorsStep,
    TermsStep,
    AttachmentsStep,
    PlanningStep,
    PostsStep,
    PagesStep,
    CommentsStep,
    RedirectsStep,
):
    """The steps in the order a run takes them."""

    def import_items(self) -> None:
        self.converter = Converter(
            attachments=self.attachment_index(), rewrite_url=self.book.rewrite
        )
        self.article_type = ContentType.objects.get_for_model(Article)
        self.comments_installed = apps.is_installed("comments")
        done, seen = 0, set()
        for thing in wxr.WXRReader(self.path).read():
            if not isinstance(thing, wxr.Item):
                continue
            done += 1
            self.progress("importing", done, self.items_total)
            if thing.wp_id in seen and thing.post_type in {"post", "page"}:
                kind = f"{thing.post_type}s"
                self.report.skip(kind, "the same WordPress ID twice in the export")
                self.report.note(f"{thing.label}: its ID came earlier in the export; skipped")
                self._skip_comments(thing, "on posts skipped")
                continue
            seen.add(thing.wp_id)
            if thing.post_type == "post":
                article = self.import_post(thing)
                if thing.comments:
                    self.import_comments(thing, article)
            elif thing.post_type == "page":
                self.import_page(thing)
                self._skip_comments(thing, "on pages (flat pages take no comments)")
            elif thing.post_type != "attachment":
                self.report.skip("posts", f"of type {thing.post_type!r}")

    def run(self) -> ImportReport:
        self.index()  # raises before anything is written
        try:
            with registry.bulk(), transaction.atomic():
                self.run_record = ImportRun.objects.create(
                    source=self.channel.source[:200],
                    export=self.path.name[:300],
                    started_at=timezone.now(),
                )
                self.import_authors()
                self.import_terms()
                self.import_media()
                self.plan()
                self.import_items()
                self.flush_pending()
                self.record_site_addresses()
                self.import_redirects()
                self.mark_announced()
                self.run_record.finished_at = timezone.now()
                self.run_record.summary = "\n".join(self.report.lines(max_notes=500))
                self.run_record.save(update_fields=["finished_at", "summary"])
                if self.dry_run:
                    transaction.set_rollback(True)
        except DatabaseError as exc:
            media_delete(self.stored_files)
            raise ImportFailed(
                f"the database refused the import ({exc}); it was rolled back, nothing was "
                "imported."
            ) from exc
        except BaseException:
            media_delete(self.stored_files)
            raise
        return self.report


def wordpress_import(
    *,
    path: Path,
    media_dir: Path | None = None,
    author_map: dict[str, str] | None = None,
    dry_run: bool = False,
    time_zone: str | None = None,
    progress: Progress | None = None,
    verbose: bool = False,
) -> ImportReport:
    """Import a WordPress export (WXR) in one transaction; a second run changes nothing.

    Raises wxr.WXRError for a file that cannot be imported and ImportFailed for a run that
    stopped; in both cases nothing was written.
    """
    importer = Importer(
        path=Path(path),
        media_dir=Path(media_dir) if media_dir else None,
        author_map=author_map or {},
        dry_run=dry_run,
        zone=ZoneInfo(time_zone or settings.TIME_ZONE),
        progress=progress,
        verbose=verbose,
    )
    return importer.run()
