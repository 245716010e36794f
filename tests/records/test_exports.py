"""Export formatting: the chronology CSV, JSON and the PDF renderer."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest

from cylch.records.exports import chronology_csv, render_pdf, to_json
from tests.factories import ChronologyEventFactory

pytestmark = pytest.mark.django_db


def test_the_chronology_csv_has_a_header_and_one_row_per_event():
    event = ChronologyEventFactory(summary="=cmd|' /C calc'!A0", child_words="I was scared")
    rows = list(csv.reader(io.StringIO(chronology_csv([event]).removeprefix("\ufeff"))))
    assert rows[0] == ["Date and time", "Agency", "Kind", "Summary", "In the child’s own words", "Sensitivity"]
    assert rows[1][1] == event.agency.name
    assert rows[1][2] == "Home visit"
    assert rows[1][3].startswith("'=")
    assert rows[1][4] == "I was scared"


def test_json_writes_dates_as_iso_8601():
    data = json.loads(to_json({"day": datetime.date(2024, 2, 3), "name": "Siân"}))
    assert data == {"day": "2024-02-03", "name": "Siân"}


def test_a_pdf_is_rendered():
    event = ChronologyEventFactory()
    pdf = render_pdf(
        "people/exports/chronology.html",
        {"person": event.person, "events": [event], "printed_by": None, "printed_at": event.occurred_at},
    )
    assert pdf.startswith(b"%PDF")


def test_printed_values_are_written_for_people():
    from cylch.records.templatetags.exports import field_label, field_value

    assert field_label("date_of_birth") == "Date of birth"
    assert field_value(datetime.date(2014, 12, 27)) == "27 December 2014"
    assert field_value(None) == "–"
    assert field_value(["A", "B"]) == "A, B"


def test_printed_labels_and_yes_or_no_are_in_the_language_of_the_export():
    from django.utils import translation

    from cylch.records.templatetags.exports import field_label, field_value

    with translation.override("cy"):
        assert field_label("date_of_birth") == "Dyddiad geni"
        assert field_value(True) == "Ie"
    assert field_value(False) == "No"
