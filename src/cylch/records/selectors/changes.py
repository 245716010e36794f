"""Reading a person for a page that changes their record (a chronology event, households, relationships,
statuses): who may change what, and the history beside the form, each read through the audited path.

A refused change page is logged as refused, like a refused export; an allowed one is logged as the read it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import HttpRequest

from cylch.access.reads import disclose_one, reading, refuse
from cylch.access.rule import active_involvements, can_see_detail
from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import can_edit_households, can_record_events, can_record_statuses, is_front_door
from cylch.feeds.models import HouseholdDisagreement, RelationshipDisagreement
from cylch.feeds.selectors import household_disagreements_open, relationship_disagreements_open
from cylch.people.models import HouseholdMembership, Person, Relationship, StatutoryStatus
from cylch.people.selectors import person_resolve
from cylch.records.selectors.person import PersonRecord

Permission = Callable[[Practitioner, Person], bool]


def may_record_event(user: Practitioner, person: Person) -> bool:
    """Only a practitioner whose agency works with the child (an active involvement) adds to their chronology."""
    agency_id = user.agency_id
    if agency_id is None or not can_record_events(user):
        return False
    return active_involvements().filter(person=person, agency_id=agency_id).exists()


def may_edit_household(user: Practitioner, person: Person) -> bool:
    return can_edit_households(user) and can_see_detail(user=user, person=person)


def may_record_status(user: Practitioner, person: Person) -> bool:
    return can_record_statuses(user) and can_see_detail(user=user, person=person)


def may_allocate(user: Practitioner, person: Person) -> bool:
    """The front door allocates a child to an agency (an involvement, which grants that agency detail access);
    nobody else opens one on the web (`cylch.feeds.services.involvements` refuses them too)."""
    return is_front_door(user)


@dataclass(frozen=True)
class ChangesAllowed:
    """Which change pages the single view links to, decided from what its read already holds (no query)."""

    event: bool
    household: bool
    status: bool
    allocate: bool


def changes_allowed(user: Practitioner, record: PersonRecord) -> ChangesAllowed:
    """The rules above for a record already read with detail: its contacts are its active involvements."""
    involved = any(contact.agency.pk == user.agency_id for contact in record.contacts)
    return ChangesAllowed(
        event=record.detail_allowed and can_record_events(user) and involved,
        household=record.detail_allowed and can_edit_households(user),
        status=record.detail_allowed and can_record_statuses(user),
        allocate=record.detail_allowed and is_front_door(user),
    )


def disagreements_waiting(user: Practitioner, record: PersonRecord, allowed: ChangesAllowed) -> int:
    """How many agencies' disagreements about the person's home or relationships wait for someone who may settle
    them (the front door and lead practitioners); asked only for them, so other readers' pages cost no query."""
    if not allowed.household:
        return 0
    person = record.person
    return (
        household_disagreements_open(user=user, person=person).count()
        + relationship_disagreements_open(user=user, person=person).count()
    )


def person_for_change(
    *, user: Practitioner, cylch_id: str, page: str, permitted: Permission, request: HttpRequest | None = None
) -> Person | None:
    """The person a change page is about, or None (logged as refused) when `user` may not make it."""
    person = person_resolve(cylch_id=cylch_id)
    if not permitted(user, person):
        refuse(user=user, page=page, request=request, person=person)
        return None
    disclose_one(user=user, person=person, page=page, request=request)
    return person


@dataclass
class HouseholdHistory:
    """Everything recorded about where a person lived, who with and who they are related to, with its source."""

    person: Person
    memberships: list[HouseholdMembership] = field(default_factory=list)
    # Everyone else ever recorded at the person's homes, with their own moves in and out.
    housemates: list[HouseholdMembership] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    statuses: list[StatutoryStatus] = field(default_factory=list)
    disagreements: list[HouseholdDisagreement] = field(default_factory=list)
    relationship_disagreements: list[RelationshipDisagreement] = field(default_factory=list)

    @property
    def current(self) -> list[HouseholdMembership]:
        return [m for m in self.memberships if m.end_date is None]


def household_history(
    *, user: Practitioner, cylch_id: str, request: HttpRequest | None = None
) -> HouseholdHistory | None:
    """A person's households, housemates, relationships and statuses over time (ended ones kept), each with the
    agency that recorded it and when, and open disagreements; None (logged as refused) for anyone who may not
    edit them. Everyone the page names is logged, "shown with" the person (a disagreement names only people its
    relationships already name)."""
    person = person_resolve(cylch_id=cylch_id)
    page = "household-history"
    if not may_edit_household(user, person):
        refuse(user=user, page=page, request=request, person=person)
        return None
    provenance = ("recorded_by_agency", "recorded_by")
    with reading(user=user, page=page, request=request) as read:
        read.decide([person])
        rows = list(
            HouseholdMembership.objects.filter(
                household_id__in=HouseholdMembership.objects.filter(person=person).values("household_id")
            )
            .select_related("household", "person", *provenance)
            .order_by("-start_date", "pk")
        )
        history = HouseholdHistory(
            person=person,
            memberships=[m for m in rows if m.person_id == person.pk],
            housemates=[m for m in rows if m.person_id != person.pk],
            relationships=list(
                Relationship.objects.filter(Q(person=person) | Q(relative=person))
                .select_related("person", "relative", *provenance)
                .order_by("end_date", "-start_date", "pk")
            ),
            statuses=list(person.statuses.select_related("local_authority", *provenance)),
            disagreements=list(household_disagreements_open(user=user, person=person)),
            relationship_disagreements=list(relationship_disagreements_open(user=user, person=person)),
        )
        others = {m.person_id: m.person for m in history.housemates}
        others |= {p.pk: p for rel in history.relationships for p in (rel.person, rel.relative)}
        others.pop(person.pk, None)
        read.decide(others.values(), reasons=dict.fromkeys(others, f"shown with {person.cylch_id}"))
    return history
