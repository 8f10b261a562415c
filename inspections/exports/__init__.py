"""Open data: the inspection record as six CSV and JSON datasets, streamed row by row.

Each dataset is one query read in chunks, so memory stays flat however many rows there are.
Rows are identified by slugs and natural keys, never database ids, and sorted on exported
columns only, so the same data always gives the same bytes: `inspections_import()` reads the
files back, and export → import into an empty database → export is byte-identical.

datasets.py holds the columns and queries, writers.py the CSV and JSON streams, and
catalogue.py what the site says about them (filters, links, licence, JSON-LD).
"""

from inspections.exports.catalogue import (
    DownloadFilterForm,
    catalogue_json_ld,
    catalogue_title,
    coverage,
    download_links,
    download_url,
    filename,
    filter_values,
    inspection_json_ld,
    licence,
)
from inspections.exports.datasets import DATASETS, Column, Dataset
from inspections.exports.writers import FORMATS, export_bytes, stream

__all__ = [
    "DATASETS",
    "FORMATS",
    "Column",
    "Dataset",
    "DownloadFilterForm",
    "catalogue_json_ld",
    "catalogue_title",
    "coverage",
    "download_links",
    "download_url",
    "export_bytes",
    "filename",
    "filter_values",
    "inspection_json_ld",
    "licence",
    "stream",
]
