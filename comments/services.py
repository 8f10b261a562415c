"""Writes to comments: submission with its spam defences, moderation, notifications."""

import datetime
import enum
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from comments.models import Comment, comments_open_for
from comments.text import count_links
from core.email import (
    Email,
    email_headers,
    email_queue,
    link_in_language,
    reader_language,
    render_email,
)
from core.pagecache import content_changed
from core.site import absolute_url
from core.throttle import rate_limit

logger = logging.getLogger(__name__)

MODERATOR_PERMISSION = "comments.change_comment"


class CommentError(Exception):
    """A submission refused outright; nothing is stored. `message` is for the reader."""

    status = 400
    field: str | None = None

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class CommentsClosed(CommentError):
    pass


class InvalidParent(CommentError):
    pass


class DuplicateComment(CommentError):
    field = "body"


class Outcome(enum.StrEnum):
    PUBLISHED = "published"
    HELD = "held"
    SPAM = "spam"  # stored as spam; the reader is told it is held
    DROPPED = "dropped"  # honeypot hit: not stored; the reader is told it is held


@dataclass(frozen=True)
class Submission:
    outcome: Outcome
    comment: Comment | None = None

    @property
    def is_public(self) -> bool:
        return self.outcome is Outcome.PUBLISHED


def ip_hash(ip_address: str) -> str:
    """A keyed hash (HMAC, key derived from SECRET_KEY) of an IP address; "" for none."""
    if not ip_address:
        return ""
    return salted_hmac("comments.ip-address", ip_address, algorithm="sha256").hexdigest()


def _spam_reasons(*, body: str, seconds_on_form: float | None) -> list[str]:
    reasons = []
    minimum = settings.COMMENTS_MIN_SUBMIT_SECONDS
    if seconds_on_form is None:
        reasons.append("no valid form timestamp")
    elif seconds_on_form < minimum:
        reasons.append(f"sent {seconds_on_form:.1f}s after the form was shown")
    links = count_links(body)
    if links > settings.COMMENTS_MAX_LINKS:
        reasons.append(f"{links} links")
    return reasons


def comment_submit(
    *,
    target: models.Model,
    parent: Comment | None,
    name: str,
    email: str,
    website: str,
    body: str,
    notify_replies: bool,
    ip_address: str,
    user_agent: str,
    seconds_on_form: float | None,
    honeypot: str,
    language: str | None = None,
) -> Submission:
    """Store a reader's comment as published, held or spam, or drop it (honeypot).

    `language` (None: the interface's now) is the one emails to its author are written in.

    Raises core.throttle.RateLimited past COMMENTS_RATE_LIMIT comments from one address in
    COMMENTS_RATE_WINDOW_SECONDS, and a CommentError when the thread is closed, the parent
    is not on `target` or the comment is a duplicate; either way nothing is stored.
    """
    rate_limit(
        "comments",
        ip_address,
        limit=settings.COMMENTS_RATE_LIMIT,
        window=settings.COMMENTS_RATE_WINDOW_SECONDS,
        message=_("You have sent several comments in a short time. Please wait a few minutes."),
    )
    hashed_ip = ip_hash(ip_address)
    if not comments_open_for(target):
        raise CommentsClosed(_("Comments are closed here."))
    on_target = Comment.objects.for_target(target)
    if parent is not None and not on_target.approved().filter(pk=parent.pk).exists():
        raise InvalidParent(_("The comment you are replying to is not on this page."))
    if honeypot:
        logger.info("Comment dropped: honeypot filled (ip %s)", hashed_ip[:12])
        return Submission(Outcome.DROPPED)
    since = timezone.now() - datetime.timedelta(days=1)
    if on_target.filter(email=email, body=body, created__gte=since).exists():
        raise DuplicateComment(_("You have already posted this comment here."))

    reasons = _spam_reasons(body=body, seconds_on_form=seconds_on_form)
    if reasons:
        status = Comment.Status.SPAM
    elif (
        settings.COMMENTS_TRUST_RETURNING
        and Comment.objects.approved().filter(email=email).exists()
    ):
        status = Comment.Status.APPROVED
    else:
        status = Comment.Status.PENDING

    with transaction.atomic():
        comment = Comment.objects.create(
            target=target,
            parent=parent,
            name=name,
            email=email,
            website=website,
            body=body,
            status=status,
            ip_hash=hashed_ip,
            user_agent=user_agent[:500],
            spam_reason="; ".join(reasons)[:200],
            notify_replies=notify_replies,
            language=reader_language() if language is None else language,
        )
        if status == Comment.Status.PENDING:
            transaction.on_commit(lambda: _send_held_notice(comment))
        elif status == Comment.Status.APPROVED:
            _queue_reply_notices([comment.pk])
    outcome = {
        Comment.Status.APPROVED: Outcome.PUBLISHED,
        Comment.Status.PENDING: Outcome.HELD,
        Comment.Status.SPAM: Outcome.SPAM,
    }[status]
    return Submission(outcome, comment)


