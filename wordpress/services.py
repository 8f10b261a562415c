"""Bringing a WordPress site over: `wordpress_import` and the report it returns.

Two passes over the export. The first reads the whole file without writing (a truncated or
hostile file stops the run before anything is written) and keeps only an index: authors,
terms, attachments, and each post's address and dates. The second runs in one transaction:
authors, categories, tags and media first, then each post with its comments as the stream
reaches it, then the redirects. A failure rolls everything back, files included.
"""

import datetime
import hashlib
import html
import json
import re
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.flatpages.views import flatpage
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from taggit.models import Tag

from blog.models import Article, AuthorProfile, Category, TaggedArticle
from blog.sanitise import sanitise_html
from blog.services import article_save
from blog.views import legacy_redirect
from core.content import registry
from wordpress import wxr
from wordpress.addresses import MAX_OLD_PATH, AddressBook, dated_forms, slug_path, upload_path
from wordpress.content import Attachment, Converter
from wordpress.media import MediaError, StoredFile, media_delete, media_exists, media_store
from wordpress.models import ImportedItem

# Bump when the conversion changes, so a rerun converts every post again.
CONVERTER_VERSION = "1"
ZERO_DATE = "0000-00-00 00:00:00"
SCRIPTS = re.compile(r"<script|<iframe|\son\w+\s*=|javascript:", re.IGNORECASE)
Kind = ImportedItem.Kind
Progress = Callable[[str, int, int], None]

POST_STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # with its future date: scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
    "private": Article.Status.DRAFT,
}
NOT_IMPORTED_STATUSES = {
    "trash": "in the WordPress trash",
    "auto-draft": "an unsaved auto-draft",
    "inherit": "a revision",
}
COMMENT_STATUSES = {
    "1": "approved",
    "0": "pending",
    "spam": "spam",
    "trash": "removed",
    "post-trashed": "removed",
}


class ImportFailed(Exception):
    """The run stopped before writing anything (or rolled back); the message says why."""


