"""Posts → articles through `article_save`: content converted, status and dates mapped."""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from taggit.models import Tag

from blog.models import Article, TaggedArticle
from blog.services import article_save
from wordpress import wxr
from wordpress.services.state import ImportState
from wordpress.services.values import (
    NOT_IMPORTED_STATUSES,
    Kind,
    fingerprint,
    plain_text,
    wp_datetime,
)

SCRIPTS = re.compile(r"<script|<iframe|\son\w+\s*=|javascript:", re.IGNORECASE)

POST_STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # with its future date: scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
    "private": Article.Status.DRAFT,
}


class PostsStep(ImportState):
    """Each post as the second pass reaches it."""

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
        self.remember(
            Kind.POST, item.wp_id, article, fp=item_fp, guid=item.guid, old_url=item.link,
            new=is_new,
        )  # fmt: skip
        self.report.count("posts", "created" if is_new else "updated")
        if self.verbose:
            self.report.note(f"{item.label}: {'created' if is_new else 'updated'} {article.slug}")
        return article

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

    def mark_announced(self) -> None:
        """Posts that were already public on the old site are not news to subscribers here."""
        if not apps.is_installed("subscriptions"):
            return
        from subscriptions.services import announcements_record

        announcements_record(
            articles=Article.objects.published().filter(pk__in=self.new_article_pks)
        )


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