def comment_moderate(*, comments: Iterable[Comment] | models.QuerySet, status: str) -> int:
    """Set the status of `comments`; returns how many changed.

    The one path for moderation (admin actions and the change form): approving emails the
    authors of the comments replied to, once per reply. Counts shown on listings are
    computed from the approved comments, so they follow at once.
    """
    if isinstance(comments, models.QuerySet):
        pks = list(comments.values_list("pk", flat=True))
    else:
        pks = [comment.pk for comment in comments]
    with transaction.atomic():
        changing = Comment.objects.filter(pk__in=pks).exclude(status=status)
        changed = list(changing.values_list("pk", "status"))
        changed_pks = [pk for pk, _was in changed]
        Comment.objects.filter(pk__in=changed_pks).update(status=status)
        if status == Comment.Status.APPROVED:
            _queue_reply_notices(changed_pks)
        # An update sends no signal: pages change when a comment comes into or out of view.
        shown = Comment.Status.APPROVED
        if changed and (status == shown or any(was == shown for _pk, was in changed)):
            content_changed()
    return len(changed_pks)


def comment_notifications_stop(*, comment: Comment) -> int:
    """Stop reply emails to the address behind `comment` (all its comments)."""
    return Comment.objects.filter(email=comment.email, notify_replies=True).update(
        notify_replies=False
    )


def _queue_reply_notices(reply_pks: list[int]) -> None:
    """Mark approved replies whose parent's author asked for email; queue it after commit."""
    replies = list(
        Comment.objects.filter(
            pk__in=reply_pks,
            status=Comment.Status.APPROVED,
            reply_notified_at__isnull=True,
            parent__notify_replies=True,
            parent__status=Comment.Status.APPROVED,
        )
        .exclude(email=models.F("parent__email"))
        .select_related("parent")
    )
    if not replies:
        return
    Comment.objects.filter(pk__in=[reply.pk for reply in replies]).update(
        reply_notified_at=timezone.now()
    )
    transaction.on_commit(lambda: _send_reply_notices(replies))


def moderator_emails() -> list[str]:
    """Addresses told about held comments: active staff who may moderate, plus the setting."""
    users = (
        get_user_model()
        .objects.with_perm(MODERATOR_PERMISSION, include_superusers=True)
        .filter(is_staff=True, is_active=True)
        .exclude(email="")
    )
    addresses = {user.email.lower(): user.email for user in users}
    for address in settings.COMMENTS_NOTIFY_EMAILS:
        addresses.setdefault(address.lower(), address)
    return sorted(addresses.values())


# Both notices are rendered after commit and sent by task workers (core.email), which retry
# when the mail server fails: a mail server failure never turns an accepted comment into an
# error page.


def _send_held_notice(comment: Comment) -> None:
    recipients = moderator_emails()
    if not recipients:
        return
    # For the editors: in the site's language, not the commenter's.
    with translation.override(settings.LANGUAGE_CODE):
        subject, text, html = _held_notice(comment)
    for address in recipients:
        email_queue(Email(address, subject, text, html, email_headers(automatic=True)))


def _held_notice(comment: Comment) -> tuple[str, str, str]:
    target = comment.target
    context = {
        "comment": comment,
        "target_title": str(target),
        "target_url": absolute_url(target.get_absolute_url()),
        "review_url": absolute_url(reverse("admin:comments_comment_change", args=[comment.pk])),
        "queue_url": absolute_url(reverse("admin:comments_comment_changelist"))
        + "?status__exact=pending",
    }
    return render_email("comment_held", context)


def _send_reply_notices(replies: list[Comment]) -> None:
    for reply in replies:
        # In the language the parent's author wrote in, not the replier's or the moderator's.
        with translation.override(reply.parent.email_language):
            email_queue(_reply_notice(reply))


def _reply_notice(reply: Comment) -> Email:
    language = reply.parent.email_language
    stop_url = link_in_language(
        absolute_url(reverse("comments:notification-stop", args=[reply.parent.stop_token()])),
        language,
    )
    context = {
        "reply": reply,
        "parent": reply.parent,
        "target_title": str(reply.target),
        "reply_url": link_in_language(absolute_url(reply.get_absolute_url()), language),
        "stop_url": stop_url,
    }
    headers = email_headers(unsubscribe_url=stop_url, automatic=True)
    return Email.from_templates("comment_reply", context, to=reply.parent.email, headers=headers)


