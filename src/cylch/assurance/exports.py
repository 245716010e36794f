"""A cycle as files for the board: the report as a PDF in English or Welsh, an XLSX workbook (a sheet each for the
scores, contributions, actions, returns and measured facts) and a CSV with one row per C.

Formatting only: the view has already checked that the reader runs the cycle (the exports hold every agency's
part, so they are the board's). Every label follows the language active when a file is made; free text typed by
practitioners is neutralised so a spreadsheet never runs it as a formula (`core.spreadsheets`).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook  # type: ignore[import-untyped]  # no stubs are published with openpyxl
from openpyxl.styles import Font  # type: ignore[import-untyped]

from cylch.assurance.charts import ScorePoint, radar_svg
from cylch.assurance.definitions import Scale, level
from cylch.assurance.facts import Fact, cycle_facts, facts_by_component
from cylch.assurance.models import ActionStatus, AssuranceReturn, Component, Cycle, ImprovementAction
from cylch.assurance.selectors.reports import all_cycle_contributions, cycle_scores, overdue_by_component
from cylch.core.spreadsheets import csv_document, safe_cell
from cylch.core.templatetags.govuk import localised_name
from cylch.records.exports import render_pdf

LANGUAGES = ("en", "cy")
DATE_FORMAT = "d mmm yyyy"  # a date cell, shown unambiguously in any locale
REPORT_TEMPLATE = "assurance/report_pdf.html"


@dataclass
class ReportRow:
    """One C as the report and the CSV show it."""

    point: ScorePoint
    lead: str
    timeframe: str
    contributions: int
    open_actions: int
    overdue_actions: int
    facts: list[Fact]

    @property
    def ciw(self) -> str:
        found = level(Scale.CIW, self.point.ciw)
        return f"{found.score} {found.name}" if found else _("Not scored")

    @property
    def progress(self) -> str:
        found = level(Scale.PROGRESS, self.point.progress)
        return f"{found.score} {found.name}" if found else _("Not scored")


def _partnership(cycle: Cycle) -> str:
    owner = {"region": cycle.region, "local_authority": cycle.local_authority, "agency": cycle.agency}[cycle.level]
    return localised_name(owner)


def report_rows(cycle: Cycle) -> list[ReportRow]:
    assessments = {a.component: a for a in cycle.assessments.select_related("accountable_lead")}
    contributions: dict[str, int] = {}
    for contribution in all_cycle_contributions(cycle):
        contributions[contribution.component] = contributions.get(contribution.component, 0) + 1
    open_actions: dict[str, int] = {}
    for component in (
        ImprovementAction.objects.filter(assessment__cycle=cycle)
        .exclude(status=ActionStatus.COMPLETED)
        .values_list("assessment__component", flat=True)
    ):
        open_actions[component] = open_actions.get(component, 0) + 1
    overdue = dict(zip(Component.values, (n for _label, n in overdue_by_component(cycle)), strict=True))
    facts = facts_by_component(cycle_facts(cycle))
    rows = []
    for point in cycle_scores(cycle):
        assessment = assessments.get(point.code)
        lead = assessment.accountable_lead if assessment is not None else None
        rows.append(
            ReportRow(
                point,
                lead.get_full_name() if lead is not None else "",
                assessment.get_timeframe_display() if assessment is not None and assessment.timeframe else "",
                contributions.get(point.code, 0),
                open_actions.get(point.code, 0),
                overdue[point.code],
                facts[point.code],
            )
        )
    return rows


def _actions(cycle: Cycle) -> list[ImprovementAction]:
    return list(
        ImprovementAction.objects.filter(assessment__cycle=cycle)
        .select_related("assessment", "owner", "owner_agency")
        .order_by("assessment__pk", "due_on", "pk")
    )


def _returns(cycle: Cycle) -> list[AssuranceReturn]:
    return list(
        AssuranceReturn.objects.filter(cycle=cycle)
        .select_related("agency")
        .prefetch_related("training")
        .order_by("agency__name", "period_start")
    )


def report_context(cycle: Cycle) -> dict[str, Any]:
    """What the PDF shows, in the active language."""
    rows = report_rows(cycle)
    return {
        "cycle": cycle,
        "partnership": _partnership(cycle),
        "rows": rows,
        "radar": radar_svg([row.point for row in rows], dom_id="report-radar"),
        "actions": _actions(cycle),
        "printed_at": timezone.localtime(),
    }


def report_pdf(cycle: Cycle, *, language: str) -> bytes:
    """The cycle's report in `language` ('en' or 'cy')."""
    with translation.override(language):
        return render_pdf(REPORT_TEMPLATE, report_context(cycle))


# --- spreadsheet and CSV ---------------------------------------------------------------------------------------


