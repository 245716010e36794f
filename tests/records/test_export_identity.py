"""Exported chronologies say whose they are (#13 item 8): the PDF's header gives the date of birth and NHS number
and no event is split across two pages; the CSV starts with a heading naming the person, their identifiers, who
exported it and when."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from cylch.accounts.models import RoleCode
from cylch.records.exports import ExportHeading, chronology_csv, render_pdf
from tests.factories import ChronologyEventFactory, InvolvementFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def child():
    return PersonFactory(
        given_name="Cerys", family_name="Llewellyn", date_of_birth=datetime.date(2016, 5, 9), nhs_number="9434765919"
    )


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _pdf(child, events) -> bytes:
    return render_pdf(
        "people/exports/chronology.html",
        {"person": child, "events": events, "printed_by": PractitionerFactory(), "printed_at": timezone.now()},
    )


def test_the_pdf_header_gives_the_date_of_birth_and_nhs_number(child):
    first_page = _pages(_pdf(child, [ChronologyEventFactory(person=child)]))[0]
    assert "9 May 2016" in first_page
    assert "943 476 5919" in first_page


def test_no_event_of_the_pdf_is_split_across_two_pages(child):
    long_summary = " ".join(["The family was seen at home and the child was well."] * 8)
    events = [
        ChronologyEventFactory(person=child, summary=f"Begin{n:02d} {long_summary} Finish{n:02d}") for n in range(40)
    ]
    pages = _pages(_pdf(child, events))
    assert len(pages) > 2  # the events run over several pages
    for n in range(40):
        [page] = [text for text in pages if f"Begin{n:02d}" in text]
        assert f"Finish{n:02d}" in page


def test_the_csv_starts_with_whose_chronology_it_is(child):
    user = PractitionerFactory(first_name="Nia", last_name="Bowen")
    heading = ExportHeading(person=child, family=False, printed_by=user, printed_at=timezone.now(), filtered=True)
    rows = list(
        csv.reader(
            io.StringIO(chronology_csv([ChronologyEventFactory(person=child)], heading=heading).removeprefix("\ufeff"))
        )
    )
    assert rows[0] == ["Multi-agency chronology", "Cerys Llewellyn"]
    assert ["Cylch ID", child.cylch_id] in rows
    assert ["Date of birth", "2016-05-09"] in rows
    assert ["NHS number", "943 476 5919"] in rows
    assert ["Exported by", f"Nia Bowen, {user.agency.name}"] in rows
    assert ["Events", "Only those matching the filter on the page"] in rows


def test_the_downloaded_csv_has_the_heading_then_the_events(client, child):
    user = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    InvolvementFactory(person=child, agency=user.agency)
    ChronologyEventFactory(person=child, summary="Home visit")
    client.force_login(user)
    rows = list(
        csv.reader(io.StringIO(client.get(f"/people/{child.cylch_id}/chronology.csv").content.decode("utf-8-sig")))
    )
    assert rows[0] == ["Multi-agency chronology", "Cerys Llewellyn"]
    columns = rows.index(["Date and time", "Agency", "Kind", "Summary", "In the child’s own words", "Sensitivity"])
    assert rows[columns + 1][3] == "Home visit"
