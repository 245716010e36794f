"""The whole-family view: the child's households now and before, and siblings elsewhere.

Each member is shown under the need-to-know rule and logged in their own access log, and so is every
relative the genogram names.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from cylch.access.reads import Reading, reading
from cylch.access.selectors import AgencyContact, agency_contacts
from cylch.accounts.models import Agency, Practitioner
from cylch.audit.models import AccessOutcome, AuditAction
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.concerns.agency_history import AgencyPeriod, agency_history
from cylch.people.models import (
    HouseholdMembership,
    Person,
    Relationship,
    RelationshipKind,
    StatutoryStatus,
)
from cylch.people.selectors import person_resolve
from cylch.records.selectors.chronology import ChronologyFilter, chronology_facets, chronology_filtered
from cylch.records.selectors.person import ConcernStatus, concerns_about, relationships_of

# What in an adult's history matters to a child's safety: the parent and carer risk factors of the
# 2023 thematic review (domestic abuse, criminal history, substance misuse, mental health).
ADULT_HISTORY_KINDS = frozenset(
    {
        EventKind.DOMESTIC_ABUSE_INCIDENT,
        EventKind.POLICE_INCIDENT,
        EventKind.ARREST,
        EventKind.PROBATION_CONTACT,
        EventKind.SUBSTANCE_MISUSE_CONTACT,
        EventKind.MENTAL_HEALTH_CONTACT,
    }
)


@dataclass
class FamilyMember:
    """One person in the child's family as `user` may see them (the rule applied to each member)."""

    person: Person
    detail_allowed: bool
    is_subject: bool
    contacts: list[AgencyContact]
    lives_with_child: bool = True
    statuses: list[StatutoryStatus] = field(default_factory=list)
    history: list[ChronologyEvent] = field(default_factory=list)
    # Every agency ever involved, with the years: shown however restricted the member's detail is.
    agencies_ever: list[AgencyPeriod] = field(default_factory=list)

    @property
    def agencies_before(self) -> list[AgencyPeriod]:
        """Agencies no longer involved (those involved now are the member's contacts)."""
        return [period for period in self.agencies_ever if not period.current]


@dataclass
class FamilyRecord:
    """The child, everyone living with them now and their siblings living elsewhere.

    With `detail_allowed` False only contacts are filled.
    """

    person: Person
    detail_allowed: bool
    contacts: list[AgencyContact]
    members: list[FamilyMember] = field(default_factory=list)
    relationships: list[tuple[str, Person, Relationship]] = field(default_factory=list)
    family_relationships: list[Relationship] = field(default_factory=list)
    # As on a person's record: a queryset the page reads one page of, and exports read in full.
    chronology: QuerySet[ChronologyEvent] | list[ChronologyEvent] = field(default_factory=list)
    chronology_agencies: list[Agency] = field(default_factory=list)
    chronology_kinds: list[str] = field(default_factory=list)
    chronology_count: int | None = None
    households: list[HouseholdMembership] = field(default_factory=list)
    previous_households: list[HouseholdMembership] = field(default_factory=list)
    concerns: list[ConcernStatus] = field(default_factory=list)
    # Everyone the page names whose detail the reader may see (the genogram shows the others' age band at most).
    allowed: frozenset[int] = frozenset()

    @property
    def household_people(self) -> list[Person]:
        return [m.person for m in self.members if m.lives_with_child and not m.is_subject]


SIBLING_KINDS = frozenset({RelationshipKind.SIBLING, RelationshipKind.HALF_SIBLING})


def family_record(
    *,
    user: Practitioner,
    cylch_id: str,
    page: str = "family-view",
    chronology_filter: ChronologyFilter | None = None,
    request: HttpRequest | None = None,
    action: AuditAction = AuditAction.VIEW,
) -> FamilyRecord:
    """The child's household now and before, and their siblings elsewhere: each member through the rule.

    Members the user may not open appear by name with whom to contact, as on their own page. Each
    member's read is logged; the child's entry says why, and whose details came with the page.
    An export (`action=EXPORT`) that the rule refuses is logged as refused.
    """
    person = person_resolve(cylch_id=cylch_id)
    chronology_filter = chronology_filter or ChronologyFilter()
    exporting = action == AuditAction.EXPORT
    with reading(user=user, page=page, request=request, action=action) as read:
        access = read.decide(
            [person],
            refused_outcome=AccessOutcome.REFUSED if exporting else AccessOutcome.RESTRICTED,
            details={person.pk: chronology_filter.as_details()} if exporting else None,
        ).basis_of(person)
        if access is None:
            contacts = agency_contacts(person_ids=[person.pk]).get(person.pk, [])
            return FamilyRecord(person=person, detail_allowed=False, contacts=contacts)
        record = _family(read, person, chronology_filter)
        named = {m.person.pk: m.person for m in record.members}
        named |= {other.pk: other for _side, other, _rel in record.relationships}
        named |= {p.pk: p for rel in record.family_relationships for p in (rel.person, rel.relative)}
        named.pop(person.pk, None)
        read.note(person, basis=str(access.basis), grant=access.grant_id, also_shown=sorted(named))
        shown = read.decide(named.values(), reasons=dict.fromkeys(named, f"shown with {person.cylch_id}"))
        record.allowed = frozenset({person.pk, *shown.access})
    return record


