"""What every record service shares: the surviving record, date checks and the audit entry."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from cylch.accounts.models import Agency, Practitioner
from cylch.audit.models import AuditAction
from cylch.audit.services import audit_write_record
from cylch.people.models import (
    Person,
)


def survivor(person: Person) -> Person:
    """Facts about a merged-away record belong to the record it was merged into."""
    while person.merged_into_id is not None:
        person = Person.objects.get(pk=person.merged_into_id)
    return person


def today() -> datetime.date:
    return timezone.localdate()


def dates_in_order(start: datetime.date | None, end: datetime.date | None, message: str) -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError({"end_date": message})


def not_future(field: str, day: datetime.date, message: str) -> None:
    if day > today():
        raise ValidationError({field: message})


def audit(
    *,
    actor: Practitioner | None,
    person: Person,
    action: AuditAction,
    page: str,
    agency: Agency,
    request: HttpRequest | None,
    **details: Any,
) -> None:
    audit_write_record(
        practitioner=actor,
        person=person,
        action=action,
        page=page,
        details={"agency": agency.pk, **details},
        request=request,
    )
