"""One person's record (the single view) as the reader may see it, logged as it is read.

Everyone the page names is logged: the person, and each relative and household member whose details come
with their record (in that person's own access log, "shown with" the record opened).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from cylch.access.reads import Reading, reading
from cylch.access.rule import active_involvements
from cylch.access.selectors import AgencyContact, agency_contacts
from cylch.accounts.models import Agency, AgencyKind, Practitioner
from cylch.audit.models import AccessOutcome, AuditAction
from cylch.chronology.models import ChronologyEvent
from cylch.concerns.agency_history import AgencyPeriod, agency_history, combined
from cylch.concerns.models import Concern, Stage, ThresholdDecision
from cylch.concerns.selectors import concerns_visible_to, current_decision_of
from cylch.people.models import (
    HouseholdMembership,
    Involvement,
    Person,
    PersonIdentifier,
    PersonName,
    Relationship,
    SourceRecord,
    StatutoryStatus,
)
from cylch.people.selectors import person_resolve
from cylch.records.selectors.chronology import ChronologyFilter, chronology_facets, chronology_filtered


@dataclass(frozen=True)
class ConcernStatus:
    """A concern about the person (or their family) and where it has got to (open until the front door decides)."""

    concern: Concern
    decision: ThresholdDecision | None
    about: list[Person] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.concern.stage != Stage.DECIDED


CONCERNS_SHOWN = 20


def concerns_about(user: Practitioner, people: list[Person]) -> list[ConcernStatus]:
    """Concerns about any of `people` that the user may open (the concerns rule), open ones first."""
    by_id = {p.pk: p for p in people}
    concerns = (
        concerns_visible_to(user=user)
        .filter(subjects__person_id__in=by_id)
        .distinct()
        .prefetch_related("decisions", "subjects")
        .order_by("-received_at")[:CONCERNS_SHOWN]
    )
    rows = [
        ConcernStatus(
            concern=c,
            decision=current_decision_of(c),
            about=[by_id[s.person_id] for s in c.subjects.all() if s.person_id in by_id],
        )
        for c in concerns
    ]
    return sorted(rows, key=lambda row: not row.is_open)


def statuses_now(person: Person) -> list[StatutoryStatus]:
    """Register and looked-after periods in force today, with who recorded each: what every reader is shown."""
    today = timezone.localdate()
    return list(
        person.statuses.filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("local_authority", "recorded_by_agency")
    )


def authority_contacts(statuses: list[StatutoryStatus]) -> dict[int, list[Agency]]:
    """Each responsible authority's children's services (its safeguarding phone and email), by authority id."""
    ids = {status.local_authority_id for status in statuses}
    found: dict[int, list[Agency]] = {}
    if ids:
        for agency in Agency.objects.filter(local_authority_id__in=ids, kind=AgencyKind.CHILDRENS_SERVICES):
            found.setdefault(agency.local_authority_id, []).append(agency)
    return found


@dataclass
class PersonRecord:
    """What a person page shows. With `detail_allowed` False only `person` (name), `contacts`, the statuses in
    force and their authorities' contacts, and which agencies have ever worked with the person and with the adults
    they live with (not naming them) are filled (as NHS England's CP-IS shows every clinician)."""

    person: Person
    detail_allowed: bool
    contacts: list[AgencyContact]
    statuses_in_force: list[StatutoryStatus] = field(default_factory=list)
    authority_contacts: dict[int, list[Agency]] = field(default_factory=dict)
    current_memberships: list[HouseholdMembership] = field(default_factory=list)
    previous_memberships: list[HouseholdMembership] = field(default_factory=list)
    household_members: dict[int, list[HouseholdMembership]] = field(default_factory=dict)
    relationships: list[tuple[str, Person, Relationship]] = field(default_factory=list)
    other_names: list[PersonName] = field(default_factory=list)
    identifiers: list[PersonIdentifier] = field(default_factory=list)
    statuses: list[StatutoryStatus] = field(default_factory=list)
    # A queryset, not a list: the page asks the database for one page of a long chronology; exports read it all.
    chronology: QuerySet[ChronologyEvent] | list[ChronologyEvent] = field(default_factory=list)
    chronology_agencies: list[Agency] = field(default_factory=list)
    chronology_kinds: list[str] = field(default_factory=list)
    # How many events the filter matches when the facets tell without a COUNT (no date filter), else None.
    chronology_count: int | None = None
    source_records: list[SourceRecord] = field(default_factory=list)
    family_relationships: list[Relationship] = field(default_factory=list)
    concerns: list[ConcernStatus] = field(default_factory=list)
    # Agencies ever involved with the person, and with the adults of their current households taken together.
    agency_history: list[AgencyPeriod] = field(default_factory=list)
    household_agencies: list[AgencyPeriod] = field(default_factory=list)
    # Relatives and household members shown with the record: whose detail the reader may see, and their agencies.
    others_allowed: frozenset[int] = frozenset()
    others_history: dict[int, list[AgencyPeriod]] = field(default_factory=dict)

    @property
    def household_people(self) -> list[Person]:
        return [m.person for members in self.household_members.values() for m in members]

    def others_shown(self) -> list[int]:
        """Ids of the relatives and household members whose details come with this record."""
        others = {other.pk for _side, other, _rel in self.relationships}
        others |= {m.person_id for members in self.household_members.values() for m in members}
        return sorted(others - {self.person.pk})


def _chronology(person: Person, chronology_filter: ChronologyFilter) -> QuerySet[ChronologyEvent]:
    # Through the related manager, each event's `person` is this person already: no join, no copies.
    events = chronology_filtered(person.chronology_events.all(), chronology_filter)
    return events.order_by("-occurred_at", "-pk")


def relationships_of(person: Person) -> list[tuple[str, Person, Relationship]]:
    """Each relationship phrased from this person's side: (how they relate, who, the row)."""
    as_subject: list[tuple[str, Person, Relationship]] = []
    as_relative: list[tuple[str, Person, Relationship]] = []
    related = Relationship.objects.filter(Q(person=person) | Q(relative=person))
    for rel in related.select_related("person", "relative", "recorded_by_agency"):
        if rel.person_id == person.pk:
            as_subject.append(("relative", rel.relative, rel))
        else:
            as_relative.append(("subject", rel.person, rel))
    return as_subject + as_relative


def person_record(
    *,
    user: Practitioner,
    cylch_id: str,
    page: str,
    chronology_filter: ChronologyFilter | None = None,
    request: HttpRequest | None = None,
    action: AuditAction = AuditAction.VIEW,
) -> PersonRecord:
    """A person's record as `user` may see it; the view is logged in the same transaction as the read.

    Register and looked-after flags in force show to every reader, detail or not, and the entry names them.

    The audit entry says why detail was shown (the access basis) and whose details came with it
    (household members and relatives). An export (`action=EXPORT`) that the rule refuses is logged
    as refused rather than as a summary shown.
    """
    person = person_resolve(cylch_id=cylch_id)
    exporting = action == AuditAction.EXPORT
    with reading(user=user, page=page, request=request, action=action) as read:
        access = read.decide(
            [person],
            refused_outcome=AccessOutcome.REFUSED if exporting else AccessOutcome.RESTRICTED,
            details={person.pk: chronology_filter.as_details()} if chronology_filter and exporting else None,
        ).basis_of(person)
        contacts = agency_contacts(person_ids=[person.pk]).get(person.pk, [])
        record = PersonRecord(person=person, detail_allowed=access is not None, contacts=contacts)
        if access is not None:
            _fill_detail(record, user, chronology_filter or ChronologyFilter())
            read.note(person, basis=str(access.basis), grant=access.grant_id, also_shown=record.others_shown())
            _log_others_shown(read, record)
            today = timezone.localdate()
            record.statuses_in_force = [status for status in record.statuses if status.is_current_on(today)]
        elif not exporting:  # a refused export shows nothing
            record.statuses_in_force = statuses_now(person)
            _fill_history_restricted(read, record)
        record.authority_contacts = authority_contacts(record.statuses_in_force)
        if record.statuses_in_force:
            read.note(person, statuses_shown=sorted(status.kind for status in record.statuses_in_force))
    return record


def _log_others_shown(read: Reading, record: PersonRecord) -> None:
    """Relatives and household members named on the page, each in their own access log; the page shows the
    dates of birth only of those the rule lets the reader see, and everyone's agencies ever involved."""
    others = {other.pk: other for _side, other, _rel in record.relationships}
    others |= {m.person_id: m.person for members in record.household_members.values() for m in members}
    others |= {p.pk: p for rel in record.family_relationships for p in (rel.person, rel.relative)}
    others.pop(record.person.pk, None)
    shown_with = f"shown with {record.person.cylch_id}"
    record.others_allowed = frozenset(read.decide(others.values(), reasons=dict.fromkeys(others, shown_with)).access)
    history = agency_history(person_ids=[record.person.pk, *others])
    record.agency_history = history.get(record.person.pk, [])
    record.others_history = {pk: history.get(pk, []) for pk in others}
    adults = [m.person_id for members in record.household_members.values() for m in members if not m.person.is_child]
    record.household_agencies = combined(p for pk in adults for p in record.others_history[pk])


def _fill_history_restricted(read: Reading, record: PersonRecord) -> None:
    """For a reader without detail: which agencies have worked with the person, and with the adults they live
    with now taken together. The adults are not named on the page, but what is said about them is read, so each
    is logged ("agencies only")."""
    person = record.person
    today = timezone.localdate()
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    homes = HouseholdMembership.objects.filter(current, person=person, start_date__lte=today).values("household_id")
    adults = [
        m.person
        for m in HouseholdMembership.objects.filter(current, household_id__in=homes, start_date__lte=today)
        .exclude(person=person)
        .filter(person__merged_into__isnull=True)
        .select_related("person")
        if not m.person.is_child
    ]
    household_of = f"household of {person.cylch_id}: agencies only"
    read.decide(adults, reasons={adult.pk: household_of for adult in adults})
    history = agency_history(person_ids=[person.pk, *(adult.pk for adult in adults)])
    record.agency_history = history.get(person.pk, [])
    record.household_agencies = combined(p for adult in adults for p in history.get(adult.pk, []))


def _fill_detail(record: PersonRecord, user: Practitioner, chronology_filter: ChronologyFilter) -> None:
    """Everything a person page shows beyond whom to contact (only called once the rule allows it)."""
    person = record.person
    today = timezone.localdate()
    # Everyone who ever lived in any of the person's homes, in one query: their own moves and who lives with them.
    rows = list(
        HouseholdMembership.objects.filter(
            household_id__in=HouseholdMembership.objects.filter(person=person).values("household_id")
        ).select_related("household", "household__local_authority", "person", "recorded_by_agency")
    )
    memberships = sorted((m for m in rows if m.person_id == person.pk), key=lambda m: m.start_date, reverse=True)
    record.current_memberships = [m for m in memberships if m.is_current_on(today)]
    record.previous_memberships = [m for m in memberships if not m.is_current_on(today)]
    current_households = {m.household_id for m in record.current_memberships}
    members = [
        m
        for m in rows
        if m.household_id in current_households
        and m.person_id != person.pk
        and (m.end_date is None or m.end_date >= today)
    ]
    for member in sorted(members, key=lambda m: (m.person.date_of_birth is None, m.person.date_of_birth)):
        record.household_members.setdefault(member.household_id, []).append(member)
    record.relationships = relationships_of(person)
    record.other_names = list(person.other_names.all())
    record.identifiers = list(person.identifiers.select_related("agency").order_by("kind", "value"))
    record.statuses = list(person.statuses.select_related("local_authority", "recorded_by_agency"))
    record.chronology = _chronology(person, chronology_filter)
    facets = chronology_facets(person.chronology_events.all(), chronology_filter)
    record.chronology_agencies, record.chronology_kinds, record.chronology_count = (
        facets.agencies,
        facets.kinds,
        facets.count,
    )
    record.concerns = concerns_about(user, [person])
    record.source_records = list(person.source_records.select_related("agency").order_by("agency__name", "pk"))
    family = {person.pk, *record.others_shown()}
    record.family_relationships = list(
        Relationship.objects.filter(person_id__in=family, relative_id__in=family).select_related("person", "relative")
    )


def involved_agencies(*, person: Person) -> QuerySet[Involvement]:
    """Active involvements: shown to everyone as 'who else knows this child'."""
    return active_involvements().filter(person=person).select_related("agency")
