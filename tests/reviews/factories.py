"""Builders for reviews: a board officer, and reviews registered through the service (so stages come from the
definitions exactly as on the web)."""

from __future__ import annotations

import datetime
import io
from typing import Any

from cylch.accounts.models import Agency, Practitioner, RoleCode
from cylch.reviews.models import Action, Finding, Recommendation, Review
from cylch.reviews.services import action_add, finding_add, recommendation_add, review_register
from tests.factories import AgencyFactory, PractitionerFactory

_counter = iter(range(1, 10_000))


def board_officer(agency: Agency | None = None, **kwargs: Any) -> Practitioner:
    return PractitionerFactory(roles=[RoleCode.BOARD_OFFICER], agency=agency or AgencyFactory(), **kwargs)


def review_make(
    board: Practitioner,
    *,
    review_type: str = "susr",
    incident_date: datetime.date = datetime.date(2024, 1, 10),
    referral_on: datetime.date | None = datetime.date(2024, 2, 1),
    code: str | None = None,
    title: str = "Serious neglect of an infant",
    **kwargs: Any,
) -> Review:
    assert board.agency is not None
    return review_register(
        user=board,
        code=code or f"TST-2024-{next(_counter):02d}",
        title=title,
        review_type=review_type,
        local_authority=board.agency.local_authority,
        incident_kind=kwargs.pop("incident_kind", "harm_neglect"),
        incident_date=incident_date,
        age_band=kwargs.pop("age_band", "0_3m"),
        characteristics=kwargs.pop("characteristics", ["siblings"]),
        referral_on=referral_on,
        **kwargs,
    )


def finding_make(board: Practitioner, review: Review, *, theme: str = "information_sharing", text: str = "") -> Finding:
    return finding_add(review=review, user=board, text=text or "Agencies did not share what they knew.", theme=theme)


def recommendation_make(
    board: Practitioner, review: Review, *, finding: Finding | None = None, owner: Agency | None = None, **kwargs: Any
) -> Recommendation:
    return recommendation_add(
        review=review,
        user=board,
        finding=finding or finding_make(board, review),
        text=kwargs.pop("text", "Share Was Not Brought notices with the school nurse."),
        level=kwargs.pop("level", "regional"),
        owner_agency=owner or AgencyFactory(local_authority=review.local_authority),
        intended_outcome=kwargs.pop("intended_outcome", "Missed appointments are seen by every agency involved."),
        measure=kwargs.pop("measure", "Audit of 20 cases in 6 months."),
    )


def action_make(
    board: Practitioner,
    recommendation: Recommendation,
    *,
    due_on: datetime.date = datetime.date(2025, 6, 30),
    owner: Agency | None = None,
) -> Action:
    return action_add(
        recommendation=recommendation,
        user=board,
        description="Write the protocol and train the teams.",
        owner_agency=owner,
        owner_name="Head of safeguarding",
        due_on=due_on,
    )


def pdf_bytes(text: str) -> bytes:
    """A real PDF holding `text` (WeasyPrint, as the service prints its own PDFs)."""
    from weasyprint import HTML

    return bytes(HTML(string=f"<html><body><p>{text}</p></body></html>").write_pdf())


def docx_bytes(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