@dataclass(frozen=True)
class CommentImport:
    """One comment brought from another system (a WordPress export), as it was there.

    `key` names it within the import; `parent_key` names its parent there, or
    `parent_pk` an earlier-imported comment. `pk` is the comment made by an earlier import
    of the same one, to be brought up to date.
    """

    key: int
    name: str
    email: str
    website: str
    body: str
    status: str
    created: datetime.datetime
    ip_address: str = ""
    parent_key: int | None = None
    parent_pk: int | None = None
    pk: int | None = None


IMPORT_FIELDS = ("parent_id", "name", "email", "website", "body", "status", "created", "ip_hash")


def comments_import(*, target: models.Model, comments: Iterable[CommentImport]) -> dict[int, int]:
    """Store or update `comments` on `target` as they were: their status and date kept, no
    rate limit, spam check or email. Returns each import key's comment pk.

    Replies find their parents whatever the order given; a reply whose parent is not among
    them, nor earlier imported, starts its own thread. Comments a reader has had erased
    (comments_erase) are left as they are.
    """
    rows = list(comments)
    content_type = ContentType.objects.get_for_model(target)
    made: dict[int, int] = {row.key: row.pk for row in rows if row.pk is not None}
    waiting = [row for row in rows if row.pk is None]

    def build(row: CommentImport) -> Comment:
        parent_id = row.parent_pk
        if row.parent_key is not None and row.parent_key in made:
            parent_id = made[row.parent_key]
        return Comment(
            pk=row.pk,
            content_type=content_type,
            object_id=target.pk,
            parent_id=parent_id,
            name=row.name[:100],
            email=row.email,
            website=row.website[:200],
            body=row.body,
            status=row.status,
            created=row.created,
            ip_hash=ip_hash(row.ip_address),
        )

    with transaction.atomic():
        # Two queries however deep the thread: every new comment first, then the replies'
        # parents once every pk is known.
        created = Comment.objects.bulk_create([build(row) for row in waiting], batch_size=500)
        for row, comment in zip(waiting, created, strict=True):
            made[row.key] = comment.pk
        replies = []
        for row, comment in zip(waiting, created, strict=True):
            if row.parent_key in made and made[row.parent_key] != comment.pk:
                comment.parent_id = made[row.parent_key]
                replies.append(comment)
        if replies:
            Comment.objects.bulk_update(replies, ["parent_id"], batch_size=500)
        # A reader's erasure outlives any re-import: an erased comment is never rewritten.
        erased = set(
            Comment.objects.filter(
                pk__in=[row.pk for row in rows if row.pk is not None], erased_at__isnull=False
            ).values_list("pk", flat=True)
        )
        existing = [build(row) for row in rows if row.pk is not None and row.pk not in erased]
        if existing:
            Comment.objects.bulk_update(existing, IMPORT_FIELDS, batch_size=500)
        if created or existing:  # bulk writes send no signal
            content_changed()
    return made


def comments_erase(*, email: str) -> dict[str, int]:
    """Erase what comments hold about `email` (a data request): {"anonymised": n, "deleted": n}.

    Published comments stay in their threads, so the replies that answer them still make
    sense, but are signed "A reader" with no address, website, IP hash or user agent, and
    the address is taken out of every comment's words. Comments never shown (held, spam, removed)
    have no one answering them on the page, so they are deleted.
    """
    email = email.strip()
    if not email:
        return {"anonymised": 0, "deleted": 0}
    with transaction.atomic():
        theirs = Comment.objects.by_email(email)
        deleted, _by_model = theirs.exclude(status=Comment.Status.APPROVED).delete()
        with translation.override(settings.LANGUAGE_CODE):
            signature, removed = str(_("A reader")), str(_("[address removed]"))
        # Anyone's comment may quote the address: it goes from every body.
        mention = re.compile(re.escape(email), re.IGNORECASE)
        quoting = list(Comment.objects.filter(body__icontains=email).only("pk", "body"))
        for comment in quoting:
            Comment.objects.filter(pk=comment.pk).update(body=mention.sub(removed, comment.body))
        anonymised = theirs.update(
            name=signature,
            email="",
            website="",
            ip_hash="",
            user_agent="",
            notify_replies=False,
            erased_at=timezone.now(),
        )
        if anonymised or quoting:  # their name and address leave every page at once
            content_changed()
    return {"anonymised": anonymised, "deleted": deleted}


def comments_purge(*, before: datetime.datetime) -> int:
    """Blank the IP-address hashes and user agents of comments posted before `before`."""
    return (
        Comment.objects.filter(created__lt=before)
        .exclude(ip_hash="", user_agent="")
        .update(ip_hash="", user_agent="")
    )
