"""Reading open-data files back: which dataset a file holds (from its columns), its rows with
their file and line, and each cell parsed as its column's kind. Problems are collected as
`file:line: column: problem`; `inspections.services.inspections_import()` loads the rows.
"""

import csv
import datetime
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from inspections.exports.datasets import (
    BOOL,
    CHOICE,
    DATASETS,
    DATE,
    DECIMAL,
    INT,
    LIST,
    TEXT,
    Column,
    Dataset,
)
from inspections.exports.writers import LIST_SEPARATOR, unguard_formula
from inspections.models import RESERVED_SLUGS

MAX_REPORTED = 200
TAG_MAX_LENGTH = 100
JSON_WHITESPACE = re.compile(r"[ \t\n\r]*")


class ImportFailed(Exception):
    """The files had problems; the message lists them, one per line."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        shown = self.problems[:MAX_REPORTED]
        if len(self.problems) > MAX_REPORTED:
            shown.append(f"… and {len(self.problems) - MAX_REPORTED} more")
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''}; nothing was written."
        super().__init__("\n".join([heading, *shown]))


@dataclass
class Row:
    where: str  # "file:line"
    values: dict[str, Any]


@dataclass
class Source:
    path: str
    dataset: Dataset | None = None
    rows: list[Row] = field(default_factory=list)


# Reading files: a dataset is recognised by its columns, whatever the file is called.


def _detect(columns: Sequence[str], where: str, problems: list[str]) -> Dataset | None:
    given = set(columns)
    if len(given) != len(columns):
        twice = sorted(name for name in given if list(columns).count(name) > 1)
        problems.append(f"{where}: header: columns named twice: {', '.join(twice)}")
        return None
    for dataset in DATASETS.values():
        required = {column.name for column in dataset.columns if not column.derived}
        if required <= given <= set(dataset.column_names):
            return dataset
    closest = max(DATASETS.values(), key=lambda d: len(given & set(d.column_names)))
    missing = [c.name for c in closest.columns if not c.derived and c.name not in given]
    unknown = sorted(given - set(closest.column_names))
    detail = "; ".join(
        part
        for part in (
            f"missing {', '.join(missing)}" if missing else "",
            f"unknown {', '.join(unknown)}" if unknown else "",
        )
        if part
    )
    problems.append(
        f"{where}: header: not the columns of any dataset (closest is {closest.name}: {detail})"
    )
    return None


def _read_csv(path: Path, source: Source, problems: list[str]) -> None:
    with path.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        try:
            header = next(reader, None)
            if header is None:
                problems.append(f"{source.path}:1: the file is empty")
                return
            source.dataset = _detect(header, f"{source.path}:1", problems)
            if source.dataset is None:
                return
            text_columns = [
                column.name
                for column in source.dataset.columns
                if column.kind in (TEXT, LIST) and column.name in header
            ]
            start = reader.line_num + 1
            for cells in reader:
                where = f"{source.path}:{start}"
                start = reader.line_num + 1
                if not cells:
                    continue
                if len(cells) != len(header):
                    problems.append(f"{where}: expected {len(header)} cells, found {len(cells)}")
                    continue
                values = dict(zip(header, cells, strict=True))
                for name in text_columns:
                    values[name] = unguard_formula(values[name])
                source.rows.append(Row(where, values))
        except csv.Error as exc:
            problems.append(f"{source.path}:{reader.line_num}: not valid CSV: {exc}")


def _read_json(path: Path, source: Source, problems: list[str]) -> None:
    text = path.read_text(encoding="utf-8-sig")
    decoder = json.JSONDecoder(parse_float=Decimal)
    line, counted = 1, 0

    def line_at(index: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, index)
        counted = index
        return line

    index = JSON_WHITESPACE.match(text, 0).end()
    if text[index : index + 1] != "[":
        problems.append(f"{source.path}:{line_at(index)}: expected a JSON array of objects")
        return
    index = JSON_WHITESPACE.match(text, index + 1).end()
    if text[index : index + 1] == "]":
        index += 1
    else:
        while True:
            try:
                item, end = decoder.raw_decode(text, index)
            except json.JSONDecodeError as exc:
                problems.append(f"{source.path}:{exc.lineno}: not valid JSON: {exc.msg}")
                return
            where = f"{source.path}:{line_at(index)}"
            if not isinstance(item, dict):
                problems.append(f"{where}: expected an object")
            elif source.dataset is None and not source.rows:
                source.dataset = _detect(list(item), where, problems)
                if source.dataset is None:
                    return
                source.rows.append(Row(where, item))
            else:
                _check_keys(source.dataset, item, where, problems)
                source.rows.append(Row(where, item))
            index = JSON_WHITESPACE.match(text, end).end()
            if text[index : index + 1] == ",":
                index = JSON_WHITESPACE.match(text, index + 1).end()
                continue
            if text[index : index + 1] == "]":
                index += 1
                break
            problems.append(f"{source.path}:{line_at(index)}: expected , or ] in the array")
            return
    if JSON_WHITESPACE.match(text, index).end() != len(text):
        problems.append(f"{source.path}:{line_at(index)}: text after the array")


def _check_keys(dataset: Dataset, item: dict, where: str, problems: list[str]) -> None:
    names = set(dataset.column_names)
    for name in sorted(set(item) - names):
        problems.append(f"{where}: {name}: not a column of {dataset.name}")
    for column in dataset.columns:
        if not column.derived and column.name not in item:
            problems.append(f"{where}: {column.name}: missing")


def read_source(path: Path, problems: list[str]) -> Source:
    source = Source(str(path))
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".json"}:
        problems.append(f"{path}: not a .csv or .json file")
        return source
    try:
        (_read_csv if suffix == ".csv" else _read_json)(path, source, problems)
    except OSError as exc:
        problems.append(f"{path}: cannot be read: {exc.strerror or exc}")
    except UnicodeDecodeError:
        problems.append(f"{path}: not UTF-8 text")
    return source


# Parsing cells into Python values.


class _Bad(ValueError):
    pass


def _parse_value(column: Column, raw: Any) -> Any:
    """A CSV cell (always text) or a JSON value, as the model field wants it."""
    if isinstance(raw, str):
        text = raw
        if text == "":
            if column.required:
                raise _Bad("required")
            return [] if column.kind == LIST else ("" if column.kind in (TEXT, CHOICE) else None)
    elif raw is None:
        if column.required:
            raise _Bad("required")
        return [] if column.kind == LIST else ("" if column.kind in (TEXT, CHOICE) else None)
    else:
        text = None
    kind = column.kind
    if kind in (TEXT, CHOICE):
        if text is None:
            raise _Bad("expected text")
        if kind == CHOICE and text not in column.choices:
            raise _Bad(f"“{text}” is not one of {', '.join(column.choices)}")
        return text
    if kind == DATE:
        if text is None or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise _Bad("expected a date as YYYY-MM-DD")
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise _Bad(f"“{text}” is not a date") from None
    if kind == INT:
        if isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
        elif text is not None and re.fullmatch(r"-?\d+", text.strip()):
            value = int(text)
        else:
            raise _Bad("expected a whole number")
        if value < 0:
            raise _Bad("expected a whole number, 0 or more")
        return value
    if kind == DECIMAL:
        if isinstance(raw, Decimal | int) and not isinstance(raw, bool):
            value = Decimal(raw)
        elif text is not None:
            try:
                value = Decimal(text.strip())
            except InvalidOperation:
                raise _Bad("expected a number") from None
        else:
            raise _Bad("expected a number")
        if not value.is_finite():
            raise _Bad("expected a number")
        return value
    if kind == BOOL:
        if isinstance(raw, bool):
            return raw
        if text is not None and text.strip().lower() in {"true", "false", "1", "0"}:
            return text.strip().lower() in {"true", "1"}
        raise _Bad("expected true or false")
    if kind == LIST:
        if isinstance(raw, list) and all(isinstance(item, str) for item in raw):
            items = [item.strip() for item in raw]
        elif text is not None:
            items = [item.strip() for item in text.split(LIST_SEPARATOR.strip())]
        else:
            raise _Bad("expected a list of text")
        items = [item for item in items if item]
        if too_long := [item for item in items if len(item) > TAG_MAX_LENGTH]:
            raise _Bad(f"“{too_long[0][:40]}…” is longer than {TAG_MAX_LENGTH} characters")
        return items
    raise AssertionError(kind)


def _row_problems(dataset: Dataset, values: dict[str, Any]) -> dict[str, str]:
    """Checks across the cells of one row, by column."""
    problems = {}
    if dataset.name in ("ratings", "scores"):
        trio = ("rating", "rating_rank", "rating_scale")
        given = [name for name in trio if values[name] not in ("", None)]
        if given and len(given) < 3:
            missing = next(name for name in trio if name not in given)
            problems[missing] = "required with rating, rating_rank and rating_scale"
    if dataset.name == "scores":
        if all(values[name] in ("", None) for name in ("percentage", "count", "rating")):
            problems["percentage"] = "a score needs a percentage, a count or a rating"
        percentage = values["percentage"]
        if percentage is not None and not (0 <= percentage <= 100):
            problems["percentage"] = "must be from 0 to 100"
    if dataset.name == "inspections":
        if values["slug"] in RESERVED_SLUGS:
            problems["slug"] = f"“{values['slug']}” is the address of a page of the site"
        if values["programme"] and not values["programme_name"]:
            problems["programme_name"] = "required with programme"
        start, end = values["fieldwork_start"], values["fieldwork_end"]
        if start and end and end < start:
            problems["fieldwork_end"] = "before fieldwork_start"
    if dataset.name == "organisations":
        if values["operator"] and not values["operator_name"]:
            problems["operator_name"] = "required with operator"
        start, end = values["active_from"], values["active_to"]
        if start and end and end < start:
            problems["active_to"] = "before active_from"
    if dataset.name == "findings" and values["theme"] and not values["theme_name"]:
        problems["theme_name"] = "required with theme"
    return problems


def parse_rows(source: Source, problems: list[str]) -> list[Row]:
    parsed = []
    for row in source.rows:
        values, bad = {}, False
        for column in source.dataset.columns:
            if column.derived or column.name not in row.values:
                continue
            try:
                values[column.name] = _parse_value(column, row.values[column.name])
            except _Bad as exc:
                problems.append(f"{row.where}: {column.name}: {exc}")
                bad = True
        if bad:
            continue
        for name, problem in _row_problems(source.dataset, values).items():
            problems.append(f"{row.where}: {name}: {problem}")
            bad = True
        if not bad:
            parsed.append(Row(row.where, values))
    return parsed


def read_files(paths: Sequence[Path]) -> tuple[dict[str, list[Row]], Counter]:
    """Every file's parsed rows by dataset name, and how many rows each dataset had.

    Raises ImportFailed listing every problem found in any file.
    """
    problems: list[str] = []
    rows: dict[str, list[Row]] = {name: [] for name in DATASETS}
    counts: Counter = Counter()
    for path in paths:
        source = read_source(Path(path), problems)
        if source.dataset is not None:
            rows[source.dataset.name] += parse_rows(source, problems)
            counts[source.dataset.name] += len(source.rows)
    if problems:
        raise ImportFailed(problems)
    return rows, counts
