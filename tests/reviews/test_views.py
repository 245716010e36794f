"""The pages: each form stores what is valid and, for bad input, answers 400 naming the box, storing nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cylch.reviews.models import ActionStatus, Review, ReviewDocument
from tests.factories import PersonFactory, PractitionerFactory
from tests.reviews.factories import action_make, board_officer, docx_bytes, recommendation_make, review_make

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _register_data(board, **overrides):
    data = {
        "code": "CTM-2024-03",
        "title": "Serious neglect of an infant",
        "review_type": "susr",
        "local_authority": str(board.agency.local_authority_id),
        "incident_kind": "harm_neglect",
        "age_band": "0_3m",
        "characteristics": ["siblings", "on_register"],
        **_date("incident_date", datetime.date(2024, 1, 10)),
        **_date("referral_on", datetime.date(2024, 2, 1)),
    }
    return data | overrides


def test_registering_a_review_shows_every_stage_due_date(client):
    board = board_officer()
    client.force_login(board)
    response = client.post(reverse("reviews:review-new"), _register_data(board))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "CTM-2024-03" in page
    assert "Case review group considers the referral" in page
    assert "29 February 2024" in page  # 20 working days after 1 February 2024
    assert "<svg" in page


def test_a_name_in_the_title_answers_400_on_the_title_box(client):
    PersonFactory(given_name="Tegwen", family_name="Prydderch")
    board = board_officer()
    client.force_login(board)
    response = client.post(reverse("reviews:review-new"), _register_data(board, title="Tegwen Prydderch"))
    assert response.status_code == 400
    assert 'href="#id_title"' in response.content.decode()
    assert not Review.objects.exists()


def test_an_impossible_incident_date_is_refused(client):
    board = board_officer()
    client.force_login(board)
    data = _register_data(board) | {"incident_date_day": "31", "incident_date_month": "2"}
    response = client.post(reverse("reviews:review-new"), data)
    assert response.status_code == 400
    assert "Date of the incident must be a real date" in response.content.decode()
    assert not Review.objects.exists()


def test_stage_dates_out_of_order_answer_400_naming_the_stage(client):
    board = board_officer()
    review = review_make(board)
    client.force_login(board)
    response = client.post(
        reverse("reviews:review-stages", args=[review.code]), _date("actual_learning_event", datetime.date(2023, 1, 1))
    )
    assert response.status_code == 400
    assert "Practitioner learning event cannot be before the incident" in response.content.decode()


def test_stage_dates_are_saved(client):
    board = board_officer()
    review = review_make(board)
    client.force_login(board)
    response = client.post(
        reverse("reviews:review-stages", args=[review.code]),
        _date("actual_case_review_group", datetime.date(2024, 2, 20))
        | _date("planned_draft", datetime.date(2024, 6, 1)),
    )
    assert response.status_code == 302
    assert review.stages.get(code="case_review_group").actual_on == datetime.date(2024, 2, 20)
    assert review.stages.get(code="draft").planned_on == datetime.date(2024, 6, 1)


def test_an_upload_that_is_not_a_pdf_or_docx_names_the_file_box(client):
    board = board_officer()
    review = review_make(board)
    client.force_login(board)
    response = client.post(
        reverse("reviews:document-new", args=[review.code]),
        {"kind": "report", "language": "en", "file": SimpleUploadedFile("report.pdf", b"just text", "application/pdf")},
    )
    assert response.status_code == 400
    assert "The file must be a PDF or a Word document (DOCX)" in response.content.decode()
    assert not ReviewDocument.objects.exists()


def test_a_word_document_is_uploaded(client):
    board = board_officer()
    review = review_make(board)
    client.force_login(board)
    upload = SimpleUploadedFile("brief.docx", docx_bytes("Seven-minute briefing"), "application/octet-stream")
    response = client.post(
        reverse("reviews:document-new", args=[review.code]), {"kind": "briefing", "language": "cy", "file": upload}
    )
    assert response.status_code == 302
    assert ReviewDocument.objects.get().text.startswith("Seven-minute briefing")


def test_a_recommendation_without_a_finding_names_the_finding_box(client):
    board = board_officer()
    review = review_make(board)
    client.force_login(board)
    response = client.post(
        reverse("reviews:recommendation-new", args=[review.code]),
        {"text": "Do better", "level": "local", "owner_agency": str(board.agency_id), "intended_outcome": "Better"},
    )
    assert response.status_code == 400
    assert "Select the finding the recommendation answers" in response.content.decode()


def test_the_report_template_is_a_word_document_in_welsh(client):
    from docx import Document

    board = board_officer()
    review = review_make(board)
    client.force_login(board)
    response = client.get(reverse("reviews:report-template-docx", args=[review.code]) + "?language=cy")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    headings = [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) == 10


def test_the_report_template_is_a_pdf(client):
    board = board_officer()
    review = review_make(board)
    client.force_login(board)
    response = client.get(reverse("reviews:report-template-pdf", args=[review.code]))
    assert response.content.startswith(b"%PDF-")


def test_the_owning_agency_completes_and_the_board_closes(client):
    board = board_officer()
    review = review_make(board)
    action = action_make(board, recommendation_make(board, review))
    agency_user = PractitionerFactory(agency=action.owner_agency)
    client.force_login(agency_user)
    url = reverse("reviews:action", args=[action.pk])
    response = client.post(
        url, {"status": "completed", "evidence_of_completion": "Protocol out", "evidence_of_impact": "Audit good"}
    )
    assert response.status_code == 302
    client.force_login(board)
    assert client.post(reverse("reviews:action-sign-off", args=[action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED


def test_the_register_lists_current_reviews_latest_first(client):
    board = board_officer()
    on_time = review_make(
        board, incident_date=timezone.localdate(), referral_on=timezone.localdate(), code="ONT-2026-01"
    )
    late = review_make(
        board, code="LTE-2023-01", incident_date=datetime.date(2023, 1, 5), referral_on=datetime.date(2023, 2, 1)
    )
    client.force_login(board)
    page = client.get(reverse("reviews:register")).content.decode()
    assert page.index(late.code) < page.index(on_time.code)
