from django import forms
from django.db import models
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import Inspection, InspectionQuerySet, Organisation, Theme
from inspections.vocabulary import rating_word


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.json"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        if isinstance(data, list | tuple):
            data = None  # nothing chosen: the field's "required" message
        return [single(data, initial)]


class InspectionFilterForm(forms.Form):
    """The list page's filters. Every field is optional and they combine."""

    inspectorate = forms.SlugField(
        label=_("Inspectorate"),
        required=False,
        error_messages={"invalid": _("Unknown inspectorate.")},
    )
    kind = forms.ChoiceField(
        label=_("Organisation kind"),
        required=False,
        choices=[("", _("Any kind")), *Organisation.Kind.choices],
        error_messages={"invalid_choice": _("Unknown organisation kind.")},
    )
    rating = forms.SlugField(
        label=_("Rating"),
        required=False,
        error_messages={"invalid": _("Unknown rating.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1900,
        max_value=2999,
        error_messages={
            "invalid": _("Unknown year."),
            "min_value": _("Unknown year."),
            "max_value": _("Unknown year."),
        },
    )

    def __init__(self, *args, options: dict[str, list], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectorate"].widget = forms.Select(
            choices=[("", _("Any inspectorate")), *options["inspectorates"]]
        )
        self.fields["rating"].widget = forms.Select(
            choices=[
                ("", _("Any rating")),
                *((slug, rating_word(label)) for slug, label in options["ratings"]),
            ]
        )
        self.fields["year"].widget = forms.Select(
            choices=[("", _("Any year")), *((year, year) for year in options["years"])]
        )

    def filter(self, inspections: InspectionQuerySet) -> InspectionQuerySet:
        """Apply the cleaned filters to `inspections` (call after is_valid())."""
        data = self.cleaned_data
        if data["inspectorate"]:
            inspections = inspections.by_inspectorate(data["inspectorate"])
        if data["year"] is not None:
            inspections = inspections.published_in(data["year"])
        if data["kind"] or data["rating"]:
            inspections = inspections.covering(kind=data["kind"], rating=data["rating"])
        return inspections

    @property
    def is_filtering(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)


AUTHOR_STATUSES = [Inspection.Status.DRAFT, Inspection.Status.REVIEW]


def _https_formfield(db_field, **kwargs):
    # Django 6 makes https the default scheme for typed-in addresses; use it now.
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class InspectionAdminForm(forms.ModelForm):
    """The inspection's edit page: authors draft and submit; editors publish and schedule."""

    # Set by InspectionAdmin.get_form for the user in hand.
    can_publish = False

    class Meta:
        formfield_callback = _https_formfield
        model = Inspection
        fields = [
            "title",
            "slug",
            "inspectorate",
            "programme",
            "area",
            "summary",
            "language",
            "published_on",
            "date_precision",
            "fieldwork_start",
            "fieldwork_end",
            "fieldwork_precision",
            "fieldwork_note",
            "report_url",
            "press_release_url",
            "follows",
            "quote",
            "quote_attribution",
            "quote_context",
            "record_note",
            "tags",
            "comments_open",
            "status",
            "live_at",
        ]
        widgets = {
            "title": forms.TextInput(attrs={"class": "vTextField desk-wide"}),
            "summary": forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField desk-wide"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        status = self.fields.get("status")
        if status is not None and not self.can_publish:
            status.choices = [(v, label) for v, label in status.choices if v in AUTHOR_STATUSES]
            status.help_text = _("Choose “In review” when the record is ready for an editor.")

    def clean_status(self):
        status = self.cleaned_data["status"]
        if not self.can_publish and status not in AUTHOR_STATUSES:
            raise forms.ValidationError(_("Only an editor can publish or schedule an inspection."))
        return status

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Inspection.Status.PUBLISHED and not cleaned.get("live_at"):
            cleaned["live_at"] = timezone.now()  # "Published" with no time: now
            self.instance.live_at = cleaned["live_at"]
        return cleaned


class FindingInlineFormSet(BaseInlineFormSet):
    """Findings offer only the inspection's own organisations and its programme's themes
    (plus themes any programme may use), each list read once for every row."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        inspection = self.instance
        themes = Theme.objects.all()  # a new record: its programme is not known yet
        if inspection.pk:
            themes = themes.filter(
                Q(programme__isnull=True) | Q(programme_id=inspection.programme_id)
            )
        organisations = Organisation.objects.all()
        if inspection.pk:
            own = organisations.filter(inspected__inspection=inspection)
            used = organisations.filter(findings__inspection=inspection)
            organisations = (own | used).distinct()
        self.theme_choices = [("", "---------"), *((t.pk, t.label) for t in themes)]
        self.organisation_choices = [
            ("", _("— joint finding —")),
            *((o.pk, str(o)) for o in organisations.order_by("name")),
        ]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, choices in (
            ("theme", self.theme_choices),
            ("organisation", self.organisation_choices),
        ):
            if name in form.fields:
                form.fields[name].choices = choices


MAX_IMPORT_BYTES = 5 * 1024 * 1024


class InspectionImportForm(forms.Form):
    """One or more open-data files (CSV or JSON), as `manage.py import_inspections` reads."""

    files = MultipleFileField(
        label=_("Open-data files"),
        help_text=_(
            "CSV or JSON files in the format of the open-data downloads (inspections, "
            "organisations, ratings, findings, scores, recommendations); at most %(size)s each."
        )
        % {"size": "5 MB"},
    )
    publish = forms.BooleanField(
        label=_("Publish new inspections at once"),
        required=False,
        initial=True,
        help_text=_("Unticked, new inspections arrive as drafts. Existing ones keep their status."),
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        for upload in files:
            name = upload.name or ""
            if not name.lower().endswith((".csv", ".json")):
                raise forms.ValidationError(
                    _("“%(name)s” is not a .csv or .json file.") % {"name": name}
                )
            if upload.size > MAX_IMPORT_BYTES:
                raise forms.ValidationError(
                    _("“%(name)s” is larger than %(size)s.") % {"name": name, "size": "5 MB"}
                )
        return files
