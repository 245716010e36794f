"""What every record service shares: the surviving record, date checks, the audit entry and ending a dated fact."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from cylch.accounts.models import Agency, Practitioner, RoleCode
from cylch.accounts.permissions import is_front_door
from cylch.audit.models import AuditAction
from cylch.audit.services import audit_write_record
from cylch.people.models import HouseholdMembership, Involvement, Person, Relationship, StatutoryStatus


def survivor(person: Person) -> Person:
    """Facts about a merged-away record belong to the record it was merged into."""
    while person.merged_into_id is not None:
        person = Person.objects.get(pk=person.merged_into_id)
    return person


def arbitrates(actor: Practitioner | None) -> bool:
    """The front door and lead practitioners decide between agencies' accounts; their changes stand."""
    return actor is not None and (is_front_door(actor) or actor.has_role(RoleCode.LEAD_PRACTITIONER))


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


# A fact about a person that holds from a start date until an end date.
DatedFact = Involvement | HouseholdMembership | Relationship | StatutoryStatus


def dated_fact_end(
    fact: DatedFact,
    *,
    end_date: datetime.date,
    before_start: str,
    in_future: str | None,
    page: str,
    key: str,
    agency: Agency,
    actor: Practitioner | None,
    request: HttpRequest | None,
) -> bool:
    """End `fact` on `end_date`, on the audit chain (`page`, with the fact's id under `key`); refused with
    `before_start` if it would end before it started, or with `in_future` (when given) if `end_date` is after
    today. False, with nothing written, when it already ended that day: a re-send changes nothing."""
    dates_in_order(fact.start_date, end_date, before_start)
    if in_future is not None:
        not_future("end_date", end_date, in_future)
    if fact.end_date == end_date:
        return False
    fact.end_date = end_date
    fact.save(update_fields=["end_date"])
    audit(
        actor=actor,
        person=fact.person,
        action=AuditAction.UPDATE,
        page=page,
        agency=agency,
        request=request,
        **{key: fact.pk},
        end_date=end_date.isoformat(),
    )
    return True
