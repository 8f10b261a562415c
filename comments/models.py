"""Readers' comments on any public object of a commentable kind in the content registry."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from comments.text import render_plain_text, safe_href
from core.content import ContentKind, registry
from core.email import email_language
from core.tokens import InvalidToken, make_token, read_token

STOP_TOKEN_SALT = "comments.reply-notifications.stop"


def commentable_kind(label: str) -> ContentKind:
    """The registered content kind of model `label` ("blog.article") that takes comments.

    LookupError for anything else.
    """
    kind = registry.for_label(label)
    if not kind.commentable:
        raise LookupError(label)
    return kind


def public_targets(label: str) -> models.QuerySet:
    """The public objects of a commentable model; LookupError for anything else."""
    return commentable_kind(label).public()


def comment_feed_url(target: models.Model) -> str:
    """The path of `target`'s own comment feed ("" when its kind takes no comments)."""
    kind = registry.for_model(target)
    if kind is None or not kind.commentable:
        return ""
    return reverse(f"comments:{kind.key}-comment-feed", kwargs={"slug": target.slug})


def comments_open_for(target: models.Model) -> bool:
    """The one rule for accepting comments on `target` (no query).

    The target must allow them (`comments_open`) and be younger than
    COMMENTS_CLOSE_AFTER_DAYS, counted from the date its kind became public.
    """
    if not getattr(target, "comments_open", False):
        return False
    closes_at = comments_close_at(target)
    return closes_at is None or timezone.now() < closes_at


def comments_close_at(target: models.Model) -> datetime.datetime | None:
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    kind = registry.for_model(target)
    date_field = kind.published_field if kind is not None else ""
    start = getattr(target, date_field, None) if date_field else None
    if not days or start is None:
        return None
    if not isinstance(start, datetime.datetime):
        start = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    return start + datetime.timedelta(days=days)


def next_comments_closing() -> datetime.datetime | None:
    """When comments next close by age on some public object (a page shows its form until
    then): the page cache starts a new content version at that moment (core/pagecache.py)."""
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if not days:
        return None
    age = datetime.timedelta(days=days)
    now = timezone.now()
    closings = []
    for kind in registry.kinds():
        if not kind.commentable or not kind.published_field:
            continue
        field = kind.model._meta.get_field(kind.published_field)
        opened_after = now - age
        if not isinstance(field, models.DateTimeField):
            opened_after = timezone.localdate(opened_after)
        first = (
            kind.public()
            .filter(comments_open=True, **{f"{kind.published_field}__gt": opened_after})
            .order_by(kind.published_field)
            .values_list(kind.published_field, flat=True)
            .first()
        )
        if first is not None:
            if not isinstance(first, datetime.datetime):
                first = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
            closings.append(first + age)
    return min(closings, default=None)


def _target_q(model: type[models.Model], prefix: str = "") -> Q:
    # Matching the content type through a join keeps query counts independent of
    # ContentType's per-process cache.
    meta = model._meta
    return Q(
        **{
            f"{prefix}content_type__app_label": meta.app_label,
            f"{prefix}content_type__model": meta.model_name,
        }
    )


@dataclass
class ThreadNode:
    comment: "Comment"
    depth: int
    replies: list["ThreadNode"] = field(default_factory=list)
    # Set on replies shown at the deepest level under a comment they did not answer.
    in_reply_to: str = ""


@dataclass(frozen=True)
class Thread:
    nodes: list[ThreadNode]
    comments: dict[int, "Comment"]

    @property
    def count(self) -> int:
        return len(self.comments)


