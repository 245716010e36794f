"""The meeting's documents (invitation, agency report form, minutes, plan) as accessible HTML and tagged PDF.

One standalone template per document serves both: the HTML is the accessible version, WeasyPrint prints the same
markup (`cylch.records.exports.render_pdf`). A document is worded in the reader's language, or in the one asked
for with `?language=en|cy`, so a Welsh-speaking family's copy can be printed by an English-speaking chair.
Nothing here reads the database beyond what the selector already read and logged.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from cylch.meetings.selectors import MeetingPage, PlanPage
from cylch.records.exports import render_pdf

DOCUMENTS = ("invitation", "report-form", "minutes", "plan")


def template(document: str) -> str:
    return f"meetings/documents/{document.replace('-', '_')}.html"


def context(page: MeetingPage, document: str) -> dict[str, Any]:
    return {
        "page": page,
        "meeting": page.meeting,
        "children": page.shown_children(),
        "document": document,
        "printed_at": timezone.now(),
    }


def _attachment(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def pdf_response(page: MeetingPage, document: str, values: dict[str, Any]) -> HttpResponse:
    day = timezone.localtime(page.meeting.held_at).date()
    return _attachment(render_pdf(template(document), values), f"cylch-meeting-{page.meeting.pk}-{document}-{day}.pdf")


def plan_context(page: PlanPage) -> dict[str, Any]:
    return {"page": page, "plan": page.plan, "printed_at": timezone.now()}


def plan_pdf_response(page: PlanPage, values: dict[str, Any]) -> HttpResponse:
    name = f"cylch-{page.plan.person.cylch_id}-plan-{timezone.localdate():%Y-%m-%d}.pdf"
    return _attachment(render_pdf("meetings/documents/plan.html", values), name)
