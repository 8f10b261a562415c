"""What comments registers with the ground floor: the personal data it holds
(core.personal_data)."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from comments.models import Comment
from comments.services import comments_erase, comments_purge
from core.personal_data import Holding, PersonalData, retention_days
from core.site import absolute_url


def describe(email: str) -> str:
    count = Comment.objects.by_email(email).count()
    if not count:
        return ""
    return ngettext("%(count)d comment", "%(count)d comments", count) % {"count": count}


def export(email: str) -> list[dict[str, Any]]:
    """Every comment left with `email`, with what was stored alongside it."""
    comments = (
        Comment.objects.by_email(email)
        .select_related("content_type")
        .prefetch_related("target")
        .order_by("created", "pk")
    )
    rows = []
    for comment in comments:
        target = comment.target
        rows.append(
            {
                "id": comment.pk,
                "on": str(target) if target is not None else None,
                "url": absolute_url(comment.get_absolute_url()) if target is not None else None,
                "in_reply_to": comment.parent_id,
                "name": comment.name,
                "email": comment.email,
                "website": comment.website,
                "comment": comment.body,
                "status": comment.status,
                "created": comment.created.isoformat(),
                "email_replies": comment.notify_replies,
                "interface_language": comment.language,
                "ip_address_hash": comment.ip_hash,
                "user_agent": comment.user_agent,
            }
        )
    return rows


def _days(days: int) -> str:
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


def notice() -> list[Holding]:
    cookie_days = settings.COMMENTS_COOKIE_MAX_AGE // (60 * 60 * 24)
    return [
        Holding(
            what=_("Your name, email address, website (if you give one) and your comment."),
            why=_(
                "To show your comment with your name, to hold it for moderation, and to email "
                "you about replies if you ask. Your email address is never shown."
            ),
            kept=_(
                "As long as the comment is on the site, or until you ask us to erase it: then "
                "a published comment stays in its thread signed “A reader”, without your name, "
                "address or website, and any other comment of yours is deleted."
            ),
        ),
        Holding(
            what=_(
                "A keyed hash of your IP address (never the address itself), and your "
                "browser's user agent."
            ),
            why=_("To spot spam and abuse."),
            kept=_days(retention_days()),
        ),
        Holding(
            what=_(
                "If you tick “Remember me”: your name, email and website, in a cookie on "
                "your own browser only."
            ),
            why=_("To fill in the comment form for you next time."),
            kept=_days(cookie_days),
        ),
    ]


PERSONAL_DATA = PersonalData(
    key="comments",
    label=gettext_lazy("Comments"),
    describe=describe,
    export=export,
    erase=lambda email: comments_erase(email=email),
    purge=lambda before: comments_purge(before=before),
    notice=notice,
    on_erase=gettext_lazy(
        "Your published comments stay in their threads, so that replies still make sense, "
        "but signed “A reader”, without your name, address or website. Your other comments "
        "are deleted."
    ),
    order=10,
)
