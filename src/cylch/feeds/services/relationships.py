"""Relationships between people (the genogram), with their history, and disagreements between agencies about them.

Two agencies' accounts of who someone is to a person are never overwritten by one another: a different
relationship between the same two people (a parent to one agency, a mother's partner to another), or "it ended"
said of a relationship another agency recorded, is kept beside the first account and flagged
(`RelationshipDisagreement`) for the lead practitioner, as households are. The front door and lead practitioners
arbitrate: their changes stand.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, Practitioner
from cylch.audit.models import AuditAction
from cylch.feeds.models import RelationshipDisagreement, RelationshipDisagreementKind
from cylch.feeds.services.common import arbitrates, audit, dated_fact_end, dates_in_order, survivor
from cylch.feeds.services.disagreements import disagreement_flag
from cylch.people.models import (
    Person,
    Relationship,
    RelationshipKind,
)

# What someone *is* to a person: two of these for the same two people cannot both be true. A carer's role
# (kinship, foster) and "other" can sit beside any of them.
EXCLUSIVE_KINDS = frozenset(RelationshipKind.values) - {
    RelationshipKind.KINSHIP_CARER,
    RelationshipKind.FOSTER_CARER,
    RelationshipKind.OTHER,
}


def _ended_before_started() -> str:
    return _("A relationship cannot end before it started.")


@transaction.atomic
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
    (ended, if `end_date` is given and it was open, as `relationship_end` would). A different relationship
    between the two that another agency recorded and that is still open is left standing, and flagged."""
    person, relative = survivor(person), survivor(relative)
    if kind not in RelationshipKind.values:
        raise ValidationError({"kind": _("Unknown relationship: %(kind)s.") % {"kind": str(kind)[:50]}})
    if person.pk == relative.pk:
        raise ValidationError({"relative": _("A person cannot be related to themselves.")})
    dates_in_order(start_date, end_date, _ended_before_started())
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
    if end_date is None and kind in EXCLUSIVE_KINDS:
        _other_accounts_flag(relationship=relationship, agency=agency, actor=recorded_by, request=request)
    return relationship


def _other_accounts_flag(
    *, relationship: Relationship, agency: Agency, actor: Practitioner | None, request: HttpRequest | None
) -> None:
    """Another agency's open account of a different relationship between the same two people stands beside this
    one, flagged (an arbitrating practitioner's own change is theirs to settle, so not flagged)."""
    if arbitrates(actor):
        return
    others = (
        Relationship.objects.filter(
            person=relationship.person,
            relative=relationship.relative,
            kind__in=EXCLUSIVE_KINDS,
            end_date__isnull=True,
        )
        .exclude(pk=relationship.pk)
        .exclude(recorded_by_agency=agency)
        .select_related("person")
    )
    for other in others:
        disagreement_flag(
            RelationshipDisagreement,
            standing=other,
            kind=RelationshipDisagreementKind.DIFFERENT_KIND,
            agency=agency,
            actor=actor,
            request=request,
            claimed_relationship=relationship,
        )


@transaction.atomic
def relationship_end(
    *,
    relationship: Relationship,
    end_date: datetime.date,
    agency: Agency,
    recorded_by: Practitioner | None = None,
    request: HttpRequest | None = None,
) -> RelationshipDisagreement | None:
    """Record that a relationship ended (a partner left); the relationship and its history stay. The agency's own
    account (or an arbitrating practitioner's change) ends it; another agency's account stands, and the
    disagreement is flagged and returned."""
    if relationship.recorded_by_agency_id == agency.pk or arbitrates(recorded_by):
        dated_fact_end(
            relationship,
            end_date=end_date,
            before_start=_ended_before_started(),
            in_future=None,
            page="relationship",
            key="relationship",
            agency=agency,
            actor=recorded_by,
            request=request,
        )
        return None
    dates_in_order(relationship.start_date, end_date, _ended_before_started())
    if relationship.end_date == end_date:
        return None
    return disagreement_flag(
        RelationshipDisagreement,
        standing=relationship,
        kind=RelationshipDisagreementKind.ENDED,
        agency=agency,
        actor=recorded_by,
        request=request,
        claimed_end_date=end_date,
    )