def _family(read: Reading, person: Person, chronology_filter: ChronologyFilter) -> FamilyRecord:
    """Everyone in the family view; the rule is applied to each member as `read` meets them (and logged)."""
    today = timezone.localdate()
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    memberships = list(
        HouseholdMembership.objects.filter(person=person)
        .select_related("household", "household__local_authority", "recorded_by_agency")
        .order_by("-start_date")
    )
    homes = [m for m in memberships if m.is_current_on(today)]
    others: dict[int, Person] = {}
    for membership in (
        HouseholdMembership.objects.filter(household_id__in=[m.household_id for m in homes], start_date__lte=today)
        .filter(current)
        .exclude(person=person)
        .filter(person__merged_into__isnull=True)
        .select_related("person")
        .order_by("person__date_of_birth", "person_id")
    ):
        others.setdefault(membership.person_id, membership.person)
    relationships = relationships_of(person)
    elsewhere = sorted(
        {
            other.pk: other
            for _side, other, rel in relationships
            if rel.kind in SIBLING_KINDS and other.pk not in others and other.merged_into_id is None
        }.values(),
        key=lambda p: (p.date_of_birth is None, p.date_of_birth, p.pk),
    )
    people = [person, *others.values(), *elsewhere]
    ids = [p.pk for p in people]
    allowed = {person.pk} | set(read.decide(people[1:]).access)
    contacts = agency_contacts(person_ids=ids)
    agencies_ever = agency_history(person_ids=ids)
    statuses: dict[int, list[StatutoryStatus]] = {}
    in_force = StatutoryStatus.objects.filter(person_id__in=allowed, start_date__lte=today).filter(current)
    for status in in_force.select_related("recorded_by_agency"):
        statuses.setdefault(status.person_id, []).append(status)
    history: dict[int, list[ChronologyEvent]] = {}
    adults = [p.pk for p in people if p.pk in allowed and not p.is_child]
    for event in (
        ChronologyEvent.objects.filter(person_id__in=adults, kind__in=ADULT_HISTORY_KINDS)
        .select_related("agency")
        .order_by("-occurred_at", "-pk")
    ):
        history.setdefault(event.person_id, []).append(event)
    events = ChronologyEvent.objects.filter(person_id__in=allowed)
    family = set(ids) | {other.pk for _side, other, _rel in relationships}
    record = FamilyRecord(
        person=person,
        detail_allowed=True,
        contacts=contacts.get(person.pk, []),
        members=[
            FamilyMember(
                person=p,
                detail_allowed=p.pk in allowed,
                is_subject=p.pk == person.pk,
                contacts=contacts.get(p.pk, []),
                lives_with_child=p not in elsewhere,
                statuses=statuses.get(p.pk, []),
                history=history.get(p.pk, []),
                agencies_ever=agencies_ever.get(p.pk, []),
            )
            for p in people
        ],
        relationships=relationships,
        family_relationships=list(
            Relationship.objects.filter(person_id__in=family, relative_id__in=family).select_related(
                "person", "relative"
            )
        ),
        chronology=chronology_filtered(events, chronology_filter)
        .select_related("person")
        .order_by("-occurred_at", "-pk"),
        households=homes,
        previous_households=[m for m in memberships if not m.is_current_on(today)],
        concerns=concerns_about(read.user, [p for p in people if p.pk in allowed]),
    )
    facets = chronology_facets(events, chronology_filter)
    record.chronology_agencies, record.chronology_kinds, record.chronology_count = (
        facets.agencies,
        facets.kinds,
        facets.count,
    )
    return record
