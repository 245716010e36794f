"""CSV files as a spreadsheet opens them: a byte-order mark first, formulas neutralised, numbers kept."""

from __future__ import annotations

import csv
import io

import pytest

from cylch.core.spreadsheets import BYTE_ORDER_MARK, csv_document, safe_cell


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_are_neutralised(value):
    assert safe_cell(value) == "'" + value


def test_ordinary_text_is_unchanged():
    assert safe_cell("Home visit") == "Home visit"


def test_none_is_an_empty_cell():
    assert safe_cell(None) == ""


@pytest.mark.parametrize(("value", "text"), [(-0.25, "-0.25"), (-3, "-3"), (7, "7")])
def test_numbers_stay_numbers_even_when_negative(value, text):
    assert safe_cell(value) == text


def test_a_negative_number_written_as_text_is_still_neutralised():
    assert safe_cell("-3") == "'-3"


def test_a_document_starts_with_the_byte_order_mark_so_excel_reads_welsh_letters():
    document = csv_document([["Sgôr", "Ŵyr"]])
    assert document.startswith(BYTE_ORDER_MARK)
    assert document.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_a_document_holds_its_rows_with_every_cell_made_safe():
    document = csv_document([["measure", "value"], ["=1+1", None]])
    rows = list(csv.reader(io.StringIO(document.removeprefix(BYTE_ORDER_MARK))))
    assert rows == [["measure", "value"], ["'=1+1", ""]]
