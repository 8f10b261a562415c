"""Offering the datasets: download filters, file names and links, licence, schema.org Dataset."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import Max, Min, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.site import absolute_url
from inspections.exports.datasets import DATASETS, Dataset
from inspections.exports.writers import FORMATS
from inspections.forms import InspectionFilterForm
from inspections.models import DatePrecision, Inspection

# Filters: the list page's, plus one inspection by slug (an inspection page's downloads).

NO_OPTIONS: dict[str, list] = {"inspectorates": [], "ratings": [], "years": []}


class DownloadFilterForm(InspectionFilterForm):
    inspection = forms.SlugField(
        label=_("Inspection"),
        required=False,
        error_messages={"invalid": _("Unknown inspection.")},
    )

    def __init__(self, *args, **kwargs):
        # The options only fill the list page's menus; validation does not need them.
        super().__init__(*args, options=NO_OPTIONS, **kwargs)

    def filter(self, inspections: QuerySet) -> QuerySet:
        inspections = super().filter(inspections)
        if self.cleaned_data["inspection"]:
            inspections = inspections.filter(slug=self.cleaned_data["inspection"])
        return inspections

    def scope(self) -> "QuerySet[Inspection] | None":
        """The inspections to export (call after is_valid()); None means every one."""
        return self.filter(Inspection.objects.published()) if self.is_filtering else None

    def errors_text(self) -> str:
        return "\n".join(
            f"{name}: {message}" for name, messages in self.errors.items() for message in messages
        )


def filter_values(form: forms.Form) -> dict[str, str]:
    """The non-empty filters of a valid list or download form, in field order."""
    return {
        name: str(value)
        for name, value in form.cleaned_data.items()
        if value not in (None, "") and name in form.fields
    }


def filename(dataset: Dataset, format: str, filters: dict[str, str]) -> str:
    """E.g. oversight-findings-hmi-probation-2019.csv."""
    parts = [slugify(settings.SITE_NAME) or "open-data", dataset.name, *filters.values()]
    return "-".join(slugify(part) for part in parts if slugify(part)) + f".{format}"


@dataclass(frozen=True)
class DatasetLinks:
    dataset: Dataset
    csv: str
    json: str


def download_url(name: str, format: str, filters: dict[str, str] | None = None) -> str:
    url = reverse("inspections:data-download", kwargs={"name": name, "format": format})
    return f"{url}?{urlencode(filters)}" if filters else url


def download_links(filters: dict[str, str] | None = None) -> list[DatasetLinks]:
    """CSV and JSON addresses of every dataset, carrying `filters`."""
    return [
        DatasetLinks(dataset, *(download_url(name, f, filters) for f in ("csv", "json")))
        for name, dataset in DATASETS.items()
    ]


# Describing the data: licence, citation, schema.org Dataset (JSON-LD).


def licence() -> dict[str, str]:
    return {"name": settings.OPEN_DATA_LICENCE["name"], "url": settings.OPEN_DATA_LICENCE["url"]}


def catalogue_title() -> str:
    return gettext("%(site)s inspections open data") % {"site": settings.SITE_NAME}


def coverage() -> dict[str, Any]:
    """The dates the record spans and when it last changed, in one query."""
    return Inspection.objects.published().aggregate(
        first=Min("published_on"), last=Max("published_on"), modified=Max("updated_at")
    )


def _organisation() -> dict[str, str]:
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute_url("/")}


def _distribution(filters: dict[str, str] | None, what: str) -> list[dict[str, str]]:
    return [
        {
            "@type": "DataDownload",
            "name": f"{dataset.title} ({FORMATS[format].label}){what}",
            "encodingFormat": FORMATS[format].media_type,
            "contentUrl": absolute_url(download_url(name, format, filters)),
        }
        for name, dataset in DATASETS.items()
        for format in FORMATS
    ]


def _dataset_json_ld(**fields: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "Dataset",
        **fields,
        "license": licence()["url"],
        "isAccessibleForFree": True,
        "creator": _organisation(),
        "publisher": _organisation(),
        "inLanguage": "en-GB",
    }


def catalogue_json_ld(summary: dict[str, Any]) -> dict[str, Any]:
    """schema.org Dataset for the data page; `summary` is what coverage() returns."""
    data = _dataset_json_ld(
        name=catalogue_title(),
        description=gettext(
            "Inspection reports on public services as open data: each inspection, the "
            "organisations inspected and their overall ratings, the inspectors' findings and "
            "the scores, as CSV and JSON, with every column documented."
        ),
        url=absolute_url(reverse("inspections:data")),
        keywords=[gettext("inspections"), gettext("inspection reports"), gettext("ratings")],
        distribution=_distribution(None, ""),
    )
    if summary.get("first") and summary.get("last"):
        data["temporalCoverage"] = f"{summary['first']:%Y-%m-%d}/{summary['last']:%Y-%m-%d}"
    if summary.get("modified"):
        data["dateModified"] = summary["modified"].isoformat()
    return data


def inspection_json_ld(inspection: Inspection, tags: Iterable[Any] = ()) -> dict[str, Any]:
    """schema.org Dataset for one inspection's page: its rows of every dataset."""
    published = date_format(
        inspection.published_on,
        "F Y" if inspection.date_precision == DatePrecision.MONTH else "j F Y",
    )
    description = gettext(
        "Open data from the inspection report “%(title)s” (%(inspectorate)s, %(published)s): "
        "the organisations inspected and their ratings, the findings and the scores."
    ) % {
        "title": inspection.title,
        "inspectorate": inspection.inspectorate.name,
        "published": published,
    }
    if inspection.summary:
        description = f"{description} {inspection.summary}"
    data = _dataset_json_ld(
        name=gettext("Data from “%(title)s”") % {"title": inspection.title},
        description=description,
        url=absolute_url(inspection.get_absolute_url()),
        keywords=sorted(tag.name for tag in tags),
        temporalCoverage=inspection.published_on.isoformat(),
        distribution=_distribution(
            {"inspection": inspection.slug}, gettext(", this inspection only")
        ),
        isPartOf={
            "@type": "Dataset",
            "name": catalogue_title(),
            "url": absolute_url(reverse("inspections:data")),
        },
    )
    if inspection.updated_at:
        data["dateModified"] = inspection.updated_at.isoformat()
    return data
