import tempfile
import uuid
from pathlib import Path

from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from inspections.forms import FindingInlineFormSet, InspectionAdminForm, InspectionImportForm
from inspections.imports import ImportFailed
from inspections.models import (
    Finding,
    InspectedOrganisation,
    Inspection,
    InspectionVersion,
    Inspectorate,
    Measure,
    Operator,
    Organisation,
    Programme,
    RatingLevel,
    RatingScale,
    Recommendation,
    Score,
    Theme,
)
from inspections.preview import preview_token
from inspections.services import (
    inspections_import,
    inspections_publish,
    inspections_submit,
    inspections_unpublish,
)
from inspections.versions import (
    inspection_version_record,
    inspection_version_restore,
    version_changes,
)

# Django 6 makes https the default scheme for typed-in addresses; use it now (no warning).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Inspectorate)
class InspectorateAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


class RatingLevelInline(admin.TabularInline):
    model = RatingLevel
    extra = 0
    prepopulated_fields = {"slug": ["label"]}


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "inspectorate"]
    list_filter = ["inspectorate"]
    list_select_related = ["inspectorate"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RatingLevelInline]


@admin.register(RatingLevel)
class RatingLevelAdmin(admin.ModelAdmin):
    list_display = ["label", "scale", "rank", "points", "tone"]
    list_filter = ["scale__inspectorate", "scale"]
    list_select_related = ["scale"]
    search_fields = ["label", "scale__name"]
    ordering = ["scale__name", "-rank"]

    def get_search_results(self, request, queryset, search_term):
        # The inspection form's rating pickers show the scale too, so same words stay apart.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("scale"), may_have_duplicates


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "inspectorate", "start", "end", "rating_scale"]
    list_filter = ["inspectorate"]
    list_select_related = ["inspectorate", "rating_scale"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ThemeInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "programme", "order"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["code", "name"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["label", "programme", "slug", "order"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name", "website"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "operator", "area", "active_from", "active_to"]
    list_filter = ["kind", "operator"]
    list_select_related = ["operator"]
    search_fields = ["name", "short_name", "area"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["operator"]


class InspectedOrganisationInline(admin.TabularInline):
    model = InspectedOrganisation
    extra = 0
    autocomplete_fields = ["organisation", "overall_rating"]
    fields = ["organisation", "role", "overall_rating", "caseload", "caseload_note", "order"]


class FindingInline(admin.StackedInline):
    # Plain selects of the inspection's own organisations and themes (FindingInlineFormSet):
    # short lists a keyboard walks through, and each read once for every row.
    model = Finding
    formset = FindingInlineFormSet
    extra = 0
    fields = [("organisation", "theme", "polarity", "order"), "text", "tags"]
    classes = ["ordered-inline"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    autocomplete_fields = ["organisation", "measure", "rating"]
    fields = ["organisation", "measure", "percentage", "rating", "count", "approximate", "note"]


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    autocomplete_fields = ["addressed_to"]
    fields = [("addressed_to", "addressed_to_other", "order"), "text", "note"]


class PublishedYearFilter(admin.SimpleListFilter):
    title = _("year published")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = (
            Inspection.objects.annotate(year=ExtractYear("published_on"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.published_in(int(self.value()))
        return queryset


def status_badge(inspection: Inspection) -> str:
    """The short state an editor scans for: Draft, In review, Scheduled for …, Published."""
    if inspection.is_scheduled:
        when = date_format(timezone.localtime(inspection.live_at), "j M H:i")
        return format_html(
            '<span class="status-badge status-badge--scheduled">{}</span>',
            _("Scheduled for %(when)s") % {"when": when},
        )
    labels = {
        Inspection.Status.DRAFT: _("Draft"),
        Inspection.Status.REVIEW: _("In review"),
        Inspection.Status.PUBLISHED: _("Published"),
    }
    return format_html(
        '<span class="status-badge status-badge--{}">{}</span>',
        inspection.status,
        labels.get(inspection.status, inspection.status),
    )


VERSIONS_PER_PAGE = 50


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    form = InspectionAdminForm
    formfield_overrides = HTTPS_URLS
    list_display = [
        "title",
        "status_badge",
        "inspectorate_name",
        "published_on",
    ]
    list_filter = ["status", "inspectorate", "programme", PublishedYearFilter]
    list_select_related = ["inspectorate"]
    list_per_page = 50
    search_fields = ["title", "area", "summary", "organisations__name", "organisations__short_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["inspectorate", "programme", "follows"]
    date_hierarchy = "published_on"
    actions = ["submit_for_review", "publish", "unpublish"]
    inlines = [InspectedOrganisationInline, FindingInline, ScoreInline, RecommendationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "inspectorate",
                    "programme",
                    "area",
                    "summary",
                    "language",
                ]
            },
        ),
        (_("Publishing"), {"fields": ["status", "live_at"]}),
        (
            _("Dates"),
            {
                "fields": [
                    ("published_on", "date_precision"),
                    ("fieldwork_start", "fieldwork_end", "fieldwork_precision"),
                    "fieldwork_note",
                ]
            },
        ),
        (_("Links"), {"fields": ["report_url", "press_release_url", "follows"]}),
        (_("Quote"), {"fields": ["quote", "quote_attribution", "quote_context"]}),
        (_("About this record"), {"fields": ["record_note"]}),
        (_("Filing"), {"fields": ["tags", "comments_open"]}),
    ]

    class Media:
        css = {"all": ["css/admin-inspections.css"]}
        js = ["js/admin-inspection-findings.js"]

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, inspection):
        return status_badge(inspection)

    @admin.display(description=_("inspectorate"), ordering="inspectorate__name")
    def inspectorate_name(self, inspection):
        return inspection.inspectorate.display_name

    # Roles: editors hold inspections.publish_inspection; authors draft and submit for review,
    # and what is on the site (or scheduled) changes only through an editor.

    @staticmethod
    def can_publish(request) -> bool:
        return request.user.has_perm("inspections.publish_inspection")

    def has_publish_permission(self, request):
        return self.can_publish(request)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or self.can_publish(request) or obj.status != Inspection.Status.PUBLISHED

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or self.can_publish(request) or obj.status != Inspection.Status.PUBLISHED

    def get_readonly_fields(self, request, obj=None):
        return [] if self.can_publish(request) else ["live_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"can_publish": self.can_publish(request)})

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_published else None

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # After the inlines, so the version holds the findings and scores just entered.
        inspection_version_record(inspection=form.instance, user=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if str(object_id).isdigit():
            extra_context["preview_url"] = reverse(
                "inspections:inspection-preview", kwargs={"token": preview_token(object_id)}
            )
            extra_context["versions_url"] = reverse(
                "admin:inspections_inspection_versions", kwargs={"object_id": object_id}
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.can_publish(request) and self.has_add_permission(request):
            extra_context["import_url"] = reverse("admin:inspections_inspection_import")
        return super().changelist_view(request, extra_context)

    # Bulk actions, each through a service.

    @admin.action(description=_("Send selected inspections for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = inspections_submit(inspections=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d inspection sent for review.",
                "%(count)d inspections sent for review.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Publish selected inspections"), permissions=["publish"])
    def publish(self, request, queryset):
        count = inspections_publish(inspections=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d inspection published (or scheduled, where its time is ahead).",
                "%(count)d inspections published (or scheduled, where their time is ahead).",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish selected inspections"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = inspections_unpublish(inspections=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d inspection taken off the site.",
                "%(count)d inspections taken off the site.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    # History, and importing open data.

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="inspections_inspection_import"),
            path(
                "<path:object_id>/versions/",
                view(self.versions_view),
                name="inspections_inspection_versions",
            ),
            path(
                "<path:object_id>/versions/<int:version_id>/restore/",
                view(self.restore_view),
                name="inspections_inspection_version_restore",
            ),
            *super().get_urls(),
        ]

    def _inspection_or_deny(self, request, object_id, change=False):
        inspection = self.get_object(request, object_id)
        if inspection is None:
            raise Http404
        allowed = (
            self.has_change_permission(request, inspection)
            if change
            else self.has_view_or_change_permission(request, inspection)
        )
        if not allowed:
            raise PermissionDenied
        return inspection

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, **extra}

    def versions_view(self, request, object_id):
        """Every saved version, newest first; two chosen ones compared word by word."""
        inspection = self._inspection_or_deny(request, object_id)
        versions = inspection.versions.select_related("created_by").defer("data")
        page = Paginator(versions, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
        old, new, changes = None, None, []
        wanted = [request.GET.get("old", ""), request.GET.get("new", "")]
        if all(value.isdigit() for value in wanted):
            found = {
                v.pk: v
                for v in inspection.versions.filter(pk__in=wanted).select_related("created_by")
            }
            if len(found) == len(set(wanted)) == 2:
                old, new = found[int(wanted[0])], found[int(wanted[1])]
                if (old.created_at, old.pk) > (new.created_at, new.pk):
                    old, new = new, old
                changes = version_changes(old.data, new.data)
        latest = inspection.versions.values_list("pk", flat=True).first()
        context = self._context(
            request,
            title=_("Versions of “%(title)s”") % {"title": inspection.title},
            inspection=inspection,
            subject=inspection,
            stylesheet="css/admin-inspections.css",
            changes_template="admin/inspections/inspection/_changes.html",
            restore_url_name="admin:inspections_inspection_version_restore",
            versions=page.object_list,
            page_obj=page,
            latest_pk=latest,
            old=old,
            new=new,
            changes=changes,
            can_restore=self.has_change_permission(request, inspection),
        )
        return TemplateResponse(request, "admin/versions.html", context)

    def restore_view(self, request, object_id, version_id):
        inspection = self._inspection_or_deny(request, object_id, change=True)
        version = get_object_or_404(InspectionVersion, pk=version_id, inspection=inspection)
        if request.method == "POST":
            try:
                inspection_version_restore(version=version, user=request.user)
            except ValidationError as exc:
                self.message_user(
                    request,
                    _("The version could not be restored: %(reason)s")
                    % {"reason": " ".join(exc.messages)},
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("The version was restored."), messages.SUCCESS)
            return redirect("admin:inspections_inspection_change", object_id=inspection.pk)
        latest = inspection.versions.exclude(pk=version.pk).first()
        context = self._context(
            request,
            title=_("Restore this version?"),
            inspection=inspection,
            version=version,
            changes=version_changes(latest.data, version.data) if latest else [],
        )
        return TemplateResponse(
            request, "admin/inspections/inspection/version_restore.html", context
        )

    def import_view(self, request):
        """Upload open-data files, read the dry run's report, then confirm: all or nothing.

        The dry run keeps the uploaded files in the cache for an hour, for this user only,
        so "Import" writes exactly what was checked without uploading again.
        """
        if not (self.can_publish(request) and self.has_add_permission(request)):
            raise PermissionDenied
        posted = request.method == "POST"
        form = InspectionImportForm(
            request.POST if posted else None, request.FILES if posted else None
        )
        report, problems, token, publish, expired = None, [], "", False, False
        if request.method == "POST" and "_confirm" in request.POST:
            token = request.POST.get("token", "")
            held = cache.get(IMPORT_CACHE_PREFIX + token) if token.isalnum() else None
            form = InspectionImportForm()
            if held is None or held["user"] != request.user.pk:
                expired, token = True, ""
            else:
                try:
                    report = _import_files(held["files"], dry_run=False, publish=held["publish"])
                except ImportFailed as exc:
                    problems = exc.problems
                else:
                    cache.delete(IMPORT_CACHE_PREFIX + token)
                    self.message_user(
                        request,
                        _("Imported: %(summary)s") % {"summary": "; ".join(report.lines())},
                        messages.SUCCESS,
                    )
                    return redirect("admin:inspections_inspection_changelist")
        elif request.method == "POST" and form.is_valid():
            files = {Path(u.name).name: b"".join(u.chunks()) for u in form.cleaned_data["files"]}
            publish = form.cleaned_data["publish"]
            try:
                report = _import_files(files, dry_run=True, publish=publish)
            except ImportFailed as exc:
                problems = exc.problems
            else:
                token = uuid.uuid4().hex
                held = {"user": request.user.pk, "files": files, "publish": publish}
                cache.set(IMPORT_CACHE_PREFIX + token, held, IMPORT_HOLD_SECONDS)
        context = self._context(
            request,
            title=_("Import open-data files"),
            form=form,
            report=report,
            token=token,
            publish=publish,
            expired=expired,
            problems=problems[:MAX_PROBLEMS_SHOWN],
            more_problems=max(0, len(problems) - MAX_PROBLEMS_SHOWN),
        )
        return TemplateResponse(request, "admin/inspections/inspection/import.html", context)


IMPORT_CACHE_PREFIX = "inspections:import:"
IMPORT_HOLD_SECONDS = 60 * 60
MAX_PROBLEMS_SHOWN = 200


def _import_files(files: dict[str, bytes], *, dry_run: bool, publish: bool):
    """Run the importer on uploaded files; it reads paths and reports `name:line`, so each
    is written under its own name in a folder of its own, and the report names the upload."""
    with tempfile.TemporaryDirectory(prefix="inspections-import-") as folder:
        paths = []
        for name, content in files.items():
            target = Path(folder) / name
            target.write_bytes(content)
            paths.append(target)
        try:
            return inspections_import(paths=paths, dry_run=dry_run, publish=publish)
        except ImportFailed as exc:
            exc.problems = [problem.replace(f"{folder}/", "") for problem in exc.problems]
            raise


class InspectionRowAdmin(admin.ModelAdmin):
    """A row of an inspection edited on its own page: like the inspection itself, rows of a
    published (or scheduled) inspection change only through an editor."""

    def _may_touch(self, request, obj) -> bool:
        return (
            obj is None
            or InspectionAdmin.can_publish(request)
            or obj.inspection.status != Inspection.Status.PUBLISHED
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_touch(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "inspection" and not InspectionAdmin.can_publish(request):
            kwargs["queryset"] = Inspection.objects.exclude(status=Inspection.Status.PUBLISHED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(InspectedOrganisation)
class InspectedOrganisationAdmin(InspectionRowAdmin):
    list_display = ["organisation", "inspection", "role", "overall_rating"]
    list_filter = ["role", "inspection__inspectorate"]
    list_select_related = ["organisation", "inspection", "overall_rating__scale"]
    search_fields = ["organisation__name", "inspection__title"]
    autocomplete_fields = ["inspection", "organisation", "overall_rating"]


@admin.register(Finding)
class FindingAdmin(InspectionRowAdmin):
    list_display = ["__str__", "inspection", "organisation", "theme", "polarity"]
    list_filter = ["polarity", "inspection__inspectorate"]
    list_select_related = ["inspection", "organisation", "theme"]
    search_fields = ["text", "inspection__title"]
    autocomplete_fields = ["inspection", "organisation", "theme"]


@admin.register(Score)
class ScoreAdmin(InspectionRowAdmin):
    list_display = ["measure", "organisation", "inspection", "percentage", "rating", "count"]
    list_filter = ["inspection__inspectorate", "measure__programme"]
    list_select_related = ["measure", "organisation", "inspection", "rating__scale"]
    search_fields = ["measure__name", "organisation__name", "inspection__title"]
    autocomplete_fields = ["inspection", "organisation", "measure", "rating"]


@admin.register(Recommendation)
class RecommendationAdmin(InspectionRowAdmin):
    list_display = ["__str__", "inspection", "order"]
    list_select_related = ["inspection"]
    search_fields = ["text", "inspection__title"]
    autocomplete_fields = ["inspection", "addressed_to"]
