from django import forms
from django.utils.translation import gettext_lazy as _

from core.content import registry
from search.results import FACETS, Filters


class SearchForm(forms.Form):
    """The search box and its narrowing choices. A value that does not fit is ignored rather
    than refused: whatever a reader (or a link) sends, the page answers."""

    q = forms.CharField(label=_("Search"), required=False, strip=True)
    kind = forms.CharField(required=False, max_length=40)
    year = forms.IntegerField(required=False, min_value=1800, max_value=2200)
    sort = forms.ChoiceField(
        required=False,
        choices=[("relevance", _("Relevance")), ("date", _("Newest first"))],
    )
    tag = forms.SlugField(required=False, max_length=200, allow_unicode=True)
    category = forms.SlugField(required=False, max_length=200, allow_unicode=True)
    organisation = forms.SlugField(required=False, max_length=200, allow_unicode=True)
    inspectorate = forms.SlugField(required=False, max_length=200, allow_unicode=True)

    def filters(self) -> Filters:
        self.is_valid()  # fills cleaned_data with the fields that are valid
        data = self.cleaned_data
        kinds = {kind.key for kind in registry.kinds()}
        return Filters(
            kind=data.get("kind") if data.get("kind") in kinds else "",
            year=data.get("year"),
            facets={name: data[name] for name in FACETS if data.get(name)},
            sort=data.get("sort") or "relevance",
        )
