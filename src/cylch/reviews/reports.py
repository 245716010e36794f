"""The report template for reviewers, as a Word document and a PDF, in English or Welsh.

Its sections follow the quality checklist, so a report written in it has what the good reviews had: key dates,
the child's story and voice first, the family's and practitioners' part, analysis of why, findings by theme, and
recommendations each tied to a finding with an owner, an intended outcome and a measure, by level.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cylch.records.exports import render_pdf
from cylch.reviews.models import Review
from cylch.reviews.selectors import stage_clocks


@dataclass(frozen=True)
class Section:
    heading: str | Promise
    guidance: str | Promise


SECTIONS = [
    Section(
        _("The child's story and voice"), _("Who the child was, in their own words where possible: put this first.")
    ),
    Section(
        _("Key dates"),
        _("The incident, the referral and every stage of the review, with the date each happened."),
    ),
    Section(
        _("The child and family"),
        _("Age band, ethnicity, the family and household, siblings (no names: use the review code)."),
    ),
    Section(
        _("Review period"),
        _("The period the review covers and, when it is longer than 12 months, why."),
    ),
    Section(
        _("The family's contribution"),
        _("What the family said, or why the family's views are not included."),
    ),
    Section(_("Practitioners' involvement"), _("How practitioners took part: the learning event and conversations.")),
    Section(_("What happened"), _("A short account across agencies, drawn from the combined chronology.")),
    Section(_("Analysis: why it happened"), _("Why practice was as it was, not only what happened.")),
    Section(_("Findings by theme"), _("Each finding under its practice theme.")),
    Section(
        _("Recommendations"),
        _(
            "Local, regional and national recommendations apart; each tied to a finding, with its owning agency, the "
            "outcome it should bring and how that will be measured."
        ),
    ),
]


def _context(review: Review) -> dict[str, object]:
    return {"review": review, "sections": SECTIONS, "clocks": stage_clocks(review)}


def report_template_docx(review: Review, *, language: str) -> bytes:
    """The template as a Word document in `language`, with the review's code and key dates filled in."""
    from docx import Document

    with translation.override(language):
        document = Document()
        document.core_properties.title = str(_("Practice review report: %(code)s") % {"code": review.code})
        document.core_properties.language = language
        document.add_heading(str(_("Practice review report: %(code)s") % {"code": review.code}), level=0)
        for section in SECTIONS:
            document.add_heading(str(section.heading), level=1)
            document.add_paragraph(str(section.guidance), style="Intense Quote")
            if section.heading == SECTIONS[1].heading:
                table = document.add_table(rows=1, cols=2)
                table.style = "Table Grid"
                table.rows[0].cells[0].text = str(_("Stage"))
                table.rows[0].cells[1].text = str(_("Date"))
                for clock in stage_clocks(review):
                    cells = table.add_row().cells
                    cells[0].text = clock.stage.label()
                    cells[1].text = f"{clock.stage.actual_on:%d/%m/%Y}" if clock.stage.actual_on else ""
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()


def report_template_pdf(review: Review, *, language: str) -> bytes:
    with translation.override(language):
        return render_pdf("reviews/report_template_pdf.html", {**_context(review), "language": language})
