"""Chronology events: one way to add an event to a person's chronology, one at a time or in bulk."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, Practitioner
from cylch.audit.models import AuditAction
from cylch.chronology.models import ChronologyEvent, EventKind, Sensitivity
from cylch.feeds.services.common import audit, survivor
from cylch.people.models import (
    Person,
    SourceRecord,
)

MAX_SUMMARY = 500
# Booked before the birth it is about, so the one kind allowed to precede a date of birth.
BEFORE_BIRTH_KINDS = frozenset({EventKind.ANTENATAL_BOOKING})
# Built once: `.values` builds a new list on every call, and bulk files check every event.
KINDS = frozenset(EventKind.values)
SENSITIVITIES = frozenset(Sensitivity.values)


def chronology_event_errors(
    *,
    kind: str,
    occurred_at: datetime.datetime,
    date_of_birth: datetime.date | None,
    summary: str,
    sensitivity: str,
    details: Any,
    now: datetime.datetime,
) -> dict[str, str]:
    """What is wrong with an event, field by field (empty when nothing is): one set of checks and words for an
    event recorded on its own and for events a bulk file inserts together."""
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = _("Unknown kind of event: %(kind)s.") % {"kind": str(kind)[:50]}
    if timezone.is_naive(occurred_at):
        errors["occurred_at"] = _("Give the time zone of when it happened, e.g. 2026-03-01T09:30:00Z.")
    elif occurred_at > now:
        errors["occurred_at"] = _("When it happened cannot be in the future.")
    elif (
        date_of_birth is not None
        and kind not in BEFORE_BIRTH_KINDS
        and timezone.localtime(occurred_at).date() < date_of_birth
    ):
        errors["occurred_at"] = _("When it happened cannot be before the person was born.")
    if not summary.strip():
        errors["summary"] = _("Enter a summary of what happened.")
    elif len(summary) > MAX_SUMMARY:
        errors["summary"] = _("Use %(limit)s characters or fewer.") % {"limit": MAX_SUMMARY}
    if sensitivity not in SENSITIVITIES:
        errors["sensitivity"] = _("Choose standard, sensitive or restricted.")
    if details is not None and not isinstance(details, dict):
        errors["details"] = _("Details must be a JSON object.")
    return errors


@transaction.atomic
def chronology_event_record(
    *,
    person: Person,
    agency: Agency,
    kind: str,
    occurred_at: datetime.datetime,
    summary: str,
    details: dict[str, Any] | None = None,
    sensitivity: str = Sensitivity.STANDARD,
    child_words: str = "",
    recorded_by: Practitioner | None = None,
    source_record: SourceRecord | None = None,
    request: HttpRequest | None = None,
) -> ChronologyEvent:
    """Add one event to a person's chronology, as `agency` recorded it, on the audit chain."""
    now = timezone.now()
    errors = chronology_event_errors(
        kind=kind,
        occurred_at=occurred_at,
        date_of_birth=person.date_of_birth,
        summary=summary,
        sensitivity=sensitivity,
        details=details,
        now=now,
    )
    if errors:
        raise ValidationError(errors)
    event = ChronologyEvent(
        person=survivor(person),
        agency=agency,
        kind=kind,
        occurred_at=occurred_at,
        recorded_at=now,
        summary=summary.strip(),
        details=details or {},
        sensitivity=sensitivity,
        child_words=child_words,
        recorded_by=recorded_by,
        source_record=source_record,
    )
    event.save()
    audit(
        actor=recorded_by,
        person=event.person,
        action=AuditAction.CREATE,
        page="chronology-event",
        agency=agency,
        request=request,
        event=event.pk,
        kind=kind,
    )
    return event
