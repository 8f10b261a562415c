import csv
import logging

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.dashboard import register_panel
from subscriptions.models import (
    Announcement,
    Delivery,
    Digest,
    Follow,
    InspectionAnnouncement,
    Subscriber,
)
from subscriptions.services import (
    deliveries_retry,
    digest_send_test,
    subscribers_erase,
    subscribers_resend_confirmation,
)

logger = logging.getLogger(__name__)

CSV_COLUMNS = [
    "email",
    "status",
    "frequency",
    "tags",
    "created_at",
    "confirmed_at",
    "unsubscribed_at",
    "bounce_count",
    "language",
]


def _count(queryset, field: str):
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _cell(value) -> str:
    """A CSV cell that spreadsheets will not run as a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


class FollowInline(admin.TabularInline):
    model = Follow
    extra = 0
    fields = ["kind", "target_id", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "status",
        "frequency",
        "language",
        "tag_list",
        "created_at",
        "confirmed_at",
        "bounce_count",
    ]
    list_filter = ["status", "frequency", "language", "created_at"]
    search_fields = ["email"]
    autocomplete_fields = ["tags"]
    readonly_fields = ["created_at", "confirmed_at", "unsubscribed_at"]
    inlines = [FollowInline]
    fields = [
        "email",
        "status",
        "frequency",
        "language",
        "everything",
        "tags",
        "bounce_count",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    actions = ["export_csv", "resend_confirmation", "rotate_tokens"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    @admin.display(description=_("tags"))
    def tag_list(self, subscriber):
        return ", ".join(tag.name for tag in subscriber.tags.all()) or "—"

    @admin.action(description=_("Export selected subscribers as CSV"))
    def export_csv(self, request, queryset):
        writer = csv.writer(_Echo())

        def rows():
            yield writer.writerow(CSV_COLUMNS)
            for subscriber in queryset.order_by("pk").iterator(chunk_size=2000):
                yield writer.writerow(
                    _cell(value)
                    for value in [
                        subscriber.email,
                        subscriber.status,
                        subscriber.frequency,
                        " ".join(tag.name for tag in subscriber.tags.all()),
                        subscriber.created_at.isoformat(),
                        subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else "",
                        (
                            subscriber.unsubscribed_at.isoformat()
                            if subscriber.unsubscribed_at
                            else ""
                        ),
                        subscriber.bounce_count,
                        subscriber.language,
                    ]
                )

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
        return response

    @admin.action(description=_("Resend the confirmation email (pending subscribers)"))
    def resend_confirmation(self, request, queryset):
        count = subscribers_resend_confirmation(subscribers=queryset)
        self.message_user(
            request,
            ngettext(
                "Queued %(count)d confirmation email.",
                "Queued %(count)d confirmation emails.",
                count,
            )
            % {"count": count},
        )

    @admin.action(description=_("Invalidate the links in emails sent so far"))
    def rotate_tokens(self, request, queryset):
        subscribers = list(queryset)
        for subscriber in subscribers:
            subscriber.rotate_token()
        self.message_user(request, _("New links for %(count)d.") % {"count": len(subscribers)})

    # Deleting a subscriber (a data-erasure request) removes their deliveries too.
    def delete_model(self, request, obj):
        subscribers_erase(subscribers=Subscriber.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        subscribers_erase(subscribers=queryset)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "subscriber",
        "what",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "error",
    ]
    list_filter = ["status", "digest__period", "created_at"]
    list_select_related = ["subscriber", "digest", "article", "inspection"]
    search_fields = ["subscriber__email", "message_id"]
    raw_id_fields = ["subscriber", "digest", "article", "inspection"]
    readonly_fields = [
        "subscriber",
        "digest",
        "article",
        "inspection",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "claim",
        "sent_at",
        "last_error",
        "message_id",
        "created_at",
    ]
    actions = ["retry"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("email"))
    def what(self, delivery):
        if delivery.digest_id:
            return str(delivery.digest)
        return str(delivery.article) if delivery.article_id else str(delivery.inspection)

    @admin.display(description=_("last error"))
    def error(self, delivery):
        return delivery.last_error[:80]

    @admin.action(description=_("Send again (failed or cancelled deliveries)"))
    def retry(self, request, queryset):
        count = deliveries_retry(deliveries=queryset)
        self.message_user(request, _("%(count)d delivery(ies) queued again.") % {"count": count})


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "period",
        "since",
        "until",
        "article_count",
        "sent",
        "waiting",
        "failed",
    ]
    list_filter = ["period"]
    date_hierarchy = "until"
    readonly_fields = [
        "period",
        "sequence",
        "since",
        "until",
        "prepared_at",
        "articles",
        "inspections",
    ]
    actions = ["send_test_to_me"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        # Subqueries, not joins: a digest has one delivery per subscriber.
        return (
            super()
            .get_queryset(request)
            .annotate(
                article_count=_count(Digest.articles.through.objects, "digest"),
                sent=_count(Delivery.objects.filter(status=Delivery.Status.SENT), "digest"),
                waiting=_count(Delivery.objects.waiting(), "digest"),
                failed=_count(Delivery.objects.filter(status=Delivery.Status.FAILED), "digest"),
            )
        )

    @admin.display(description=_("articles"), ordering="article_count")
    def article_count(self, digest):
        return digest.article_count

    @admin.display(description=_("sent"))
    def sent(self, digest):
        return digest.sent

    @admin.display(description=_("waiting"))
    def waiting(self, digest):
        return digest.waiting

    @admin.display(description=_("failed"))
    def failed(self, digest):
        return digest.failed

    @admin.action(description=_("Send a test of the latest selected digest to me"))
    def send_test_to_me(self, request, queryset):
        digest = queryset.order_by("-until", "-pk").first()
        if not request.user.email:
            self.message_user(request, _("Your account has no email address."), messages.ERROR)
            return
        try:
            digest_send_test(digest=digest, to=request.user.email)
        except Exception as error:  # the editor should see why, whatever went wrong
            logger.exception("Test digest failed")
            self.message_user(
                request, _("Could not send: %(error)s") % {"error": error}, messages.ERROR
            )
            return
        self.message_user(
            request,
            _("Sent %(digest)s to %(email)s.") % {"digest": digest, "email": request.user.email},
        )


class _AnnouncementAdmin(admin.ModelAdmin):
    """Announcements are written by the site; editors only read them."""

    date_hierarchy = "announced_at"

    def __init__(self, model, admin_site):
        item = model.item_field
        self.list_display = [item, "announced_at"]
        self.list_select_related = [item]
        self.readonly_fields = [item, "announced_at"]
        super().__init__(model, admin_site)

    def has_add_permission(self, request):
        return False


admin.site.register(Announcement, _AnnouncementAdmin)
admin.site.register(InspectionAnnouncement, _AnnouncementAdmin)


def digest_panel(request) -> dict | None:
    """The last digest and how its deliveries stand, by status."""
    if not request.user.has_perm("subscriptions.view_delivery"):
        return None
    digest = Digest.objects.order_by("-until", "-pk").first()
    statuses = []
    if digest is not None:
        statuses = [
            (Delivery.Status(row["status"]).label, row["n"])
            for row in Delivery.objects.filter(digest=digest)
            .values("status")
            .annotate(n=Count("pk"))
            .order_by("status")
        ]
    return {"digest": digest, "statuses": statuses}


register_panel(
    "subscriptions-digest",
    build=digest_panel,
    template="admin/subscriptions/_dashboard_panel.html",
    order=30,
)
