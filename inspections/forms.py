from django import forms
from django.utils.translation import gettext_lazy as _

from inspections.models import InspectionQuerySet, Organisation


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
            choices=[("", _("Any rating")), *options["ratings"]]
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
