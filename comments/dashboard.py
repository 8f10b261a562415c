"""The comments plug-in's chart on the admin index: comments received and held, by week."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from comments.models import Comment
from core.dashboard import Chart, Series, daily_counts, register_chart


def comments_chart(request) -> Chart | None:
    if not request.user.has_perm("comments.view_comment"):
        return None
    held = Comment.Status.PENDING
    counts = daily_counts(
        Comment.objects.all(),
        "created",
        received=Count("pk"),
        held=Count("pk", filter=Q(status=held)),
    )
    link = reverse("admin:comments_comment_changelist")
    return Chart(
        title=_("Comments received and held for moderation"),
        series=[
            Series(_("Received"), counts["received"], link=link, date_field="created"),
            Series(
                _("Held"), counts["held"], link=f"{link}?status__exact={held}", date_field="created"
            ),
        ],
    )


def register() -> None:
    register_chart("comments", build=comments_chart, order=20)
