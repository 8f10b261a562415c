"""Writing a dataset as CSV or JSON in chunks, so a response can stream it in flat memory."""

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from inspections.exports.datasets import BOOL, DATASETS, DATE, DECIMAL, LIST, TEXT, Column, Dataset
from inspections.models import Inspection

CHUNK_BYTES = 64 * 1024  # bytes handed to the server at a time
LIST_SEPARATOR = "; "  # between the items of a list in a CSV cell


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    media_type: str
    content_type: str


FORMATS = {
    "csv": Format("csv", "CSV", "text/csv", "text/csv; charset=utf-8; header=present"),
    "json": Format("json", "JSON", "application/json", "application/json"),
}


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"


def guard_formula(text: str) -> str:
    """A text cell a spreadsheet shows as text: formula starts get a leading apostrophe.

    Cells that already start with the apostrophe get one too, so unguard_formula() gives
    back exactly what was written, and the CSV round trip stays byte-identical.
    """
    if text.startswith((*FORMULA_STARTS, FORMULA_GUARD)):
        return FORMULA_GUARD + text
    return text


def unguard_formula(text: str) -> str:
    """What guard_formula() was given (the import reads CSV text cells through this)."""
    return text[1:] if text.startswith(FORMULA_GUARD) else text


def _plain_number(value: Decimal) -> str:
    """40.00 → “40”, 33.50 → “33.5”: the shortest exact form."""
    return format(value.normalize(), "f")


def _json_number(value: Decimal) -> int | float:
    # Two decimal places up to 100 survive the float exactly, and print in their shortest form.
    return int(value) if value == value.to_integral_value() else float(value)


CSV_CELL: dict[str, Callable[[Any], str]] = {
    TEXT: guard_formula,
    DATE: datetime.date.isoformat,
    DECIMAL: _plain_number,
    BOOL: lambda value: "true" if value else "false",
    LIST: lambda items: guard_formula(LIST_SEPARATOR.join(items)),
}
JSON_VALUE: dict[str, Callable[[Any], Any]] = {
    DATE: datetime.date.isoformat,
    DECIMAL: _json_number,
}


def _converter(columns: Iterable[Column], table: dict) -> Callable[[tuple], list]:
    converters = [table.get(column.kind) for column in columns]

    def convert(row: tuple) -> list:
        return [
            convert(value) if convert is not None and value is not None else value
            for convert, value in zip(converters, row, strict=True)
        ]

    return convert


def csv_chunks(columns: tuple[Column, ...], rows: Iterable[tuple]) -> Iterator[bytes]:
    """UTF-8 CSV (RFC 4180: one header row, CRLF line ends), in chunks of about CHUNK_BYTES."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(column.name for column in columns)
    cells = _converter(columns, CSV_CELL)
    for row in rows:
        writer.writerow(cells(row))
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def json_chunks(columns: tuple[Column, ...], rows: Iterable[tuple]) -> Iterator[bytes]:
    """A JSON array of objects, one a line, keyed by column name, in chunks of about CHUNK_BYTES."""
    names = [column.name for column in columns]
    values = _converter(columns, JSON_VALUE)
    parts, size, separator = ["["], 1, "\n"
    for row in rows:
        text = json.dumps(
            dict(zip(names, values(row), strict=True)), ensure_ascii=False, separators=(",", ":")
        )
        parts += (separator, text)
        size += len(text) + 2
        separator = ",\n"
        if size >= CHUNK_BYTES:
            yield "".join(parts).encode()
            parts, size = [], 0
    parts.append("\n]\n")
    yield "".join(parts).encode()


def stream(dataset: Dataset, format: str, scope: "QuerySet[Inspection] | None") -> Iterator[bytes]:
    """The dataset as bytes; the query runs when the first chunk is asked for."""
    write = csv_chunks if format == "csv" else json_chunks
    yield from write(dataset.columns, dataset.rows(scope))


def export_bytes(name: str, format: str, scope: "QuerySet[Inspection] | None" = None) -> bytes:
    """A whole export in memory: for tests and small scripts, never for the site."""
    return b"".join(stream(DATASETS[name], format, scope))
