"""The subscriptions plug-in's charts on the admin index, by week: subscribers gained and
lost, digest deliveries sent and failed."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dashboard import Chart, Series, daily_counts, register_chart
from subscriptions.models import Delivery, Subscriber


def subscribers_chart(request) -> Chart | None:
    if not request.user.has_perm("subscriptions.view_subscriber"):
        return None
    gained = daily_counts(
        Subscriber.objects.filter(confirmed_at__isnull=False), "created_at", n=Count("pk")
    )
    lost = daily_counts(Subscriber.objects.all(), "unsubscribed_at", n=Count("pk"))
    link = reverse("admin:subscriptions_subscriber_changelist")
    left = Subscriber.Status.UNSUBSCRIBED
    return Chart(
        title=_("Subscribers gained and lost"),
        series=[
            Series(_("Gained"), gained["n"], link=link, date_field="created_at"),
            Series(
                _("Lost"),
                lost["n"],
                link=f"{link}?status__exact={left}",
                date_field="unsubscribed_at",
            ),
        ],
    )


def deliveries_chart(request) -> Chart | None:
    if not request.user.has_perm("subscriptions.view_delivery"):
        return None
    sent, failed = Delivery.Status.SENT, Delivery.Status.FAILED
    counts = daily_counts(
        Delivery.objects.filter(digest__isnull=False),
        "created_at",
        sent=Count("pk", filter=Q(status=sent)),
        failed=Count("pk", filter=Q(status=failed)),
    )
    link = reverse("admin:subscriptions_delivery_changelist") + "?digest__isnull=False"
    return Chart(
        title=_("Digest deliveries sent and failed"),
        series=[
            Series(
                _("Sent"),
                counts["sent"],
                link=f"{link}&status__exact={sent}",
                date_field="created_at",
            ),
            Series(
                _("Failed"),
                counts["failed"],
                link=f"{link}&status__exact={failed}",
                date_field="created_at",
            ),
        ],
    )


def register() -> None:
    register_chart("subscribers", build=subscribers_chart, order=30)
    register_chart("deliveries", build=deliveries_chart, order=40)
