"""What comments attaches to the pages of commentable content (see core/slots.py)."""

from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments.models import comment_feed_url, with_comment_counts
from comments.views import comment_section
from core.content import registry
from core.slots import shared


def _commentable(obj) -> bool:
    kind = registry.for_model(obj) if obj is not None else None
    return kind is not None and kind.commentable


# The same for every anonymous reader but one answering a comment (`?replytocom=`); the form's
# signed start time is restamped on each page (comments.forms.restamp).
@shared(unless=lambda request: "replytocom" in request.GET)
def section(context, obj, **options) -> str:
    """The thread and the comment form under a commentable object (one query)."""
    if not _commentable(obj):
        return ""
    return render_to_string(
        "comments/_section.html",
        {"section": comment_section(context["request"], obj)},
    )


@shared
def feed_link(context, obj, **options) -> str:
    """<link rel="alternate"> to the object's own comment feed."""
    url = comment_feed_url(obj) if _commentable(obj) else ""
    if not url:
        return ""
    title = _("Comments on “%(title)s”") % {"title": obj}
    return format_html(
        '<link rel="alternate" type="application/rss+xml" title="{}" href="{}">', title, url
    )


def card_count(context, obj, **options) -> str:
    """'3 Responses' under a listing card, from the count the listing query annotated."""
    count = getattr(obj, "comment_count", None)
    if count is None:
        return ""
    # Ten of these on a listing page: formatted here rather than through a template.
    if count:
        label = ngettext("One Response", "%(counter)s Responses", count) % {"counter": count}
    else:
        label = _("No responses")
    return format_html(
        '<p class="card__comments"><a href="{}#comments">{}</a></p>',
        obj.get_absolute_url(),
        label,
    )


def annotate_counts(queryset):
    """Listings of commentable kinds carry their approved-comment count (same query)."""
    kind = registry.for_model(queryset.model)
    if kind is None or not kind.commentable:
        return queryset
    return with_comment_counts(queryset)
