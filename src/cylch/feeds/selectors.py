"""Reading what the feeds keep: the disagreements between agencies waiting for the lead practitioner."""

from __future__ import annotations

from django.db.models import QuerySet

from cylch.access.rule import can_see_detail
from cylch.accounts.models import Practitioner
from cylch.feeds.models import HouseholdDisagreement, RelationshipDisagreement
from cylch.people.models import Person

_CLAIM = ("claimed_by_agency", "claimed_by")


def household_disagreements_open(*, user: Practitioner, person: Person) -> QuerySet[HouseholdDisagreement]:
    """The person's unresolved disagreements about where they live, newest first, each with both accounts (the
    standing membership with its agency and date, and the other agency's claim), for a page that has already shown
    the person through `cylch.access.reads`; empty for anyone the need-to-know rule keeps from the detail."""
    if not can_see_detail(user=user, person=person):
        return HouseholdDisagreement.objects.none()
    return (
        HouseholdDisagreement.objects.filter(person=person, resolved_at__isnull=True)
        .select_related(
            "standing__household",
            "standing__recorded_by_agency",
            "standing__recorded_by",
            "claimed_membership__household",
            *_CLAIM,
        )
        .order_by("-claimed_at", "-pk")
    )


def relationship_disagreements_open(*, user: Practitioner, person: Person) -> QuerySet[RelationshipDisagreement]:
    """The same for who someone is to the person: each standing relationship (with both people, its agency and
    date) and the other agency's claim (its own relationship, or the day it says it ended)."""
    if not can_see_detail(user=user, person=person):
        return RelationshipDisagreement.objects.none()
    return (
        RelationshipDisagreement.objects.filter(person=person, resolved_at__isnull=True)
        .select_related(
            "standing__person",
            "standing__relative",
            "standing__recorded_by_agency",
            "standing__recorded_by",
            "claimed_relationship__relative",
            *_CLAIM,
        )
        .order_by("-claimed_at", "-pk")
    )


def disagreement_for_resolving(
    *, user: Practitioner, person: Person, about: str, pk: int
) -> HouseholdDisagreement | RelationshipDisagreement | None:
    """One open disagreement about `person` ("household" or "relationship"), or None: unknown, resolved, or
    about someone else."""
    if about == "household":
        return household_disagreements_open(user=user, person=person).filter(pk=pk).first()
    if about == "relationship":
        return relationship_disagreements_open(user=user, person=person).filter(pk=pk).first()
    return None