def _score_header() -> list[str]:
    return [
        _("Code"),
        _("Component"),
        _("Care Inspectorate Wales score"),
        _("Care Inspectorate Wales level"),
        _("12Cs progress score"),
        _("12Cs progress level"),
        _("Accountable lead"),
        _("Implementation timeframe"),
        _("Contributions"),
        _("Open actions"),
        _("Overdue actions"),
        _("Measured facts"),
    ]


def _score_row(row: ReportRow) -> list[object]:
    return [
        row.point.code.upper(),
        row.point.label,
        row.point.ciw,
        row.ciw,
        row.point.progress,
        row.progress,
        row.lead,
        row.timeframe,
        row.contributions,
        row.open_actions,
        row.overdue_actions,
        " | ".join(fact.words for fact in row.facts),
    ]


def _cell(value: object) -> object:
    """Numbers and dates as themselves; anything else as text neutralised against formulas; None as empty."""
    if value is None or (isinstance(value, int | float | datetime.date) and not isinstance(value, bool)):
        return value
    return safe_cell(value)


def report_csv(cycle: Cycle) -> str:
    """One row per C: its scores, lead, timeframe, counts and measured facts. It starts with a byte-order mark:
    without one Excel reads UTF-8 as Windows-1252 and garbles Welsh letters (Sgôr)."""
    return csv_document([_score_header(), *(_score_row(row) for row in report_rows(cycle))])


def _sheet(workbook: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"


def report_xlsx(cycle: Cycle) -> bytes:
    """The workbook: Scores, Contributions, Actions, Returns and Facts, one sheet each, labels in the active
    language."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    rows = report_rows(cycle)
    _sheet(workbook, _("Scores"), _score_header(), [_score_row(row) for row in rows])
    _sheet(
        workbook,
        _("Contributions"),
        [
            _("Code"),
            _("Component"),
            _("Agency"),
            _("Proposed Care Inspectorate Wales score"),
            _("Proposed 12Cs progress score"),
            _("Evidence"),
        ],
        [
            [
                c.component.upper(),
                c.get_component_display(),
                localised_name(c.agency),
                c.proposed_ciw_score,
                c.proposed_progress_score,
                c.evidence,
            ]
            for c in all_cycle_contributions(cycle)
        ],
    )
    _sheet(
        workbook,
        _("Actions"),
        [
            _("Code"),
            _("Action"),
            _("Owning agency"),
            _("Owner"),
            _("Due"),
            _("Status"),
            _("Completed on"),
            _("Evidence of completion"),
        ],
        [
            [
                a.assessment.component.upper(),
                a.description,
                localised_name(a.owner_agency),
                a.owner.get_full_name(),
                a.due_on,
                a.get_status_display(),
                a.completed_on,
                a.evidence_of_completion,
            ]
            for a in _actions(cycle)
        ],
    )
    _sheet(
        workbook,
        _("Returns"),
        [
            _("Agency"),
            _("Period from"),
            _("Period to"),
            _("Due"),
            _("Submitted"),
            _("Supervision sessions held"),
            _("Supervision sessions expected"),
            _("Designated safeguarding lead posts filled"),
            _("Designated safeguarding lead posts"),
            _("Posts in safeguarding roles"),
            _("Vacancies"),
            _("Leavers"),
            _("Training (staff trained against target)"),
            _("Named gaps"),
        ],
        [
            [
                localised_name(r.agency),
                r.period_start,
                r.period_end,
                r.due_on,
                timezone.localtime(r.submitted_at).date() if r.submitted_at else None,
                r.supervision_held,
                r.supervision_expected,
                r.designated_lead_posts_filled,
                r.designated_lead_posts,
                r.safeguarding_posts,
                r.vacancies,
                r.leavers,
                "; ".join(
                    f"{t.get_level_display()}: {t.compliance_percent}% / {t.target_percent}%" for t in r.training.all()
                ),
                r.gaps,
            ]
            for r in _returns(cycle)
        ],
    )
    _sheet(
        workbook,
        _("Facts"),
        [
            _("Code"),
            _("Fact"),
            _("Out of"),
            _("Numerator"),
            _("Denominator"),
            _("Value"),
            _("How it was computed"),
            _("Source"),
            _("What the source page counts differently"),
            _("Counted on"),
        ],
        [
            [
                f.component.upper(),
                f.words,
                f.out_of,
                f.numerator,
                f.denominator,
                float(f.value) if f.value is not None else None,
                f.method,
                f.source,
                f.source_note,
                timezone.localtime(f.computed_at).date(),
            ]
            for row in rows
            for f in row.facts
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(cycle: Cycle, extension: str, language: str = "") -> str:
    suffix = f"-{language}" if language else ""
    return f"cylch-12cs-{cycle.pk}-{cycle.period_end:%Y-%m-%d}{suffix}.{extension}"
