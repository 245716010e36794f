"""Filters for printed exports: a field name as a heading, a value as a person would write it."""

from __future__ import annotations

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cylch.audit.pages import page_label, words
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


# Keys of an event's or entry's details, and how their values read.
DETAIL_LABELS: dict[str, Promise] = {
    "concern": _("Concern"),
    "categories": _("Categories"),
    "outcome": _("Decision"),
    "revised": _("A revised decision"),
    "text": _("Details"),
}


def _detail(key: str, value: object) -> str:
    label = str(DETAIL_LABELS.get(key, words(key)))
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
        return page_label(str(value))
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
