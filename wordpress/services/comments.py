"""Comments, threaded by parent, through `comments.services.comments_import`."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from blog.models import Article
from wordpress import wxr
from wordpress.models import ImportedItem
from wordpress.services.state import ImportState
from wordpress.services.values import Kind, fingerprint, plain_text, wp_datetime

COMMENT_STATUSES = {
    "1": "approved",
    "0": "pending",
    "spam": "spam",
    "trash": "removed",
    "post-trashed": "removed",
}


class CommentsStep(ImportState):
    """Each post's comments, right after the post."""

    def _skip_comments(self, item: wxr.Item, reason: str) -> None:
        if item.comments:
            self.report.skip("comments", reason, len(item.comments))

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
                old_url=f"{item.link}#comment-{row.key}"[:500], run=self.run_record,
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
            mapping.run = self.run_record
        if changed:
            ImportedItem.objects.bulk_update(changed, ["fingerprint", "run"], batch_size=500)
        self.report.count("comments", "created", len(new))
        self.report.count("comments", "updated", len(changed))


def _email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError:
        return ""
    return value[:254]
