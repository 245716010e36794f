"""Reading a board's spreadsheet of coded reviews (CSV) into checked rows, or every problem with its row and column.

The format (docs/thematic.md): a header row; `review_id` required and unique; optional `review_type`,
`local_authority` (ONS code or name), `incident_date`, `referral_date`, `learning_event_date`, `completion_date`
(ISO dates, YYYY-MM-DD) and `review_period_months`; every other column is a code key of the frame with 0 or 1.
Rows are numbered as a spreadsheet numbers them: the header is row 1. Nothing here touches the database; the
import service resolves local authorities and writes everything or nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cylch.thematic.dates import DATE_COLUMNS, date_order_problems
from cylch.thematic.frame import Frame
from cylch.thematic.models import MAX_REVIEW_PERIOD_MONTHS, REVIEW_ID_PATTERN, ReviewType

MAX_BYTES = 5 * 1024 * 1024
MAX_PROBLEMS = 100  # enough to fix a file in one go; a wholly wrong file would otherwise list thousands
ID_COLUMN = "review_id"
FIELD_COLUMNS = ("review_type", "local_authority", *DATE_COLUMNS, "review_period_months")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PERIOD = re.compile(r"\d{1,3}")


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: `row` 1 is the header; no row or column for the file as a whole."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class ImportRefused(Exception):
    """The file cannot be imported; nothing from it was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class ReviewRow:
    row: int
    review_id: str
    review_type: str = ""
    local_authority: str = ""
    dates: dict[str, datetime.date | None] = field(default_factory=dict)
    review_period_months: int | None = None
    codes: frozenset[str] = frozenset()


def _decode(data: bytes) -> str:
    if not data.strip():
        raise ImportRefused([Problem(_("The file is empty"))])
    if len(data) > MAX_BYTES:
        raise ImportRefused([Problem(_("The file is larger than 5 MB"))])
    if b"\x00" in data:
        raise ImportRefused([Problem(_("The file is not a CSV file: save the spreadsheet as CSV (UTF-8)"))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")  # Excel's "CSV" (not "CSV UTF-8") on a Windows PC
        except UnicodeDecodeError:
            raise ImportRefused(
                [Problem(_("The file is not a CSV file: save the spreadsheet as CSV (UTF-8)"))]
            ) from None


def _header_problems(header: list[str], frame: Frame) -> list[Problem]:
    problems: list[Problem] = []
    if ID_COLUMN not in header:
        problems.append(Problem(_("There is no review_id column: the first row must name the columns"), row=1))
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(_("Column %(number)s has no name") % {"number": index}, row=1))
        elif name in seen:
            problems.append(Problem(_("This column appears twice"), row=1, column=name))
        elif name != ID_COLUMN and name not in FIELD_COLUMNS and name not in frame.by_key:
            problems.append(Problem(_("Not a column of the format or a code of the coding frame"), row=1, column=name))
        seen.add(name)
    return problems


def _date(text: str) -> datetime.date | None:
    if not text:
        return None
    if not text.isascii() or not ISO_DATE.fullmatch(text):
        raise ValueError(_("Enter a date as YYYY-MM-DD, for example 2023-03-14"))
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(_("This is not a real date")) from None


def _row(values: dict[str, str], number: int, frame: Frame, today: datetime.date) -> tuple[ReviewRow, list[Problem]]:
    problems: list[Problem] = []

    def problem(column: str, message: str) -> None:
        problems.append(Problem(message, row=number, column=column))

    review_id = values.get(ID_COLUMN, "")
    if not review_id:
        problem(ID_COLUMN, _("Enter a review ID"))
    elif not re.fullmatch(REVIEW_ID_PATTERN, review_id):
        problem(ID_COLUMN, _("A review ID is up to 40 letters, digits, hyphens and underscores"))
    parsed = ReviewRow(row=number, review_id=review_id)
    review_type = values.get("review_type", "")
    if review_type and review_type not in ReviewType.values:
        problem("review_type", _("Must be one of %(types)s") % {"types": ", ".join(ReviewType.values)})
    parsed.review_type = review_type
    parsed.local_authority = values.get("local_authority", "")
    for column in DATE_COLUMNS:
        try:
            parsed.dates[column] = _date(values.get(column, ""))
        except ValueError as error:
            problem(column, str(error))
            parsed.dates[column] = None
    for column, message in date_order_problems(parsed.dates, today=today):
        problem(column, message)
    period = values.get("review_period_months", "")
    if period:
        if not period.isascii() or not PERIOD.fullmatch(period) or not 1 <= int(period) <= MAX_REVIEW_PERIOD_MONTHS:
            problem("review_period_months", _("Must be a whole number of months from 1 to 240"))
        else:
            parsed.review_period_months = int(period)
    found = set()
    for key in frame.by_key:
        if key not in values:
            continue
        value = values[key]
        if value == "1":
            found.add(key)
        elif value != "0":
            problem(key, _("Must be 0 or 1"))
    parsed.codes = frozenset(found)
    return parsed, problems


def reviews_csv_parse(data: bytes, *, frame: Frame, today: datetime.date) -> list[ReviewRow]:
    """Every row checked; raises ImportRefused listing each problem (up to MAX_PROBLEMS) with its row and column.

    A column that is absent is as if every row had 0 in it (or no date): each row describes its review whole.
    """
    text = _decode(data)
    if not text.strip():  # a byte-order mark alone, as some spreadsheets save an empty sheet
        raise ImportRefused([Problem(_("The file is empty"))])
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise ImportRefused([Problem(_("The file is not a CSV file: save the spreadsheet as CSV (UTF-8)"))]) from None
    header = [name.strip() for name in records[0]]
    problems = _header_problems(header, frame)
    if problems:
        raise ImportRefused(problems)
    rows: list[ReviewRow] = []
    first_row: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line, as spreadsheets leave at the end
        if len(record) != len(header):
            problems.append(
                Problem(
                    _("This row has %(found)s values but the header names %(expected)s columns")
                    % {"found": len(record), "expected": len(header)},
                    row=number,
                )
            )
            continue
        parsed, row_problems = _row(
            {name: cell.strip() for name, cell in zip(header, record, strict=True)}, number, frame, today
        )
        problems.extend(row_problems)
        if parsed.review_id in first_row:
            problems.append(
                Problem(
                    _("Review %(id)s is also on row %(row)s")
                    % {"id": parsed.review_id, "row": first_row[parsed.review_id]},
                    row=number,
                    column=ID_COLUMN,
                )
            )
        elif parsed.review_id:
            first_row[parsed.review_id] = number
        rows.append(parsed)
        if len(problems) >= MAX_PROBLEMS:
            break
    if not rows and not problems:
        problems.append(Problem(_("The file has a header row but no reviews")))
    if problems:
        raise ImportRefused(problems[:MAX_PROBLEMS])
    return rows


def local_authority_problems(rows: list[ReviewRow], known: Mapping[str, int]) -> list[Problem]:
    """Rows naming a local authority that is neither an ONS code nor a name known here (`known` is lower-case)."""
    return [
        Problem(_("No local authority has this ONS code or name"), row=row.row, column="local_authority")
        for row in rows
        if row.local_authority and row.local_authority.lower() not in known
    ]
