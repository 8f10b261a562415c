"""What each WordPress import brought over, read-only: the runs with their reports, and each
WordPress item with the object it became here. Rows are written by `import_wordpress` alone
(deleting one would make the next run import that item again)."""

from django.contrib import admin
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wordpress.models import ImportedItem, ImportRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "export", "source", "finished_at", "items_link"]
    list_filter = ["source"]
    search_fields = ["export", "source"]
    date_hierarchy = "started_at"
    fields = ["source", "export", "started_at", "finished_at", "summary"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("items created or changed"), ordering="item_count")
    def items_link(self, run):
        url = reverse("admin:wordpress_importeditem_changelist") + f"?run__id__exact={run.pk}"
        return format_html('<a href="{}">{}</a>', url, run.item_count)


@admin.register(ImportedItem)
class ImportedItemAdmin(ReadOnlyAdmin):
    list_display = ["wp_id", "kind", "old_address", "imported_as", "run", "imported_at"]
    list_display_links = None
    list_filter = ["kind", "run", "source"]
    # A number finds the WordPress ID; any text, the old address or GUID that holds it.
    search_fields = ["wp_id__exact", "old_url", "guid"]
    search_help_text = _("A WordPress ID, or part of an old address or GUID.")
    ordering = ["kind", "wp_id"]
    list_select_related = ["run"]
    list_per_page = 100
    fields = [
        "source", "kind", "wp_id", "old_url", "guid", "imported_as", "path", "run",
        "imported_at",
    ]  # fmt: skip
    readonly_fields = ["imported_as"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")

    @admin.display(description=_("old address"), ordering="old_url")
    def old_address(self, item):
        return item.old_url or item.path or "—"

    @admin.display(description=_("imported as"))
    def imported_as(self, item):
        if item.content_type_id is None:
            return item.path or "—"
        target = item.target
        if target is None:
            return _("deleted here since it was imported")
        try:
            url = reverse(
                f"admin:{target._meta.app_label}_{target._meta.model_name}_change",
                args=[target.pk],
            )
        except NoReverseMatch:
            url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
        label = f"{target._meta.verbose_name}: {target}"
        return format_html('<a href="{}">{}</a>', url, label) if url else label
