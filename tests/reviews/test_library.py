"""The library: published reports and briefings checked by content, their text searched with findings and
recommendations (PostgreSQL full-text search, word matching on SQLite), filtered by type, year, theme and area."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cylch.reviews.models import ReviewDocument
from cylch.reviews.selectors import library_search
from cylch.reviews.services import document_upload, stages_record
from tests.factories import LocalAuthorityFactory
from tests.reviews.factories import board_officer, docx_bytes, finding_make, pdf_bytes, recommendation_make, review_make

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def report_pdf():
    return pdf_bytes("The health visitor recorded three missed appointments that were never shared with the school.")


def _upload(board, review, content, filename="report.pdf"):
    return document_upload(review=review, user=board, kind="report", language="en", filename=filename, content=content)


def test_a_pdf_is_stored_with_its_text(report_pdf):
    board = board_officer()
    document = _upload(board, review_make(board), report_pdf)
    assert document.content_type == "application/pdf"
    assert "missed appointments" in document.text


def test_a_word_document_is_stored_with_its_text():
    board = board_officer()
    document = _upload(board, review_make(board), docx_bytes("Fathers were invisible to services."), "b.docx")
    assert "Fathers were invisible" in document.text


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 an executable named report.pdf", b"PK\x03\x04 not really a zip", b"<html>report</html>", b""],
)
def test_anything_else_is_refused_whatever_its_name(content):
    board = board_officer()
    with pytest.raises(ValidationError) as excinfo:
        _upload(board, review_make(board), content, "report.pdf")
    assert "file" in excinfo.value.message_dict
    assert not ReviewDocument.objects.exists()


def test_a_damaged_pdf_is_refused():
    board = board_officer()
    with pytest.raises(ValidationError):
        _upload(board, review_make(board), b"%PDF-1.7\n garbage")
    assert not ReviewDocument.objects.exists()


def test_search_finds_a_word_in_a_report(report_pdf):
    board = board_officer()
    found, other = review_make(board), review_make(board)
    _upload(board, found, report_pdf)
    hits = library_search(user=board, query="appointments")
    assert [hit.review for hit in hits] == [found]
    assert "appointments" in hits[0].matches[0][1]
    assert other not in [hit.review for hit in hits]


def test_search_finds_findings_and_recommendations():
    board = board_officer()
    review = review_make(board)
    finding = finding_make(board, review, text="Nobody asked who else lived in the house.", theme="whole_family")
    recommendation_make(board, review, finding=finding, text="Include fathers in every assessment.")
    [hit] = library_search(user=board, query="fathers")
    assert hit.review == review
    assert [str(where) for where, _snippet in hit.matches] == ["Recommendation"]


def test_search_needs_every_word():
    board = board_officer()
    review = review_make(board)
    finding_make(board, review, text="Health visitors and school nurses did not share concerns.")
    assert library_search(user=board, query="school nurses")
    assert not library_search(user=board, query="school police")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL full-text search's")
def test_postgresql_search_matches_other_forms_of_a_word():
    board = board_officer()
    review = review_make(board)
    finding_make(board, review, text="The children were neglected for years.")
    assert [hit.review for hit in library_search(user=board, query="neglect")] == [review]


def test_filters_by_type_theme_area_and_year_of_publication():
    board = board_officer()
    susr = review_make(board, review_type="susr")
    elsewhere_la = LocalAuthorityFactory(region=board.agency.local_authority.region)
    mapf = review_make(board, review_type="mapf")
    mapf.local_authority = elsewhere_la
    mapf.save()
    finding_make(board, susr, theme="was_not_brought")
    stages_record(review=susr, user=board, dates={"publication": (None, datetime.date(2024, 9, 1))})
    assert [h.review for h in library_search(user=board, review_type="mapf")] == [mapf]
    assert [h.review for h in library_search(user=board, theme="was_not_brought")] == [susr]
    assert [h.review for h in library_search(user=board, local_authority_id=elsewhere_la.pk)] == [mapf]
    assert [h.review for h in library_search(user=board, year=2024)] == [susr]
    assert library_search(user=board, year=2023) == []


def test_another_regions_reviews_are_not_in_the_library():
    board, elsewhere = board_officer(), board_officer()
    review_make(elsewhere)
    assert library_search(user=board) == []
