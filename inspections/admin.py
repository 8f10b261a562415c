from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from inspections.models import (
    Finding,
    InspectedOrganisation,
    Inspection,
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
    model = Finding
    extra = 0
    autocomplete_fields = ["organisation", "theme"]
    fields = [("organisation", "theme", "polarity", "order"), "text", "tags"]


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


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = [
        "title",
        "inspectorate",
        "programme",
        "published_on",
        "date_precision",
        "organisation_count",
    ]
    list_filter = ["inspectorate", "programme", PublishedYearFilter]
    list_select_related = ["inspectorate", "programme"]
    search_fields = ["title", "area", "summary", "organisations__name", "organisations__short_name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["inspectorate", "programme", "follows"]
    date_hierarchy = "published_on"
    inlines = [InspectedOrganisationInline, FindingInline, ScoreInline, RecommendationInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "inspectorate", "programme", "area", "summary"]}),
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

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_organisation_count=Count("inspected"))

    @admin.display(description=_("organisations"), ordering="_organisation_count")
    def organisation_count(self, inspection):
        return inspection._organisation_count


@admin.register(InspectedOrganisation)
class InspectedOrganisationAdmin(admin.ModelAdmin):
    list_display = ["organisation", "inspection", "role", "overall_rating"]
    list_filter = ["role", "inspection__inspectorate"]
    list_select_related = ["organisation", "inspection", "overall_rating__scale"]
    search_fields = ["organisation__name", "inspection__title"]
    autocomplete_fields = ["inspection", "organisation", "overall_rating"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "inspection", "organisation", "theme", "polarity"]
    list_filter = ["polarity", "inspection__inspectorate"]
    list_select_related = ["inspection", "organisation", "theme"]
    search_fields = ["text", "inspection__title"]
    autocomplete_fields = ["inspection", "organisation", "theme"]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["measure", "organisation", "inspection", "percentage", "rating", "count"]
    list_filter = ["inspection__inspectorate", "measure__programme"]
    list_select_related = ["measure", "organisation", "inspection", "rating__scale"]
    search_fields = ["measure__name", "organisation__name", "inspection__title"]
    autocomplete_fields = ["inspection", "organisation", "measure", "rating"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "inspection", "order"]
    list_select_related = ["inspection"]
    search_fields = ["text", "inspection__title"]
    autocomplete_fields = ["inspection", "addressed_to"]