@dataclass
class ImportReport:
    dry_run: bool
    site: str = ""
    counts: dict[str, Counter] = field(default_factory=dict)
    skipped: dict[str, Counter] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    KINDS = ("authors", "categories", "tags", "attachments", "posts", "pages", "comments",
             "redirects")  # fmt: skip

    def count(self, kind: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += n

    def skip(self, kind: str, reason: str, n: int = 1) -> None:
        self.skipped.setdefault(kind, Counter())[reason] += n

    def note(self, line: str) -> None:
        self.notes.append(line)

    def lines(self, *, max_notes: int | None = 50) -> list[str]:
        lines = [self.site] if self.site else []
        for kind in self.KINDS:
            counts = self.counts.get(kind, Counter())
            skipped = self.skipped.get(kind, Counter())
            if not counts and not skipped:
                continue
            parts = [f"{counts[o]} {o}" for o in ("created", "updated", "unchanged") if counts[o]]
            parts += [f"{n} {o}" for o, n in counts.items() if o not in {"created", "updated",
                      "unchanged"}]  # fmt: skip
            if skipped:
                reasons = "; ".join(f"{n} {reason}" for reason, n in skipped.most_common())
                parts.append(f"{sum(skipped.values())} skipped ({reasons})")
            lines.append(f"{kind}: {', '.join(parts) or 'none'}")
        notes = self.notes if max_notes is None else self.notes[:max_notes]
        lines += [f"  {note}" for note in notes]
        if len(notes) < len(self.notes):
            lines.append(f"  … and {len(self.notes) - len(notes)} more (--verbosity 2 lists all)")
        if self.dry_run:
            lines.append("dry run: nothing was written")
        return lines


def wp_datetime(gmt: str, local: str, zone: ZoneInfo) -> tuple[datetime.datetime | None, str]:
    """An aware datetime from WordPress's GMT date, else its local one in `zone`.

    Drafts carry `0000-00-00 00:00:00` as their GMT date; that (and an impossible date
    such as 30 February) falls back to the local date. Returns (None, why) when neither
    is a date.
    """
    problem = ""
    for value, tz in ((gmt, datetime.UTC), (local, zone)):
        if not value or value == ZERO_DATE:
            continue
        try:
            parsed = datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
            return parsed.replace(tzinfo=tz).astimezone(datetime.UTC), ""
        except (ValueError, OverflowError):
            problem = problem or f"impossible date {value!r}"
    return None, problem


def plain_text(value: str) -> str:
    """HTML from WordPress as plain text: tags dropped, entities decoded."""
    return html.unescape(strip_tags(value or "")).strip()


def fingerprint(*parts) -> str:
    raw = json.dumps([CONVERTER_VERSION, *parts], default=str, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class PostIndex:
    """What the first pass keeps of a post or page (never its content)."""

    wp_id: int
    post_type: str
    status: str
    title: str
    post_name: str
    link: str
    guid: str
    parent: int
    local_date: datetime.datetime | None
    comment_count: int


class _Importer:
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
        return {
            item.wp_id: item
            for item in ImportedItem.objects.filter(source=self.channel.source, kind=kind)
        }

    def remember(
        self, kind: str, wp_id: int, obj=None, *, path="", fp="", guid="", new=False
    ) -> None:
        """Record what WordPress item `wp_id` became (`new`: no record of it exists yet)."""
        values = {
            "content_type": ContentType.objects.get_for_model(obj) if obj else None,
            "object_id": obj.pk if obj else None,
            "path": path,
            "fingerprint": fp,
            "guid": guid[:500],
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

    # Authors

    def import_authors(self) -> None:
        User = get_user_model()
        for login, username in self.author_map.items():
            if not User.objects.filter(username=username).exists():
                raise ImportFailed(
                    f"--author-map sends {login!r} to {username!r}, and there is no such user "
                    "here; nothing was imported."
                )
            if login not in self.authors:
                self.report.note(f"--author-map names {login!r}, who is not in the export")
        self.users: dict[str, object] = {}
        known = self.mapped(Kind.AUTHOR)
        for login, author in self.authors.items():
            self.users[login] = self._author_user(author, known)

    def _author_user(self, author: wxr.Author, known: dict[int, ImportedItem]):
        User = get_user_model()
        if author.login in self.author_map:
            self.report.count("authors", "mapped")
            return User.objects.get(username=self.author_map[author.login])
        key = author.wp_id or zlib.crc32(author.login.encode())
        display = plain_text(author.display_name) or author.login
        print_fp = fingerprint(author.login, author.email, display, author.first_name,
                               author.last_name)  # fmt: skip
        earlier = known.get(key)
        user = User.objects.filter(pk=earlier.object_id).first() if earlier else None
        if user is not None:
            if earlier.fingerprint == print_fp:
                self.report.count("authors", "unchanged")
                return user
            outcome = "updated"
        else:
            username = re.sub(r"[^\w.@+-]", "", author.login)[:150] or f"wordpress-{key}"
            same = User.objects.filter(username=username).first()
            if same is not None and author.email and same.email.lower() == author.email.lower():
                self.report.note(f"author {author.login!r} is the user {username!r} already here")
                self.report.count("authors", "matched")
                self.remember(Kind.AUTHOR, key, same, fp=print_fp)
                return same
            if same is not None:
                base, n = username[:140], 2
                while User.objects.filter(username=f"{base}-{n}").exists():
                    n += 1
                self.report.note(
                    f"author {author.login!r}: the username is taken here by someone else; "
                    f"imported as {base}-{n}"
                )
                username = f"{base}-{n}"
            user = User(username=username)
            user.set_unusable_password()  # they choose one through a password reset
            outcome = "created"
        user.email = author.email if "@" in author.email else ""
        user.first_name = plain_text(author.first_name)[:150]
        user.last_name = plain_text(author.last_name)[:150]
        user.save()
        AuthorProfile.objects.update_or_create(user=user, defaults={"display_name": display[:120]})
        self.remember(Kind.AUTHOR, key, user, fp=print_fp)
        self.report.count("authors", outcome)
        return user

    def user_for(self, login: str, item: wxr.Item):
        if login in self.users:
            return self.users[login]
        if not login:
            login = next(iter(self.authors), "") or "wordpress"
            self.report.note(f"{item.label}: no author in the export; given to {login!r}")
            if login in self.users:
                return self.users[login]
        else:
            self.report.note(
                f"{item.label}: author {login!r} is not in the export's author list; "
                "created from the login alone"
            )
        author = wxr.Author(None, login, "", login, "", "")
        self.users[login] = self._author_user(author, self.mapped(Kind.AUTHOR))
        return self.users[login]

    # Categories and tags

    def import_terms(self) -> None:
        """Categories (flattened: this site has one level) and tags (one taggit vocabulary)."""
        terms = {(t.taxonomy, t.slug or t.name): t for t in self.terms if t.slug or t.name}
        for (taxonomy, slug), name in self.item_terms.items():
            terms.setdefault((taxonomy, slug), wxr.Term(taxonomy, None, slug, name, "", ""))
        self.categories: dict[str, Category] = {}
        self.tags: dict[str, Tag] = {}
        known = {Kind.CATEGORY: self.mapped(Kind.CATEGORY), Kind.TAG: self.mapped(Kind.TAG)}
        for (taxonomy, slug), term in terms.items():
            if taxonomy == "category":
                self.categories[slug] = self._category(term, known[Kind.CATEGORY])
            else:
                self.tags[slug] = self._tag(term, known[Kind.TAG])
        parents = {t.slug: t.parent for t in terms.values() if t.taxonomy == "category"}
        for (taxonomy, slug), term in terms.items():
            old = self._category_path(slug, parents) if taxonomy == "category" else slug_path(slug)
            base = "/category/" if taxonomy == "category" else "/tag/"
            target = self.categories.get(slug) if taxonomy == "category" else self.tags.get(slug)
            if target is None:
                continue
            url = (
                target.get_absolute_url()
                if taxonomy == "category"
                else reverse("blog:tag-detail", kwargs={"slug": target.slug})
            )
            feed = (
                reverse("blog:category-feed", kwargs={"slug": target.slug})
                if taxonomy == "category"
                else reverse("blog:tag-feed", kwargs={"slug": target.slug})
            )
            self.book.add(f"{base}{old}/", url)
            self.book.add(f"{base}{old}/feed/", feed)
            if term.wp_id and taxonomy == "category":
                self.book.add(f"/?cat={term.wp_id}", url)
            if taxonomy == "post_tag":
                self.book.add(f"/?tag={slug_path(slug)}", url)

    def _category_path(self, slug: str, parents: dict[str, str]) -> str:
        chain, seen = [slug_path(slug)], {slug}
        while parents.get(slug) and parents[slug] not in seen:
            slug = parents[slug]
            seen.add(slug)
            chain.insert(0, slug_path(slug))
        return "/".join(chain)

    @staticmethod
    def _slug(term_slug: str, name: str, fallback: str) -> str:
        return (slugify(unquote(term_slug)) or slugify(name) or fallback)[:100]

    def _category(self, term: wxr.Term, known: dict[int, ImportedItem]) -> Category:
        name = plain_text(term.name)[:100] or term.slug
        description = plain_text(term.description)
        key = term.wp_id or zlib.crc32(f"category:{term.slug}".encode())
        earlier = known.get(key)
        category = Category.objects.filter(pk=earlier.object_id).first() if earlier else None
        if category is None:
            slug = self._slug(term.slug, name, f"category-{key}")
            category = (
                Category.objects.filter(slug=slug).first()
                or Category.objects.filter(name__iexact=name).first()
            )
            if category is None:
                if Category.objects.filter(name=name).exists():
                    name = f"{name} ({slug})"[:100]
                category = Category.objects.create(name=name, slug=slug, description=description)
                self.report.count("categories", "created")
            else:
                self.report.count("categories", "matched")
        elif description and category.description != description:
            category.description = description
            category.save(update_fields=["description"])
            self.report.count("categories", "updated")
        else:
            self.report.count("categories", "unchanged")
        if not earlier:
            self.remember(Kind.CATEGORY, key, category, new=True)
        return category

    def _tag(self, term: wxr.Term, known: dict[int, ImportedItem]) -> Tag:
        name = plain_text(term.name)[:100] or term.slug
        key = term.wp_id or zlib.crc32(f"tag:{term.slug}".encode())
        earlier = known.get(key)
        tag = Tag.objects.filter(pk=earlier.object_id).first() if earlier else None
        if tag is not None:
            self.report.count("tags", "unchanged")
            return tag
        slug = self._slug(term.slug, name, f"tag-{key}")
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.filter(slug=slug).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=slug)
            self.report.count("tags", "created")
        else:
            self.report.count("tags", "matched")
        self.remember(Kind.TAG, key, tag, new=earlier is None)
        return tag

    # Media

    def import_media(self) -> None:
        self.media: dict[int, StoredFile] = {}
        known = self.mapped(Kind.ATTACHMENT)
        missing = []
        for done, (wp_id, item) in enumerate(self.attachments.items(), 1):
            self.progress("media", done, len(self.attachments))
            relative = item.meta.get("_wp_attached_file") or upload_path(item.attachment_url)
            earlier = known.get(wp_id)
            if earlier and media_exists(earlier.path):
                width, height = json.loads(earlier.guid or "[null, null]")
                self.media[wp_id] = StoredFile(earlier.path, width, height)
                self.report.count("attachments", "unchanged")
            elif self.media_dir is None:
                missing.append(item.attachment_url or relative)
                continue
            else:
                try:
                    stored = media_store(
                        media_dir=self.media_dir, relative=relative, dry_run=self.dry_run
                    )
                except MediaError as exc:
                    self.report.skip("attachments", "missing or refused")
                    self.report.note(f"attachment {wp_id}: {exc}; the old address stays")
                    continue
                if not self.dry_run:
                    self.stored_files.append(stored.name)
                self.media[wp_id] = stored
                self.report.count("attachments", "stored")
                self.remember(
                    Kind.ATTACHMENT, wp_id, path=stored.name,
                    guid=json.dumps([stored.width, stored.height]),
                )  # fmt: skip
            self.book.add_media(item.attachment_url, self.media[wp_id].url)
        if missing:
            self.report.skip("attachments", "not brought over (no --media-dir)", len(missing))
            for url in missing[:200]:
                self.report.note(f"missing media (still at its old address): {url}")

    def attachment_index(self) -> dict[int, Attachment]:
        found = {}
        for wp_id, item in self.attachments.items():
            stored = self.media.get(wp_id)
            found[wp_id] = Attachment(
                url=stored.url if stored else item.attachment_url,
                title=plain_text(item.title),
                caption=plain_text(item.excerpt),
                alt=plain_text(item.meta.get("_wp_attachment_image_alt", "")),
                parent=item.parent,
            )
        return found

    # Planning: the slug and address of every post and page before any is written.

    def plan(self) -> None:
        self.slugs: dict[int, str] = {}
        self.page_urls: dict[int, str] = {}
        self.known_posts = self.mapped(Kind.POST)
        self.known_pages = self.mapped(Kind.PAGE)
        # A rerun looks each earlier post and comment up here, in two queries, rather than
        # one query per post for each.
        self.earlier_articles = Article.objects.in_bulk(
            [i.object_id for i in self.known_posts.values()]
        )
        self.known_comments = self.mapped(Kind.COMMENT) if self.known_posts else {}
        current = {pk: article.slug for pk, article in self.earlier_articles.items()}
        taken = set(Article.objects.values_list("slug", flat=True))
        for post in self.posts.values():
            if post.post_type != "post" or post.status in NOT_IMPORTED_STATUSES:
                continue
            earlier = self.known_posts.get(post.wp_id)
            if earlier and earlier.object_id in current:
                self.slugs[post.wp_id] = current[earlier.object_id]
                continue
            wanted = (
                slugify(unquote(post.post_name)) or slugify(post.title) or f"post-{post.wp_id}"
            )[:190]
            slug, n = wanted, 2
            while slug in taken:
                slug, n = f"{wanted}-{n}", n + 1
            if slug != wanted:
                self.report.note(
                    f"post {post.wp_id} “{post.title[:60]}”: the slug {wanted!r} is taken; "
                    f"imported as {slug!r}"
                )
            taken.add(slug)
            self.slugs[post.wp_id] = slug
        pages_now = dict(
            FlatPage.objects.filter(
                pk__in=[i.object_id for i in self.known_pages.values()]
            ).values_list("pk", "url")
        )
        urls_taken = set(FlatPage.objects.values_list("url", flat=True))
        for page in self.posts.values():
            if page.post_type == "page" and page.status in {"publish", "private"}:
                earlier = self.known_pages.get(page.wp_id)
                if earlier and earlier.object_id in pages_now:
                    self.page_urls[page.wp_id] = pages_now[earlier.object_id]
                    continue
                url = self._page_url(page, urls_taken)
                urls_taken.add(url)
                self.page_urls[page.wp_id] = url
        for post in self.posts.values():
            self._record_addresses(post)

    def _page_url(self, page: PostIndex, taken: set[str]) -> str:
        chain, seen, current = [], set(), page
        while current is not None and current.wp_id not in seen:
            seen.add(current.wp_id)
            chain.insert(0, slugify(unquote(current.post_name)) or f"page-{current.wp_id}")
            current = self.posts.get(current.parent)
        url = "/" + "/".join(chain) + "/"
        if not _serves_flat_page(url):
            self.report.note(
                f"page {page.wp_id} “{page.title[:60]}”: {url} is an address of this site; "
                f"imported at /pages{url}"
            )
            url = "/pages" + url
        wanted, n = url, 2
        while url in taken:
            url, n = f"{wanted.rstrip('/')}-{n}/", n + 1
        return url

    def _record_addresses(self, post: PostIndex) -> None:
        if post.post_type == "post" and post.status in {"publish", "future"}:
            slug = self.slugs[post.wp_id]
            new = reverse("blog:article-detail", kwargs={"slug": slug})
            self.book.add(post.link, new)
            self.book.add(f"/?p={post.wp_id}", new)
            self.book.add(post.guid, new)
            self.book.add(f"/archives/{post.wp_id}/", new)
            if post.post_name:
                self.book.add(f"/{slug_path(post.post_name)}/", new)
                for old in dated_forms(post.post_name, post.local_date):
                    self.book.add(old, new)
            if apps.is_installed("comments"):
                try:
                    feed = reverse("comments:articles-comment-feed", kwargs={"slug": slug})
                except NoReverseMatch:
                    feed = ""
                link = urlsplit(post.link)
                if link.path.strip("/") and not link.query:
                    self.book.add(post.link.rstrip("/") + "/feed/", feed)
        elif post.wp_id in self.page_urls:
            new = self.page_urls[post.wp_id]
            self.book.add(post.link, new)
            self.book.add(f"/?page_id={post.wp_id}", new)
            self.book.add(post.guid, new)

    def record_site_addresses(self) -> None:
        """Addresses that belong to the site rather than to one post: feeds, author pages."""
        for old in ("/feed/rss2/", "/feed/rss/", "/feed/rdf/", "/?feed=rss2", "/?feed=rss"):
            self.book.add(old, reverse("blog:article-feed"))
        self.book.add("/?feed=atom", reverse("blog:article-feed-atom"))
        if apps.is_installed("comments"):
            self.book.add("/?feed=comments-rss2", reverse("comments:comment-feed"))
            self.book.add("/comments/feed/rss2/", reverse("comments:comment-feed"))
        for login, author in self.authors.items():
            user = self.users.get(login)
            if user is None or not hasattr(user, "profile"):
                continue
            page = reverse("blog:author-detail", kwargs={"username": user.get_username()})
            feed = reverse("blog:author-feed", kwargs={"username": user.get_username()})
            self.book.add(f"/author/{slug_path(login)}/", page)
            self.book.add(f"/author/{slug_path(login)}/feed/", feed)
            if author.wp_id:
                self.book.add(f"/?author={author.wp_id}", page)
        # Attachment pages: the post they belong to, else the file itself.
        for wp_id, item in self.attachments.items():
            parent = self.posts.get(item.parent)
            new = ""
            if parent and parent.wp_id in self.slugs and parent.status in {"publish", "future"}:
                new = reverse("blog:article-detail", kwargs={"slug": self.slugs[parent.wp_id]})
            elif parent and parent.wp_id in self.page_urls:
                new = self.page_urls[parent.wp_id]
            elif wp_id in self.media:
                new = self.media[wp_id].url
            if new:
                self.book.add(item.link, new)
                self.book.add(f"/?attachment_id={wp_id}", new)

    # The second pass: posts and pages with their comments.

    def import_items(self) -> None:
        self.converter = Converter(
            attachments=self.attachment_index(), rewrite_url=self.book.rewrite
        )
        self.article_type = ContentType.objects.get_for_model(Article)
        self.comments_installed = apps.is_installed("comments")
        done = 0
        for thing in wxr.WXRReader(self.path).read():
            if not isinstance(thing, wxr.Item):
                continue
            done += 1
            self.progress("importing", done, self.items_total)
            if thing.post_type == "post":
                article = self.import_post(thing)
                if thing.comments:
                    self.import_comments(thing, article)
            elif thing.post_type == "page":
                self.import_page(thing)
                self._skip_comments(thing, "on pages (flat pages take no comments)")
            elif thing.post_type != "attachment":
                self.report.skip("posts", f"of type {thing.post_type!r}")

    def _skip_comments(self, item: wxr.Item, reason: str) -> None:
        if item.comments:
            self.report.skip("comments", reason, len(item.comments))

    def import_post(self, item: wxr.Item) -> Article | None:
        if item.status in NOT_IMPORTED_STATUSES:
            self.report.skip("posts", NOT_IMPORTED_STATUSES[item.status])
            return None
        earlier = self.known_posts.get(item.wp_id)
        article = None
        if earlier:
            article = self.earlier_articles.get(earlier.object_id)
            if article is None:
                self.report.skip("posts", "deleted here since an earlier import")
                return None
        item_fp = fingerprint(
            item.title, item.content, item.excerpt, item.post_date, item.post_date_gmt,
            item.status, item.password, item.comment_status, item.creator, item.meta.get(
                "_thumbnail_id"), [(t.taxonomy, t.slug, t.name) for t in item.terms],
            bool(self.media_dir),
        )  # fmt: skip
        if article is not None and earlier.fingerprint == item_fp:
            self.report.count("posts", "unchanged")
            return article
        is_new = article is None
        article = article or Article(slug=self.slugs[item.wp_id])
        self._fill_article(article, item)
        changed = {"title", "standfirst", "body"}
        thumbnail = self.media.get(_int(item.meta.get("_thumbnail_id", "")))
        if (
            thumbnail
            and thumbnail.width
            and not self.dry_run
            and article.featured_image.name != thumbnail.name
        ):
            attachment = self.attachments[_int(item.meta["_thumbnail_id"])]
            article.featured_image.name = thumbnail.name
            article.featured_image_width = thumbnail.width
            article.featured_image_height = thumbnail.height
            article.featured_image_alt = (
                plain_text(attachment.meta.get("_wp_attachment_image_alt", ""))
                or plain_text(attachment.title)
                or article.title
            )[:250]
            article.featured_image_caption = plain_text(attachment.excerpt)[:300]
            changed.add("featured_image")
        try:
            with transaction.atomic():
                article_save(
                    article=article,
                    user=None,
                    changed_fields=changed,
                    note="Imported from WordPress",
                )
        except (DatabaseError, ValidationError, OSError) as exc:
            self.report.skip("posts", "refused")
            self.report.note(f"{item.label}: refused ({exc}); skipped")
            return None
        tags = [self.tags[k] for k in self._term_keys(item, "post_tag") if k in self.tags]
        extra = [k for k in self._term_keys(item, "category")[1:] if k in self.categories]
        for key in extra:  # one category here: the others join the tags
            name = self.categories[key].name
            tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(
                name=name, slug=self._unique_tag_slug(self.categories[key].slug)
            )
            tags.append(tag)
        if is_new:  # straight into the through table: one query instead of one per tag
            TaggedArticle.objects.bulk_create(
                [TaggedArticle(content_object=article, tag=tag) for tag in {*tags}]
            )
        else:
            article.tags.set(tags)
        if is_new:
            self.new_article_pks.append(article.pk)
        self.remember(Kind.POST, item.wp_id, article, fp=item_fp, guid=item.guid, new=is_new)
        self.report.count("posts", "created" if is_new else "updated")
        if self.verbose:
            self.report.note(f"{item.label}: {'created' if is_new else 'updated'} {article.slug}")
        return article

    @staticmethod
    def _unique_tag_slug(slug: str) -> str:
        wanted, n = slug, 2
        while Tag.objects.filter(slug=slug).exists():
            slug, n = f"{wanted}-{n}", n + 1
        return slug

    @staticmethod
    def _term_keys(item: wxr.Item, taxonomy: str) -> list[str]:
        return [t.slug or t.name for t in item.terms if t.taxonomy == taxonomy]

    def _fill_article(self, article: Article, item: wxr.Item) -> None:
        label = item.label
        article.title = plain_text(item.title) or f"Untitled ({item.wp_id})"
        if len(article.title) > 200:
            self.report.note(f"{label}: title cut to 200 characters")
            article.title = article.title[:199] + "…"
        article.author = self.user_for(item.creator, item)
        article.standfirst = plain_text(item.excerpt)
        body, notes = self.converter.convert(item.content, post_id=item.wp_id)
        article.body = body
        if SCRIPTS.search(item.content):
            self.report.note(f"{label}: scripts, frames or event handlers removed (sanitised)")
        for name, n in notes.removed_shortcodes.items():
            self.report.note(
                f"{label}: [{name}] shortcode not carried over ×{n} (text inside kept)"
            )
        if notes.missing_attachments:
            self.report.note(
                f"{label}: {notes.missing_attachments} gallery image(s) not in the export"
            )
        published_at, problem = wp_datetime(item.post_date_gmt, item.post_date, self.zone)
        status = POST_STATUSES.get(item.status)
        if status is None:
            self.report.note(f"{label}: unknown status {item.status!r}; imported as a draft")
            status = Article.Status.DRAFT
        if item.status == "private":
            self.report.note(f"{label}: private in WordPress; imported as a draft")
        if item.password:
            self.report.note(f"{label}: password-protected in WordPress; imported as a draft")
            status = Article.Status.DRAFT
        if status == Article.Status.PUBLISHED and published_at is None:
            self.report.note(f"{label}: {problem or 'no date'}; imported as a draft")
            status = Article.Status.DRAFT
        elif problem:
            self.report.note(f"{label}: {problem}; left without a date")
        article.status = status
        article.published_at = published_at
        article.comments_open = item.comment_status == "open"
        categories = [k for k in self._term_keys(item, "category") if k in self.categories]
        article.category = self.categories[categories[0]] if categories else None

    def import_page(self, item: wxr.Item) -> None:
        if item.wp_id not in self.page_urls:
            reason = NOT_IMPORTED_STATUSES.get(
                item.status, "not published (flat pages have no drafts)"
            )
            self.report.skip("pages", reason)
            return
        earlier = self.known_pages.get(item.wp_id)
        page = FlatPage.objects.filter(pk=earlier.object_id).first() if earlier else None
        if earlier and page is None:
            self.report.skip("pages", "deleted here since an earlier import")
            return
        item_fp = fingerprint(item.title, item.content, item.status, item.password, item.parent)
        if page is not None and earlier.fingerprint == item_fp:
            self.report.count("pages", "unchanged")
            return
        is_new = page is None
        page = page or FlatPage(url=self.page_urls[item.wp_id])
        page.title = (plain_text(item.title) or f"Untitled ({item.wp_id})")[:200]
        body, _notes = self.converter.convert(item.content, post_id=item.wp_id)
        page.content = sanitise_html(body)
        page.registration_required = item.status == "private" or bool(item.password)
        if page.registration_required:
            self.report.note(f"{item.label}: private or password-protected; staff only here")
        page.save()
        page.sites.add(settings.SITE_ID)
        self.remember(Kind.PAGE, item.wp_id, page, fp=item_fp, guid=item.guid)
        self.report.count("pages", "created" if is_new else "updated")

    def import_comments(self, item: wxr.Item, article: Article | None) -> None:
        if article is None:
            self._skip_comments(item, "on posts not imported")
            return
        if not self.comments_installed:
            self._skip_comments(item, "the comments app is not installed")
            return
        from comments.services import CommentImport, comments_import

        known = {}
        if item.wp_id in self.known_posts:  # a post imported before may have known comments
            known = {
                c.wp_id: self.known_comments[c.wp_id]
                for c in item.comments
                if c.wp_id in self.known_comments
            }
        rows, prints = [], {}
        for comment in item.comments:
            if comment.type in {"pingback", "trackback"}:
                self.report.skip("comments", "pingbacks and trackbacks")
                continue
            status = COMMENT_STATUSES.get(comment.approved, "pending")
            created, problem = wp_datetime(comment.date_gmt, comment.date, self.zone)
            if created is None:
                created = article.published_at or timezone.now()
                self.report.note(
                    f"comment {comment.wp_id}: {problem or 'no date'}; dated as its post"
                )
            comment_fp = fingerprint(comment)
            earlier = known.get(comment.wp_id)
            if earlier and earlier.fingerprint == comment_fp:
                self.report.count("comments", "unchanged")
                continue
            prints[comment.wp_id] = comment_fp
            parent = known.get(comment.parent)
            rows.append(
                CommentImport(
                    key=comment.wp_id,
                    name=plain_text(comment.author)[:100] or "Anonymous",
                    email=_email(comment.email) or f"wordpress-{comment.wp_id}@import.invalid",
                    website=comment.url if comment.url.startswith(("http://", "https://")) else "",
                    body=plain_text(comment.content) or "…",
                    status=status,
                    created=created,
                    ip_address=comment.ip,
                    parent_key=comment.parent or None,
                    parent_pk=parent.object_id if parent else None,
                    pk=earlier.object_id if earlier else None,
                )
            )
        if not rows:
            return
        made = comments_import(target=article, comments=rows)
        from comments.models import Comment

        comment_type = ContentType.objects.get_for_model(Comment)
        new = [
            ImportedItem(
                source=self.channel.source, kind=Kind.COMMENT, wp_id=row.key,
                content_type=comment_type, object_id=made[row.key], fingerprint=prints[row.key],
            )
            for row in rows
            if row.pk is None
        ]  # fmt: skip
        self.pending.extend(new)
        if len(self.pending) >= 500:
            self.flush_pending()
        changed = [known[row.key] for row in rows if row.pk is not None]
        for mapping in changed:
            mapping.fingerprint = prints[mapping.wp_id]
        if changed:
            ImportedItem.objects.bulk_update(changed, ["fingerprint"], batch_size=500)
        self.report.count("comments", "created", len(new))
        self.report.count("comments", "updated", len(changed))

    # Redirects

    def import_redirects(self) -> None:
        planned = self.book.redirects()
        too_long = [old for old in planned if len(old) > MAX_OLD_PATH]
        for old in too_long:
            del planned[old]
        if too_long:
            self.report.skip("redirects", f"old address longer than {MAX_OLD_PATH}", len(too_long))
        live = [old for old in planned if "?" not in old and _answered_here(old)]
        for old in live:
            del planned[old]
        if live:
            self.report.skip("redirects", "addresses this site answers itself", len(live))
        site_id = settings.SITE_ID
        olds = sorted(planned)
        create, update = [], []
        for start in range(0, len(olds), 500):
            chunk = olds[start : start + 500]
            existing = {
                r.old_path: r for r in Redirect.objects.filter(site_id=site_id, old_path__in=chunk)
            }
            for old in chunk:
                redirect = existing.get(old)
                if redirect is None:
                    create.append(Redirect(site_id=site_id, old_path=old, new_path=planned[old]))
                elif redirect.new_path != planned[old]:
                    redirect.new_path = planned[old]
                    update.append(redirect)
                else:
                    self.report.count("redirects", "unchanged")
            self.progress("redirects", min(start + 500, len(olds)), len(olds))
        Redirect.objects.bulk_create(create, batch_size=1000)
        Redirect.objects.bulk_update(update, ["new_path"], batch_size=1000)
        self.report.count("redirects", "created", len(create))
        self.report.count("redirects", "updated", len(update))

    def mark_announced(self) -> None:
        """Posts that were already public on the old site are not news to subscribers here."""
        if not apps.is_installed("subscriptions"):
            return
        from subscriptions.services import announcements_record

        announcements_record(
            articles=Article.objects.published().filter(pk__in=self.new_article_pks)
        )

    def run(self) -> ImportReport:
        self.index()  # raises before anything is written
        try:
            with registry.bulk(), transaction.atomic():
                self.import_authors()
                self.import_terms()
                self.import_media()
                self.plan()
                self.import_items()
                self.flush_pending()
                self.record_site_addresses()
                self.import_redirects()
                self.mark_announced()
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


def _serves_flat_page(url: str) -> bool:
    """Whether a flat page at `url` would be shown (no other page of this site is there)."""
    try:
        match = resolve(url)
    except Resolver404:
        return False
    return match.func in {flatpage, legacy_redirect}


def _answered_here(path: str) -> bool:
    """Whether a page of this site (not a fallback for old addresses) is at `path`."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.func not in {flatpage, legacy_redirect}


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value[:254]


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
    importer = _Importer(
        path=Path(path),
        media_dir=Path(media_dir) if media_dir else None,
        author_map=author_map or {},
        dry_run=dry_run,
        zone=ZoneInfo(time_zone or settings.TIME_ZONE),
        progress=progress,
        verbose=verbose,
    )
    return importer.run()
