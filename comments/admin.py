from django.contrib import admin, messages
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.models import Comment
from comments.services import comment_moderate
from core.dashboard import head_and_count, register_panel


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["name", "excerpt", "target_link", "status", "created"]
    list_display_links = ["name", "excerpt"]
    list_filter = [
        "status",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "language",
        "created",
    ]
    search_fields = ["name", "email", "website", "body"]
    date_hierarchy = "created"
    list_per_page = 50
    actions = ["approve", "mark_spam", "remove"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        "status",
        "target_link",
        "parent",
        "name",
        "email",
        "website",
        "body",
        "language",
        "notify_replies",
        "created",
        "spam_reason",
        "ip_hash",
        "user_agent",
        "reply_notified_at",
    ]
    readonly_fields = [
        "target_link",
        "parent",
        "created",
        "spam_reason",
        "ip_hash",
        "user_agent",
        "reply_notified_at",
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("content_type").prefetch_related("target")
        )

    def get_ordering(self, request):
        """Pending comments first, newest first within each group."""
        pending_first = Case(
            When(status=Comment.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return [pending_first.asc(), "-created", "-pk"]

    def has_add_permission(self, request):
        return False  # comments come from readers

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.erased_at:  # its author's data stays erased
            return [*self.readonly_fields, "name", "email", "website"]
        return self.readonly_fields

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(80)

    @admin.display(description=_("on"))
    def target_link(self, comment):
        target = comment.target
        if target is None:
            return _("(deleted)")
        return format_html('<a href="{}">{}</a>', target.get_absolute_url(), target)

    def save_model(self, request, obj, form, change):
        # A status change goes through the moderation service, like the bulk actions.
        new_status = obj.status
        if change and "status" in form.changed_data:
            obj.status = form.initial["status"]
        super().save_model(request, obj, form, change)
        if obj.status != new_status:
            comment_moderate(comments=[obj], status=new_status)
            obj.status = new_status

    def _moderate(self, request, queryset, status, message):
        changed = comment_moderate(comments=queryset, status=status)
        self.message_user(request, message(changed) % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.APPROVED,
            lambda n: ngettext("%(count)d comment approved.", "%(count)d comments approved.", n),
        )

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.SPAM,
            lambda n: ngettext(
                "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", n
            ),
        )

    @admin.action(description=_("Remove selected comments"), permissions=["change"])
    def remove(self, request, queryset):
        self._moderate(
            request,
            queryset,
            Comment.Status.REMOVED,
            lambda n: ngettext("%(count)d comment removed.", "%(count)d comments removed.", n),
        )


def comment_panel(request) -> dict | None:
    """The newest comments waiting for moderation."""
    if not request.user.has_perm("comments.view_comment"):
        return None
    pending, pending_count = head_and_count(
        Comment.objects.filter(status=Comment.Status.PENDING)
        .only("pk", "name", "body", "created")
        .order_by("-created")
    )
    return {"pending": pending, "pending_count": pending_count}


register_panel(
    "comments-pending",
    build=comment_panel,
    template="admin/comments/_dashboard_panel.html",
    order=20,
)
