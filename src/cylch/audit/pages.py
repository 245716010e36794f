"""The pages and endpoints the access log names, as people read them: one mapping for every page that shows an
entry (who has seen a record, information governance's review, the subject access export). The log keeps the
codes; a code not listed reads as its words ("risk-rule-trial" as "Risk rule trial")."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PAGE_LABELS: dict[str, Promise] = {
    "person-detail": _("The person’s record"),
    "family-view": _("The whole-family view"),
    "person-search": _("Search for a person"),
    "caseload": _("A caseload"),
    "chronology-export-csv": _("Chronology downloaded as a spreadsheet"),
    "chronology-export-pdf": _("Chronology downloaded as a PDF"),
    "family-chronology-export-csv": _("Family chronology downloaded as a spreadsheet"),
    "family-chronology-export-pdf": _("Family chronology downloaded as a PDF"),
    "subject-access-json": _("Subject access export (JSON)"),
    "subject-access-pdf": _("Subject access export (PDF)"),
    "access-log": _("Who has seen this record"),
    "access-request": _("A request to see the record"),
    "access-requests": _("Requests to see records"),
    "access-review": _("Information governance’s review of access"),
    "access-reviews": _("Access to review"),
    "break-glass": _("Emergency access (break glass)"),
    "concern": _("A concern"),
    "concern-context": _("What is already known, beside a concern"),
    "concern-raise": _("Raising a concern"),
    "concern-submitted": _("A concern just sent"),
    "front-door-queue": _("The front door’s queue"),
    "my-concerns": _("My concerns"),
    "information-request": _("A request for information"),
    "threshold-decision": _("A threshold decision"),
    "match-review": _("Comparing two records"),
    "match-review-queue": _("Possible matches to review"),
    "merge-history": _("Merged records"),
    "person-merge": _("Two records merged"),
    "person-unmerge": _("A merge undone"),
    "person-link": _("A record matched to the person"),
    "chronology-event": _("An event added to the chronology"),
    "household-membership": _("A change to the household"),
    "relationship": _("A change to a relationship"),
    "statutory-status": _("A change to the register or looked-after status"),
    "involvement-open": _("An agency’s work with the person started"),
    "involvement-close": _("An agency’s work with the person ended"),
    "was-not-brought": _("A missed appointment"),
    "meeting": _("A child protection meeting"),
    "meeting-report": _("A report for a child protection meeting"),
    "meetings-work-list": _("Meetings to prepare"),
    "plan-document": _("A child protection plan"),
    "review": _("A practice review"),
    "api-person-detail": _("The person’s record, through the API"),
    "api-person-match": _("Finding a person, through the API"),
    "api-concern": _("A concern, through the API"),
    "api-meetings": _("Meetings, through the API"),
    "api-plan": _("A child protection plan, through the API"),
    "fhir-flag": _("Register and looked-after flags, through the API"),
    "risk-alert": _("A risk alert"),
    "risk-alert-worklist": _("Risk alerts to follow up"),
    "risk-follow-ups": _("Risk alerts followed up"),
}


def words(code: str) -> str:
    """'risk-rule-trial' -> 'Risk rule trial': an unlisted code at least reads as words."""
    text = code.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def page_label(code: str) -> str:
    """The page or endpoint an access-log entry names, in the reader's language."""
    return str(PAGE_LABELS[code]) if code in PAGE_LABELS else words(code)