def build_thread(comments: list["Comment"], max_depth: int) -> list[ThreadNode]:
    """Nest `comments` (oldest first) to `max_depth`; deeper replies join the deepest level.

    A reply whose parent is not shown (pending, spam, removed) starts its own thread.
    """
    by_pk = {comment.pk: comment for comment in comments}
    children: dict[int, list[Comment]] = defaultdict(list)
    roots = []
    for comment in comments:
        if comment.parent_id in by_pk and comment.parent_id != comment.pk:
            children[comment.parent_id].append(comment)
        else:
            roots.append(comment)

    def descendants(comment: Comment) -> list[Comment]:
        found, stack, seen = [], list(reversed(children[comment.pk])), {comment.pk}
        while stack:
            current = stack.pop()
            if current.pk in seen:
                continue
            seen.add(current.pk)
            found.append(current)
            stack.extend(reversed(children[current.pk]))
        return found

    def level(members: list[Comment], depth: int) -> list[ThreadNode]:
        nodes = []
        for comment in members:
            node = ThreadNode(comment, depth)
            nodes.append(node)
            if depth < max_depth:
                node.replies = level(children[comment.pk], depth + 1)
            else:
                nodes.extend(
                    ThreadNode(reply, depth, in_reply_to=by_pk[reply.parent_id].name)
                    for reply in descendants(comment)
                )
        return nodes

    return level(roots, 1)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """The one definition of "shown to the public"."""
        return self.filter(status=Comment.Status.APPROVED)

    def for_target(self, target: models.Model):
        return self.filter(_target_q(type(target)), object_id=target.pk)

    def on_public_targets(self):
        """Comments whose target is a public object of a commentable model."""
        condition = Q(pk__in=[])
        for kind in registry.kinds():
            if kind.commentable:
                public = kind.public()
                condition |= _target_q(kind.model) & Q(object_id__in=public.values("pk"))
        return self.filter(condition)

    def for_display(self):
        # The email address, IP hash and user agent never reach a template.
        return self.defer("email", "ip_hash", "user_agent", "spam_reason")

    def thread_for(self, target: models.Model) -> Thread:
        """The approved comments on `target`, nested for display, in one query."""
        comments = list(self.approved().for_target(target).for_display().order_by("created", "pk"))
        nodes = build_thread(comments, max(1, settings.COMMENTS_MAX_DEPTH))
        return Thread(nodes=nodes, comments={comment.pk: comment for comment in comments})

    def by_email(self, email: str):
        """Comments left with `email`, in any letter case (data requests)."""
        return self.filter(email__iexact=email.strip())

    def from_stop_token(self, token: str) -> "Comment | None":
        """The comment a "stop reply emails" link names; None if forged or too old."""
        try:
            pk = read_token(STOP_TOKEN_SALT, token).key
        except InvalidToken:
            return None
        return self.filter(pk=pk).first() if isinstance(pk, int) else None


def with_comment_counts(queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` annotated with `comment_count` (approved comments), in the same query."""
    counts = (
        Comment.objects.approved()
        .filter(_target_q(queryset.model), object_id=OuterRef("pk"))
        .order_by()
        .values("object_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return queryset.annotate(
        comment_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0)
    )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        REMOVED = "removed", _("Removed")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("target type")
    )
    object_id = models.PositiveBigIntegerField(_("target id"))
    target = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(
        _("email"), help_text=_("Never shown to the public, in feeds or in exports.")
    )
    website = models.URLField(_("website"), max_length=200, blank=True)
    body = models.TextField(_("comment"), help_text=_("Plain text; shown escaped."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created = models.DateTimeField(_("created"), default=timezone.now)
    ip_hash = models.CharField(
        _("IP address hash"),
        max_length=64,
        blank=True,
        help_text=_("A keyed hash of the address: matches repeat visitors, cannot be reversed."),
    )
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    spam_reason = models.CharField(
        _("why flagged"),
        max_length=200,
        blank=True,
        help_text=_("The spam checks this comment failed when it was posted."),
    )
    notify_replies = models.BooleanField(
        _("email replies"),
        default=False,
        help_text=_("The commenter asked to be emailed when a reply is approved."),
    )
    language = models.CharField(
        _("interface language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The site's language when the comment was written: emails to its author (a "
            "reply, say) are written in it; empty: the site's language."
        ),
    )
    reply_notified_at = models.DateTimeField(
        _("parent's author emailed"),
        null=True,
        blank=True,
        help_text=_("When the author of the comment this replies to was told about it."),
    )
    erased_at = models.DateTimeField(
        _("author's data erased"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When its author asked for their data to be erased: the words stay in the "
            "thread, signed as a reader, with no name, address, website or IP hash."
        ),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("comment")
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "status", "created"],
                name="comment_thread_idx",
            ),
            models.Index(fields=["status", "-created"], name="comment_status_idx"),
            models.Index(fields=["email", "status"], name="comment_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "spam", "removed"]),
                name="comment_status_valid",
            ),
            # Every comment has its author's address, until they ask for it to be erased.
            models.CheckConstraint(
                condition=~Q(email="") | Q(erased_at__isnull=False), name="comment_has_email"
            ),
        ]

    def __str__(self):
        return _("%(name)s, %(date)s") % {
            "name": self.name,
            "date": timezone.localtime(self.created).strftime("%Y-%m-%d %H:%M"),
        }

    def get_absolute_url(self):
        return f"{self.target.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def body_html(self) -> SafeString:
        return render_plain_text(self.body)

    @property
    def website_href(self) -> str:
        return safe_href(self.website)

    @property
    def is_public(self) -> bool:
        """Mirror of CommentQuerySet.approved() for an instance in hand."""
        return self.status == self.Status.APPROVED

    @property
    def email_language(self) -> str:
        """The language emails to its author are written in."""
        return email_language(self.language)

    def stop_token(self) -> str:
        """The signed token of this comment's "stop reply emails" link (core.tokens)."""
        return make_token(STOP_TOKEN_SALT, self.pk)
