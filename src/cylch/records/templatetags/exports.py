"""Filters for printed exports: a field name as a heading, a value as a person would write it."""

from __future__ import annotations

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cylch.concerns.models import Outcome, category_labels
from cylch.core.templatetags.govuk import localised_name
from cylch.people.models import RelationshipKind

register = template.Library()
OUTCOME_LABELS = dict(Outcome.choices)
RELATIONSHIP_LABELS = dict(RelationshipKind.choices)


# The heading of each field a subject access export prints, in the language of the export.
FIELD_LABELS: dict[str, Promise] = {
    "cylch_id": _("Cylch ID"),
    "given_name": _("Given name"),
    "middle_names": _("Middle names"),
    "family_name": _("Family name"),
    "is_unborn": _("Unborn"),
    "expected_delivery_date": _("Expected date of delivery"),
    "date_of_birth": _("Date of birth"),
    "date_of_death": _("Date of death"),
    "sex": _("Sex"),
    "gender": _("Gender identity"),
    "ethnicity": _("Ethnicity"),
    "first_language": _("First language"),
    "interpreter_needed": _("Interpreter needed"),
    "nhs_number": _("NHS number"),
    "created_at": _("Created"),
    "updated_at": _("Last updated"),
    "merged_cylch_ids": _("Cylch IDs merged into this record"),
    "kind": _("Kind"),
    "used_from": _("Used from"),
    "used_to": _("Used until"),
    "value": _("Value"),
    "agency": _("Agency"),
    "local_id": _("Agency’s record ID"),
    "postcode": _("Postcode"),
    "address": _("Address"),
    "identifiers": _("Identifiers"),
    "received_at": _("Received"),
    "local_authority": _("Local authority"),
    "moved_in": _("Moved in"),
    "moved_out": _("Moved out"),
    "relative": _("Relative"),
    "relative_cylch_id": _("Relative’s Cylch ID"),
    "is_the": _("Is the"),
    "of": _("Of"),
    "of_cylch_id": _("Their Cylch ID"),
    "from": _("From"),
    "to": _("To"),
    "role": _("Role"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
    "category": _("Category"),
    "occurred_at": _("Date and time"),
    "recorded_at": _("Recorded"),
    "summary": _("Summary"),
    "child_words": _("In the child’s own words"),
    "sensitivity": _("Sensitivity"),
    "details": _("Details"),
    "reference": _("Reference"),
    "what_happened": _("What happened"),
    "stage": _("Status"),
    "decision": _("Decision"),
    "status": _("Status"),
    "reason": _("Reason"),
    "expires_at": _("Expires"),
    "decided_at": _("Decided"),
    "decision_reason": _("Reason for the decision"),
    "lead_agency": _("Agency leading on the record"),
    "automatic": _("Made by the matcher"),
    "survivor_cylch_id": _("Surviving Cylch ID"),
    "merged_cylch_id": _("Merged Cylch ID"),
    "probability": _("Match probability"),
    "compared_with_cylch_id": _("Compared with Cylch ID"),
    "at": _("When"),
    "roles": _("Roles"),
    "action": _("Action"),
    "page": _("Page or endpoint"),
    "outcome": _("Outcome"),
}


@register.filter
def field_label(name: str) -> str:
    """'date_of_birth' -> 'Date of birth' (or its Welsh); every field an export prints has a label here."""
    return str(FIELD_LABELS[name])


# The pages and endpoints the access log names, as the subject access export prints them (the JSON keeps the
# codes). A page not listed here is printed as its words ("risk-rule-trial" as "Risk rule trial").
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
    "api-person-detail": _("The person’s record, through the API"),
    "api-person-match": _("Finding a person, through the API"),
    "api-concern": _("A concern, through the API"),
    "fhir-flag": _("Register and looked-after flags, through the API"),
    "risk-alert": _("A risk alert"),
    "risk-alert-worklist": _("Risk alerts to follow up"),
}

# Keys of an event's or entry's details, and how their values read.
DETAIL_LABELS: dict[str, Promise] = {
    "concern": _("Concern"),
    "categories": _("Categories"),
    "outcome": _("Decision"),
    "revised": _("A revised decision"),
    "text": _("Details"),
}


def _words(code: str) -> str:
    """'risk-rule-trial' -> 'Risk rule trial': an unlisted code at least reads as words."""
    text = code.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _detail(key: str, value: object) -> str:
    label = str(DETAIL_LABELS.get(key, _words(key)))
    if key == "categories" and isinstance(value, list):
        return f"{label}: {', '.join(category_labels(str(code) for code in value)) or '–'}"
    if key == "outcome":
        return f"{label}: {OUTCOME_LABELS.get(str(value), value)}"
    return f"{label}: {field_value(value)}"


@register.filter
def field_value(value: object, key: str = "") -> str:
    """Dates as '27 December 2014', times in local time, yes or no, lists joined, nothing as a dash; with the
    field's `key`, a page code or relationship code as words and an event's details as labelled sentences."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if key == "page":
        return str(PAGE_LABELS.get(str(value), _words(str(value))))
    if key == "is_the":
        return str(RELATIONSHIP_LABELS.get(str(value), value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "j F Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(_detail(str(k), v) for k, v in value.items())
    if hasattr(value, "name"):
        return localised_name(value)
    return str(value)
