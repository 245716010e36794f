"""The cycle's exports: the PDF report in English and in Welsh (read back with pypdf), the XLSX workbook (read back
with openpyxl) and the CSV with one row per C; free text never becomes a spreadsheet formula."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from cylch.assurance.exports import report_csv, report_pdf, report_xlsx
from cylch.assurance.models import ActionStatus, AssuranceReturn, ImprovementAction, TrainingCompliance
from tests.assurance.factories import ContributionFactory, CycleFactory, board_officer
from tests.factories import AgencyFactory, PractitionerFactory


@pytest.fixture
def cycle(db):
    cycle = CycleFactory(opened_by=board_officer(), title="Hunanasesiad 12C 2024-25")
    cycle.assessments.filter(component="c4").update(ciw_score=4, progress_score=3)
    cycle.assessments.filter(component="c7").update(ciw_score=2, progress_score=5)
    return cycle


def _pdf_text(content: bytes) -> str:
    """The PDF's text with every run of whitespace as one space (table cells wrap their lines)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_english_report_gives_each_cs_agreed_scores_by_name(cycle):
    text = _pdf_text(report_pdf(cycle, language="en"))
    assert "C4 Capacity" in text
    assert "4 Good" in text
    assert "3 Agreed and planned" in text
    assert "2 Weak" in text
    assert "Hunanasesiad 12C 2024-25" in text


def test_the_welsh_report_gives_the_same_scores_in_welsh(cycle):
    text = _pdf_text(report_pdf(cycle, language="cy"))
    assert "4 Da" in text
    assert "2 Gwan" in text
    assert "4 Good" not in text


def test_the_report_lists_the_measured_facts(cycle):
    text = _pdf_text(report_pdf(cycle, language="en"))
    assert "Concerns decided within one working day" in text


def test_the_csv_has_a_header_and_one_row_per_c(cycle):
    rows = list(csv.reader(io.StringIO(report_csv(cycle))))
    assert len(rows) == 13
    c4 = next(row for row in rows if row[0] == "C4")
    assert c4[1:6] == ["C4 Capacity", "4", "4 Good", "3", c4[5]]
    assert c4[5].startswith("3 ")


def test_the_csv_starts_with_a_byte_order_mark_so_excel_reads_welsh_letters(cycle):
    with translation.override("cy"):
        content = report_csv(cycle)
    assert content.startswith("\ufeff")
    assert "Sgôr" in content.encode("utf-8").decode("utf-8-sig")


def test_the_workbooks_facts_are_named_in_words_not_codes(cycle):
    facts = list(load_workbook(io.BytesIO(report_xlsx(cycle)))["Facts"].values)
    named = {row[1] for row in facts[1:]}
    assert any(name.startswith("Concerns decided within one working day") for name in named)
    assert not {"queue_age_median", "information_requests_late", "concerns_decided_in_time"} & named


def test_the_workbooks_dates_are_date_cells(cycle):
    agency = AgencyFactory(local_authority__region=cycle.region)
    ImprovementAction.objects.create(
        assessment=cycle.assessments.get(component="c4"),
        description="Recruit",
        owner_agency=agency,
        owner=PractitionerFactory(agency=agency),
        due_on=datetime.date(2025, 9, 30),
        status=ActionStatus.NOT_STARTED,
    )
    book = load_workbook(io.BytesIO(report_xlsx(cycle)))
    due = book["Actions"].cell(row=2, column=5)
    assert due.is_date
    assert due.value.date() == datetime.date(2025, 9, 30)
    assert book["Facts"].cell(row=2, column=10).is_date


def test_the_workbook_has_a_sheet_each_for_scores_contributions_actions_returns_and_facts(cycle):
    book = load_workbook(io.BytesIO(report_xlsx(cycle)))
    assert book.sheetnames == ["Scores", "Contributions", "Actions", "Returns", "Facts"]
    scores = list(book["Scores"].values)
    assert len(scores) == 13
    c7 = next(row for row in scores if row[0] == "C7")
    assert (c7[2], c7[4]) == (2, 5)
    assert len(list(book["Facts"].values)) > 1


def test_the_workbook_carries_contributions_actions_and_returns(cycle):
    agency = AgencyFactory(local_authority__region=cycle.region, name="Heddlu Gwent")
    ContributionFactory(cycle=cycle, component="c3", agency=agency, evidence='=HYPERLINK("http://x")')
    owner = PractitionerFactory(agency=agency)
    ImprovementAction.objects.create(
        assessment=cycle.assessments.get(component="c4"),
        description="Recruit two designated leads",
        owner_agency=agency,
        owner=owner,
        due_on=datetime.date(2025, 9, 30),
        status=ActionStatus.NOT_STARTED,
    )
    found = AssuranceReturn.objects.create(
        cycle=cycle,
        agency=agency,
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        due_on=datetime.date(2025, 5, 31),
        supervision_expected=40,
        supervision_held=31,
        submitted_at=timezone.now(),
        submitted_by=owner,
    )
    TrainingCompliance.objects.create(assurance_return=found, level="group_b", compliance_percent=88, target_percent=95)
    book = load_workbook(io.BytesIO(report_xlsx(cycle)))
    contribution = list(book["Contributions"].values)[1]
    assert contribution[2] == "Heddlu Gwent"
    assert contribution[5] == '\'=HYPERLINK("http://x")'  # shown as text, never run as a formula
    action = list(book["Actions"].values)[1]
    assert action[1:3] == ("Recruit two designated leads", "Heddlu Gwent")
    returned = list(book["Returns"].values)[1]
    assert (returned[0], returned[5], returned[6]) == ("Heddlu Gwent", 31, 40)
    assert "88.0% / 95.0%" in returned[12]


def test_the_workbook_made_in_welsh_gives_the_levels_in_welsh(cycle):
    with translation.override("cy"):
        book = load_workbook(io.BytesIO(report_xlsx(cycle)))
    scores = list(book[book.sheetnames[0]].values)
    assert next(row for row in scores if row[0] == "C4")[3] == "4 Da"
