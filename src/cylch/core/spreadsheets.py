"""CSV files as practitioners open them: in a spreadsheet, usually Excel.

Two things make a CSV safe to hand over. A byte-order mark first: without one Excel reads UTF-8 as Windows-1252
and garbles Welsh letters (Sgôr, Ŵyr). And free text that a spreadsheet would run as a formula neutralised
(OWASP's "CSV injection"), because summaries and the child's words are typed by practitioners. Every CSV the
product serves is built here, so no export can forget either.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

BYTE_ORDER_MARK = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The value as text, with a leading apostrophe when a spreadsheet would take it as a formula. Numbers stay
    numbers (a negative coefficient is not a formula)."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_document(rows: Iterable[Sequence[object]]) -> str:
    """The rows as one CSV text, byte-order mark first, every cell through `safe_cell`."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    csv.writer(buffer).writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()
