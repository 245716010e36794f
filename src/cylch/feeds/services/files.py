"""Bulk files: an agency's nightly extract, as NDJSON or CSV, through the same feed items as the API.

Each line (NDJSON) or row (CSV) is one item with a `type` (event, involvement, household_membership,
relationship, status). CSV columns name nested fields with a dot (`person.local_id`, `relative.local_id`) and
hold JSON objects as JSON text (`details`, `person.identifiers`); an empty cell is a field not sent.

The file goes in a chunk at a time, each chunk in one transaction. After each chunk the line reached is written to
a checkpoint file beside it, so an interrupted import started again carries on from there; a chunk that committed
just before the interruption, before its checkpoint, is gone through again and answered "already stored" item by
item, so nothing is stored twice either way. Rejected rows go to a report (one JSON object a line: the line
number, the item's id, the errors and the row as it was), appended to when resuming.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from cylch.accounts.models import Agency
from cylch.core.parsers import MAX_DEPTH, json_depth
from cylch.feeds.models import ItemOutcome
from cylch.feeds.services.intake import ItemResult, feed_items_receive

CHUNK = 1000
FORMATS = ("ndjson", "csv")


@dataclass
class Line:
    """One line of the file: its item and type, or why it could not be read as one."""

    number: int
    item_type: str
    raw: Any
    errors: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportSummary:
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ItemOutcome.values, 0))
    lines: int = 0
    resumed_from: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return sum(self.counts.values()) / self.seconds if self.seconds else 0.0


def file_format(path: Path) -> str:
    return "csv" if path.suffix.lower() == ".csv" else "ndjson"


def _ndjson_lines(path: Path) -> Iterator[Line]:
    with path.open(encoding="utf-8", errors="replace") as stream:
        for number, text in enumerate(stream, start=1):
            if not text.strip():
                continue
            yield _ndjson_line(number, text)


def _ndjson_line(number: int, text: str) -> Line:
    if text.count("{") + text.count("[") > MAX_DEPTH and json_depth(text) > MAX_DEPTH:  # fewer brackets: not deep
        return Line(number, "", text, {"line": [_("Nested more than %(limit)s levels deep.") % {"limit": MAX_DEPTH}]})
    try:
        raw = json.loads(text)
    except ValueError as error:
        return Line(number, "", text, {"line": [_("Not valid JSON: %(error)s") % {"error": error}]})
    if not isinstance(raw, dict):
        return Line(number, "", text, {"line": [_("Each line is one JSON object.")]})
    return Line(number, str(raw.pop("type", "")), raw)


_JSON_COLUMNS = frozenset({"details", "identifiers"})


def _csv_item(row: dict[str, str]) -> dict[str, Any]:
    """`person.local_id` -> {"person": {"local_id": ...}}; JSON columns decoded; empty cells left out."""
    item: dict[str, Any] = {}
    for column, cell in row.items():
        if column is None or cell is None or cell == "":
            continue
        *parents, name = column.strip().split(".")
        target = item
        for parent in parents:
            target = target.setdefault(parent, {})
        target[name] = json.loads(cell) if name in _JSON_COLUMNS else cell
    return item


def _csv_lines(path: Path) -> Iterator[Line]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as stream:
        reader = csv.DictReader(stream)
        for row in reader:
            number = reader.line_num
            item_type = (row.pop("type", "") or "").strip()
            if None in row:  # more cells than the header has columns
                yield Line(number, item_type, row, {"line": [_("This row has more cells than the header.")]})
                continue
            try:
                yield Line(number, item_type, _csv_item(row))
            except ValueError as error:
                yield Line(
                    number,
                    item_type,
                    row,
                    {"line": [_("A JSON column is not valid JSON: %(error)s") % {"error": error}]},
                )


def file_lines(path: Path, fmt: str) -> Iterator[Line]:
    return _csv_lines(path) if fmt == "csv" else _ndjson_lines(path)


def _chunks(lines: Iterator[Line], after: int, size: int) -> Iterator[list[Line]]:
    chunk: list[Line] = []
    for line in lines:
        if line.number <= after:
            continue
        chunk.append(line)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _report_row(line: Line, result: ItemResult | None) -> str:
    item_id = result.item_id if result else (line.raw.get("id", "") if isinstance(line.raw, dict) else "")
    errors = result.errors if result else line.errors
    return json.dumps({"line": line.number, "id": item_id, "errors": errors, "row": line.raw}, default=str) + "\n"


def checkpoint_read(path: Path, source: Path) -> int:
    """The last line of `source` committed, or 0 (no checkpoint, or one written for a different file)."""
    try:
        saved = json.loads(path.read_text())
        size, line = int(saved["size"]), int(saved["line"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0
    return line if size == source.stat().st_size else 0


def feed_file_import(
    *,
    agency: Agency,
    source: Path,
    fmt: str,
    report: Path,
    checkpoint: Path,
    chunk: int = CHUNK,
    progress: Callable[[int, ImportSummary], None] | None = None,
) -> ImportSummary:
    """Import `source` for `agency`, resuming after the line in `checkpoint` if there is one for this file."""
    summary = ImportSummary(resumed_from=checkpoint_read(checkpoint, source))
    started = time.perf_counter()
    size = source.stat().st_size
    with report.open("a" if summary.resumed_from else "w", encoding="utf-8") as rejected:
        for lines in _chunks(file_lines(source, fmt), summary.resumed_from, chunk):
            readable = [line for line in lines if not line.errors]
            results = feed_items_receive(agency=agency, items=[(line.item_type, line.raw) for line in readable])
            for line in lines:
                if line.errors:
                    summary.counts[ItemOutcome.REJECTED] += 1
                    rejected.write(_report_row(line, None))
            for line, result in zip(readable, results, strict=True):
                summary.counts[result.outcome] += 1
                if result.outcome == ItemOutcome.REJECTED:
                    rejected.write(_report_row(line, result))
            rejected.flush()
            summary.lines = lines[-1].number
            checkpoint.write_text(json.dumps({"size": size, "line": summary.lines}))
            summary.seconds = time.perf_counter() - started
            if progress is not None:
                progress(summary.lines, summary)
    checkpoint.unlink(missing_ok=True)
    summary.seconds = time.perf_counter() - started
    return summary
