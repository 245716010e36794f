"""Relationships between people (the genogram), with their history."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, Practitioner
from cylch.audit.models import AuditAction
from cylch.feeds.services.common import audit, dates_in_order, survivor
from cylch.people.models import (
    Person,
    Relationship,
    RelationshipKind,
)


def relationship_record(
    *,
    person: Person,
    relative: Person,
    kind: str,
    agency: Agency,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    recorded_by: Practitioner | None = None,
    request: HttpRequest | None = None,
) -> Relationship:
    """Record that `relative` is the <kind> of `person`; the same pair and kind already recorded is returned
    (ended, if `end_date` is given and it was open)."""
    person, relative = survivor(person), survivor(relative)
    if kind not in RelationshipKind.values:
        raise ValidationError({"kind": _("Unknown relationship: %(kind)s.") % {"kind": str(kind)[:50]}})
    if person.pk == relative.pk:
        raise ValidationError({"relative": _("A person cannot be related to themselves.")})
    dates_in_order(start_date, end_date, _("A relationship cannot end before it started."))
    existing = Relationship.objects.filter(person=person, relative=relative, kind=kind).first()
    if existing is not None:
        if end_date is not None and existing.end_date is None:
            relationship_end(
                relationship=existing, end_date=end_date, agency=agency, recorded_by=recorded_by, request=request
            )
        return existing
    relationship = Relationship.objects.create(
        person=person,
        relative=relative,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        recorded_by_agency=agency,
        recorded_by=recorded_by,
        recorded_at=timezone.now(),
    )
    audit(
        actor=recorded_by,
        person=person,
        action=AuditAction.CREATE,
        page="relationship",
        agency=agency,
        request=request,
        relationship=relationship.pk,
        relative=relative.pk,
        kind=kind,
    )
    return relationship


@transaction.atomic
def relationship_end(
    *,
    relationship: Relationship,
    end_date: datetime.date,
    agency: Agency,
    recorded_by: Practitioner | None = None,
    request: HttpRequest | None = None,
) -> Relationship:
    """Record that a relationship ended (a partner left); the relationship and its history stay."""
    dates_in_order(relationship.start_date, end_date, _("A relationship cannot end before it started."))
    if relationship.end_date == end_date:
        return relationship
    relationship.end_date = end_date
    relationship.save(update_fields=["end_date"])
    audit(
        actor=recorded_by,
        person=relationship.person,
        action=AuditAction.UPDATE,
        page="relationship",
        agency=agency,
        request=request,
        relationship=relationship.pk,
        end_date=end_date.isoformat(),
    )
    return relationship
