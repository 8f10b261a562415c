"""One run's state: the first pass's index of the export, and the records of what each
WordPress item became here (how a second run finds it again)."""

from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from wordpress import wxr
from wordpress.addresses import AddressBook
from wordpress.models import ImportedItem, ImportRun
from wordpress.services.report import ImportReport
from wordpress.services.values import PostIndex, Progress, plain_text, wp_datetime


class ImportState:
    """What every step reads and writes; the steps are its subclasses, joined in run.py."""

    def __init__(
        self,
        *,
        path: Path,
        media_dir: Path | None,
        author_map: dict[str, str],
        dry_run: bool,
        zone: ZoneInfo,
        progress: Progress | None,
        verbose: bool,
    ):
        self.path = path
        self.media_dir = media_dir
        self.author_map = author_map
        self.dry_run = dry_run
        self.zone = zone
        self.progress = progress or (lambda stage, done, total: None)
        self.verbose = verbose
        self.report = ImportReport(dry_run=dry_run)
        self.new_article_pks: list[int] = []
        self.authors: dict[str, wxr.Author] = {}
        self.terms: list[wxr.Term] = []
        self.item_terms: dict[tuple[str, str], str] = {}  # (taxonomy, slug) -> name
        self.posts: dict[int, PostIndex] = {}
        self.attachments: dict[int, wxr.Item] = {}
        self.stored_files: list[str] = []
        self.pending: list[ImportedItem] = []
        self.run_record: ImportRun | None = None  # made when the writing starts
        self.items_total = 0

    # The first pass: read everything, write nothing.

    def index(self) -> None:
        reader = wxr.WXRReader(self.path, lambda done: self.progress("reading", done, size))
        size = reader.size
        for thing in reader.read():
            if isinstance(thing, wxr.Channel):
                self.channel = thing
            elif isinstance(thing, wxr.Author):
                if thing.login:
                    self.authors.setdefault(thing.login, thing)
            elif isinstance(thing, wxr.Term):
                self.terms.append(thing)
            else:
                self.items_total += 1
                self._index_item(thing)
        self.book = AddressBook(
            self.channel.source, {urlsplit(self.channel.base_site_url).hostname}
        )
        self.report.site = (
            f"WordPress export of “{self.channel.title}” ({self.channel.source}), "
            f"WXR {self.channel.version}: {self.items_total} items"
        )

    def _index_item(self, item: wxr.Item) -> None:
        if item.post_type == "attachment":
            item.content = ""
            item.comments = []
            self.attachments[item.wp_id] = item
            return
        for term in item.terms:
            if term.taxonomy in {"category", "post_tag"}:
                self.item_terms.setdefault((term.taxonomy, term.slug or term.name), term.name)
        local, _problem = wp_datetime("", item.post_date, self.zone)
        self.posts[item.wp_id] = PostIndex(
            wp_id=item.wp_id,
            post_type=item.post_type,
            status=item.status,
            title=plain_text(item.title),
            post_name=item.post_name,
            link=item.link,
            guid=item.guid,
            parent=item.parent,
            local_date=local.astimezone(self.zone) if local else None,
            comment_count=len(item.comments),
        )

    # Mappings from earlier imports of the same site.

    def mapped(self, kind: str) -> dict[int, ImportedItem]:
        """What an earlier run made of each item of `kind` (the old address left unread: a
        rerun holds one of these for each of up to 100,000 comments)."""
        earlier = ImportedItem.objects.filter(source=self.channel.source, kind=kind)
        return {item.wp_id: item for item in earlier.defer("old_url", "imported_at")}

    def remember(
        self, kind: str, wp_id: int, obj=None, *, path="", fp="", guid="", old_url="", new=False
    ) -> None:
        """Record what WordPress item `wp_id` became (`new`: no record of it exists yet)."""
        values = {
            "content_type": ContentType.objects.get_for_model(obj) if obj else None,
            "object_id": obj.pk if obj else None,
            "path": path,
            "fingerprint": fp,
            "guid": guid[:500],
            "old_url": old_url[:500],
            "run": self.run_record,
        }
        key = {"source": self.channel.source, "kind": kind, "wp_id": wp_id}
        if new:
            self.pending.append(ImportedItem(**key, **values))
            if len(self.pending) >= 500:
                self.flush_pending()
        else:
            ImportedItem.objects.update_or_create(**key, defaults=values)

    def flush_pending(self) -> None:
        """Write the records of new items, collected so that they cost one query per batch."""
        ImportedItem.objects.bulk_create(self.pending, batch_size=500)
        self.pending.clear()
