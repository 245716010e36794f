"""Turning what a selector returned into files: the chronology as CSV, any page as a tagged PDF, JSON.

Pure formatting: the access rule and the audit row are the selector's job, so nothing here reads
the database. CSV files come from `core.spreadsheets` (a byte-order mark for Welsh letters, formulas
neutralised), because summaries and the child's words are free text typed by practitioners.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Practitioner
from cylch.chronology.models import ChronologyEvent
from cylch.core.spreadsheets import csv_document
from cylch.core.templatetags.govuk import localised_name, nhs_number
from cylch.people.models import Person


@dataclass(frozen=True)
class ExportHeading:
    """Whose chronology a file is and who made it, written above the events so a copy saved on its own still
    says what it is (and that it is sensitive)."""

    person: Person
    family: bool
    printed_by: Practitioner
    printed_at: datetime.datetime
    filtered: bool

    def rows(self) -> list[list[str]]:
        person = self.person
        title = _("Family chronology") if self.family else _("Multi-agency chronology")
        by = self.printed_by.get_full_name()
        if self.printed_by.agency is not None:
            by = f"{by}, {localised_name(self.printed_by.agency)}"
        return [
            [str(title), str(person)],
            [_("Cylch ID"), person.cylch_id],
            [_("Date of birth"), person.date_of_birth.isoformat() if person.date_of_birth else _("Not known")],
            [_("NHS number"), nhs_number(person.nhs_number) if person.nhs_number else _("Not known")],
            [_("Exported by"), by],
            [_("Exported on"), timezone.localtime(self.printed_at).strftime("%Y-%m-%d %H:%M")],
            [_("Events"), _("Only those matching the filter on the page") if self.filtered else _("All")],
            [_("Official – sensitive: keep securely and destroy when no longer needed.")],
            [],
        ]


def chronology_csv(
    events: Iterable[ChronologyEvent], *, with_person: bool = False, heading: ExportHeading | None = None
) -> str:
    """One row per event, in the order given, under `heading` when given; dates in ISO 8601, local time."""
    rows: list[list[object]] = [list(row) for row in heading.rows()] if heading else []
    header: list[object] = [
        _("Date and time"),
        _("Agency"),
        _("Kind"),
        _("Summary"),
        _("In the child’s own words"),
        _("Sensitivity"),
    ]
    if with_person:
        header.insert(1, _("Person"))
    rows.append(header)
    for event in events:
        row: list[object] = [
            timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M"),
            localised_name(event.agency),
            event.get_kind_display(),
            event.summary,
            event.child_words,
            event.get_sensitivity_display(),
        ]
        if with_person:
            row.insert(1, str(event.person))
        rows.append(row)
    return csv_document(rows)


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render an HTML template and print it to a tagged PDF (headings and tables reach screen readers)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # imported here: loading Pango takes a moment and most requests never print

    html = render_to_string(template_name, context)
    pdf = HTML(string=html).write_pdf(pdf_tags=True)
    assert pdf is not None  # noqa: S101 - write_pdf without a target returns the bytes
    return bytes(pdf)


def _json_default(value: object) -> str:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=2)


def export_filename(cylch_id: str, what: str, extension: str) -> str:
    return f"cylch-{cylch_id}-{what}-{timezone.localdate():%Y-%m-%d}.{extension}"
