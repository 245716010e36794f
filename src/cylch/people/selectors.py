"""Reading people: search, caseloads and the person page, each through the need-to-know rule and audited."""

from __future__ import annotations

import contextlib
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page
from django.db import models, transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from rapidfuzz.distance import JaroWinkler

from cylch.accounts.models import Agency, Practitioner, RoleCode
from cylch.audit.models import AccessLogEntry, AccessOutcome, AuditAction
from cylch.audit.services import access_log_record, access_log_record_many
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.concerns.models import Concern, Stage, ThresholdDecision
from cylch.concerns.selectors import concerns_visible_to, current_decision_of
from cylch.core.paging import page_read
from cylch.linkage.models import MatchReview, MergeDecision
from cylch.people.access import (
    AccessBasis,
    access_basis,
    access_basis_among,
    active_involvements,
    can_export_subject_access,
    detail_access_among,
    people_with_detail_access,
)
from cylch.people.models import (
    HouseholdMembership,
    Involvement,
    Person,
    PersonIdentifier,
    PersonName,
    Relationship,
    RelationshipKind,
    SourceRecord,
    StatutoryStatus,
)
from cylch.people.text import fold_name, phonetic_key
from cylch.people.validators import normalise_nhs_number

SEARCH_CANDIDATE_LIMIT = 2000
SEARCH_RESULT_LIMIT = 50
MINIMUM_NAME_SCORE = 0.75
# Audit reasons are stored as written (not translated), like the access bases they sit beside.
SEARCH_RESTRICTED_REASON = "search result (restricted summary)"
ALLOCATED_REASON = "allocated to me"


@dataclass(frozen=True)
class SearchResult:
    person: Person
    score: float
    detail_allowed: bool


def _name_score(query_given: str, query_family: str, given: str, family: str) -> float:
    """Jaro-Winkler similarity of the parts typed; a part not typed neither helps nor hurts. A single word is
    a family name or a first name, whichever it is closer to (as the candidates were found)."""
    if query_family and not query_given:
        return max(JaroWinkler.similarity(query_family, fold_name(name)) for name in (family, given))
    scores = []
    if query_family:
        scores.append(JaroWinkler.similarity(query_family, fold_name(family)))
    if query_given:
        scores.append(JaroWinkler.similarity(query_given, fold_name(given)))
    return sum(scores) / len(scores) if scores else 1.0


def _split_name(name: str) -> tuple[str, str]:
    """'Siân Jones' -> ('sian', 'jones'); a single word is taken as a family name."""
    words = fold_name(name).split()
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    return " ".join(words[:-1]), words[-1]


def _dates_of_birth(day: datetime.date) -> list[datetime.date]:
    """The date typed and its day/month swap, the commonest recording error."""
    dates = [day]
    if day.day <= 12 and day.day != day.month:
        with contextlib.suppress(ValueError):
            dates.append(day.replace(month=day.day, day=day.month))
    return dates


def _name_candidates(people: QuerySet[Person], query_given: str, query_family: str) -> list[tuple[int, str, str]]:
    """(id, given name, family name) of the first SEARCH_CANDIDATE_LIMIT by name among `people` whose current
    or other names sound like the query, or whose family name starts like it.

    Each way is looked up through its own index: one OR across the join to other names made PostgreSQL read
    every person (about 300 ms on 1M people)."""
    family_key, given_key = phonetic_key(query_family), phonetic_key(query_given)
    ways: list[Q] = []
    if query_family:
        ways += [Q(family_name_key=family_key), Q(family_name__istartswith=query_family[:3])]
        ways.append(Q(other_names__family_name_key=family_key))
        if not query_given:
            ways += [Q(given_name_key=family_key), Q(other_names__given_name_key=family_key)]
    if query_given and not query_family:
        ways.append(Q(given_name_key=given_key))
    found: set[tuple[str, str, int]] = set()
    for way in ways:
        ordered = people.filter(way).order_by("family_name", "given_name", "pk")
        found.update(ordered.values_list("family_name", "given_name", "pk")[:SEARCH_CANDIDATE_LIMIT])
    return [(pk, given, family) for family, given, pk in sorted(found)[:SEARCH_CANDIDATE_LIMIT]]


def _searched_by(*, name: bool, date_of_birth: bool, nhs_number: bool) -> str:
    """What a search was by, for the audit "why": the kinds of term only, as the terms are personal data."""
    kinds = [
        kind for kind, typed in (("name", name), ("date of birth", date_of_birth), ("NHS number", nhs_number)) if typed
    ]
    return "search by " + (", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else "".join(kinds))


def person_search(
    *,
    user: Practitioner,
    name: str = "",
    date_of_birth: datetime.date | None = None,
    nhs_number: str = "",
    request: HttpRequest | None = None,
) -> list[SearchResult]:
    """Typo-tolerant search by name, date of birth and NHS number; every person listed is logged.

    Each entry's "why" is the access basis (or that only a restricted summary was listed) and what the
    search was by.
    """
    query_given, query_family = _split_name(name)
    people = Person.objects.filter(merged_into__isnull=True)
    if nhs_number:
        people = people.filter(nhs_number=normalise_nhs_number(nhs_number))
    if date_of_birth:
        people = people.filter(date_of_birth__in=_dates_of_birth(date_of_birth))
    # Scored on plain names; only the people listed are loaded whole (a common surname gives 2,000 candidates).
    if query_given or query_family:
        candidates = _name_candidates(people, query_given, query_family)
    elif nhs_number or date_of_birth:
        ordered = people.order_by("family_name", "given_name", "pk")
        candidates = list(ordered.values_list("pk", "given_name", "family_name")[:SEARCH_CANDIDATE_LIMIT])
    else:
        return []
    other_names: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person_id, given, family in PersonName.objects.filter(person_id__in=[c[0] for c in candidates]).values_list(
        "person_id", "given_name", "family_name"
    ):
        other_names[person_id].append((given, family))
    scored: list[tuple[float, str, str, int]] = []
    for pk, given_name, family_name in candidates:
        names = [(given_name, family_name), *other_names[pk]]
        score = max(_name_score(query_given, query_family, given, family) for given, family in names)
        if score >= MINIMUM_NAME_SCORE:
            scored.append((score, family_name, given_name, pk))
    scored.sort(key=lambda row: (-row[0], row[1], row[2], row[3]))
    loaded = Person.objects.in_bulk([pk for *_names, pk in scored[:SEARCH_RESULT_LIMIT]])
    shown = [loaded[pk] for *_names, pk in scored[:SEARCH_RESULT_LIMIT]]

    allowed = access_basis_among(user=user, person_ids=[p.pk for p in shown])
    searched_by = _searched_by(
        name=bool(query_given or query_family), date_of_birth=date_of_birth is not None, nhs_number=bool(nhs_number)
    )
    with transaction.atomic():
        access_log_record_many(
            practitioner=user,
            people=shown,
            page="person-search",
            outcome_for={p.pk: AccessOutcome.DETAIL if p.pk in allowed else AccessOutcome.RESTRICTED for p in shown},
            reason_for={
                p.pk: f"{allowed[p.pk].as_reason() if p.pk in allowed else SEARCH_RESTRICTED_REASON}; {searched_by}"
                for p in shown
            },
            request=request,
        )
    scores = {pk: score for score, _family, _given, pk in scored[:SEARCH_RESULT_LIMIT]}
    return [SearchResult(person=p, score=scores[p.pk], detail_allowed=p.pk in allowed) for p in shown]


CASELOAD_PAGE_SIZE = 100


def caseload(
    *, user: Practitioner, request: HttpRequest | None = None, page_number: str | int | None = 1
) -> Page[Person]:
    """The people the practitioner's agency is actively involved with, their own allocations first, a page at
    a time (a health visiting team works with thousands); `allocated_to_me` is set on each.

    Listing a child by name is a read of their record, so every person listed is logged. Everyone listed
    has an active involvement of the agency, so that is each entry's "why" (with the allocation when it is theirs).
    """
    ordered: QuerySet[Person] = Person.objects.none()
    if user.agency_id is not None:
        involvements = active_involvements().filter(agency_id=user.agency_id)
        mine = involvements.filter(practitioner=user).values("person_id")
        ordered = (
            people_with_detail_access(user=user)
            .filter(pk__in=involvements.values("person_id"))
            .annotate(allocated_to_me=Q(pk__in=mine))
            .order_by("-allocated_to_me", "family_name", "given_name", "pk")
        )
    page = page_read(ordered, size=CASELOAD_PAGE_SIZE, number=page_number)
    listed = list(page.object_list)
    involved = str(AccessBasis.INVOLVEMENT)
    reason_for = {
        p.pk: f"{involved}; {ALLOCATED_REASON}" if getattr(p, "allocated_to_me", False) else involved for p in listed
    }
    with transaction.atomic():
        access_log_record_many(
            practitioner=user,
            people=listed,
            page="caseload",
            outcome_for={p.pk: AccessOutcome.DETAIL for p in listed},
            reason_for=reason_for,
            request=request,
        )
    return page


@dataclass(frozen=True)
class ChronologyFilter:
    agency_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    kind: str = ""

    def as_details(self) -> dict[str, object]:
        """The filter as the audit row records it (what was exported)."""
        return {
            "agency": self.agency_id,
            "kind": self.kind or None,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }


@dataclass
class AgencyContact:
    """Whom to contact about a person: shown even when detail is not."""

    agency: Agency
    role: str
    practitioner: Practitioner | None


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


def _concerns(user: Practitioner, people: list[Person]) -> list[ConcernStatus]:
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


@dataclass
class PersonRecord:
    """What a person page shows. With `detail_allowed` False only `person` (name) and `contacts` are filled."""

    person: Person
    detail_allowed: bool
    contacts: list[AgencyContact]
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

    @property
    def household_people(self) -> list[Person]:
        return [m.person for members in self.household_members.values() for m in members]

    def others_shown(self) -> list[int]:
        """Ids of the relatives and household members whose details come with this record."""
        others = {other.pk for _side, other, _rel in self.relationships}
        others |= {m.person_id for members in self.household_members.values() for m in members}
        return sorted(others - {self.person.pk})


def _contacts(person: Person) -> list[AgencyContact]:
    involvements = (
        active_involvements().filter(person=person).select_related("agency", "practitioner").order_by("agency__name")
    )
    return [AgencyContact(agency=i.agency, role=i.role, practitioner=i.practitioner) for i in involvements]


def _chronology(person: Person, chronology_filter: ChronologyFilter) -> QuerySet[ChronologyEvent]:
    # Through the related manager, each event's `person` is this person already: no join, no copies.
    events = _filtered_events(person.chronology_events.all(), chronology_filter)
    return events.order_by("-occurred_at", "-pk")


def _filtered_events(
    events: QuerySet[ChronologyEvent], chronology_filter: ChronologyFilter
) -> QuerySet[ChronologyEvent]:
    events = events.select_related("agency")
    if chronology_filter.kind:
        events = events.filter(kind=chronology_filter.kind)
    if chronology_filter.agency_id:
        events = events.filter(agency_id=chronology_filter.agency_id)
    if chronology_filter.date_from:
        events = events.filter(occurred_at__date__gte=chronology_filter.date_from)
    if chronology_filter.date_to:
        events = events.filter(occurred_at__date__lte=chronology_filter.date_to)
    return events


def _relationships(person: Person) -> list[tuple[str, Person, Relationship]]:
    """Each relationship phrased from this person's side: (how they relate, who, the row)."""
    as_subject: list[tuple[str, Person, Relationship]] = []
    as_relative: list[tuple[str, Person, Relationship]] = []
    for rel in Relationship.objects.filter(Q(person=person) | Q(relative=person)).select_related("person", "relative"):
        if rel.person_id == person.pk:
            as_subject.append(("relative", rel.relative, rel))
        else:
            as_relative.append(("subject", rel.person, rel))
    return as_subject + as_relative


MAX_MERGE_HOPS = 20


def person_resolve(*, cylch_id: str) -> Person:
    """The current person a Cylch ID refers to: a merged person's ID redirects to the survivor's record."""
    person = Person.objects.get(cylch_id=cylch_id)
    for _ in range(MAX_MERGE_HOPS):
        if person.merged_into_id is None:
            return person
        person = Person.objects.get(pk=person.merged_into_id)
    raise Person.DoesNotExist(cylch_id)


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

    The audit entry says why detail was shown (the access basis) and whose details came with it
    (household members and relatives). An export (`action=EXPORT`) that the rule refuses is logged
    as refused rather than as a summary shown.
    """
    person = person_resolve(cylch_id=cylch_id)
    with transaction.atomic():
        access = access_basis(user=user, person=person)
        record = PersonRecord(person=person, detail_allowed=access is not None, contacts=_contacts(person))
        if access is not None:
            _fill_detail(record, user, chronology_filter or ChronologyFilter())
            outcome = AccessOutcome.DETAIL
        else:
            outcome = AccessOutcome.REFUSED if action == AuditAction.EXPORT else AccessOutcome.RESTRICTED
        details = chronology_filter.as_details() if chronology_filter and action == AuditAction.EXPORT else {}
        if access is not None:
            details |= {"basis": str(access.basis), "grant": access.grant_id, "also_shown": record.others_shown()}
        access_log_record(
            practitioner=user,
            person=person,
            page=page,
            outcome=outcome,
            request=request,
            action=action,
            reason=access.as_reason() if access is not None else "",
            details=details,
        )
    return record


def _fill_detail(record: PersonRecord, user: Practitioner, chronology_filter: ChronologyFilter) -> None:
    """Everything a person page shows beyond whom to contact (only called once the rule allows it)."""
    person = record.person
    today = timezone.localdate()
    # Everyone who ever lived in any of the person's homes, in one query: their own moves and who lives with them.
    rows = list(
        HouseholdMembership.objects.filter(
            household_id__in=HouseholdMembership.objects.filter(person=person).values("household_id")
        ).select_related("household", "household__local_authority", "person")
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
    record.relationships = _relationships(person)
    record.other_names = list(person.other_names.all())
    record.identifiers = list(person.identifiers.select_related("agency").order_by("kind", "value"))
    record.statuses = list(person.statuses.select_related("local_authority"))
    record.chronology = _chronology(person, chronology_filter)
    _chronology_facets(record, person.chronology_events.all(), chronology_filter)
    record.concerns = _concerns(user, [person])
    record.source_records = list(person.source_records.select_related("agency").order_by("agency__name", "pk"))
    family = {person.pk, *record.others_shown()}
    record.family_relationships = list(
        Relationship.objects.filter(person_id__in=family, relative_id__in=family).select_related("person", "relative")
    )


def _chronology_facets(
    record: PersonRecord | FamilyRecord, events: QuerySet[ChronologyEvent], chronology_filter: ChronologyFilter
) -> None:
    """The agencies and kinds to filter by and, unless dates narrow it, how many events the filter matches.

    One GROUP BY over the unfiltered events instead of two DISTINCTs and a COUNT. `order_by()` drops the
    model's ordering, which would otherwise add `occurred_at` to the grouping (a row per event).
    """
    facets = list(events.order_by().values_list("agency_id", "kind").annotate(events=Count("pk")))
    record.chronology_agencies = list(Agency.objects.filter(pk__in={a for a, _k, _n in facets}).order_by("name"))
    record.chronology_kinds = sorted({k for _a, k, _n in facets})
    if not (chronology_filter.date_from or chronology_filter.date_to):
        record.chronology_count = sum(
            n
            for agency_id, kind, n in facets
            if chronology_filter.agency_id in (None, agency_id) and chronology_filter.kind in ("", kind)
        )


def involved_agencies(*, person: Person) -> QuerySet[Involvement]:
    """Active involvements: shown to everyone as 'who else knows this child'."""
    return active_involvements().filter(person=person).select_related("agency")


# --- the whole-family view ---

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
    with transaction.atomic():
        access = access_basis(user=user, person=person)
        if access is None:
            outcome = AccessOutcome.REFUSED if action == AuditAction.EXPORT else AccessOutcome.RESTRICTED
            access_log_record(
                practitioner=user, person=person, page=page, outcome=outcome, request=request, action=action
            )
            return FamilyRecord(person=person, detail_allowed=False, contacts=_contacts(person))
        record = _family(user, person, chronology_filter)
        others = [m.person for m in record.members if not m.is_subject]
        shown = {p.pk for p in others} | {other.pk for _side, other, _rel in record.relationships}
        details = chronology_filter.as_details() if action == AuditAction.EXPORT else {}
        access_log_record(
            practitioner=user,
            person=person,
            page=page,
            outcome=AccessOutcome.DETAIL,
            request=request,
            action=action,
            reason=access.as_reason(),
            details=details
            | {"basis": str(access.basis), "grant": access.grant_id, "also_shown": sorted(shown - {person.pk})},
        )
        access_log_record_many(
            practitioner=user,
            people=others,
            page=page,
            outcome_for={
                m.person.pk: AccessOutcome.DETAIL if m.detail_allowed else AccessOutcome.RESTRICTED
                for m in record.members
            },
            request=request,
            action=action,
        )
    return record


def _family(user: Practitioner, person: Person, chronology_filter: ChronologyFilter) -> FamilyRecord:
    today = timezone.localdate()
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    memberships = list(
        HouseholdMembership.objects.filter(person=person)
        .select_related("household", "household__local_authority")
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
    relationships = _relationships(person)
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
    allowed = detail_access_among(user=user, person_ids=ids)
    contacts: dict[int, list[AgencyContact]] = {}
    for involvement in (
        active_involvements()
        .filter(person_id__in=ids)
        .select_related("agency", "practitioner")
        .order_by("agency__name")
    ):
        contacts.setdefault(involvement.person_id, []).append(
            AgencyContact(agency=involvement.agency, role=involvement.role, practitioner=involvement.practitioner)
        )
    statuses: dict[int, list[StatutoryStatus]] = {}
    for status in StatutoryStatus.objects.filter(person_id__in=allowed, start_date__lte=today).filter(current):
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
            )
            for p in people
        ],
        relationships=relationships,
        family_relationships=list(
            Relationship.objects.filter(person_id__in=family, relative_id__in=family).select_related(
                "person", "relative"
            )
        ),
        chronology=_filtered_events(events, chronology_filter).select_related("person").order_by("-occurred_at", "-pk"),
        households=homes,
        previous_households=[m for m in memberships if not m.is_current_on(today)],
        concerns=_concerns(user, [p for p in people if p.pk in allowed]),
    )
    _chronology_facets(record, events, chronology_filter)
    return record


# --- subject access: everything held on one person ---


def _row(obj: models.Model, fields: list[str]) -> dict[str, object]:
    """The fields as a person reads them: a coded choice as its label (in the language of the export)."""
    row: dict[str, object] = {}
    for name in fields:
        value = getattr(obj, name)
        model_field = obj._meta.get_field(name)
        choices = dict(model_field.flatchoices) if isinstance(model_field, models.Field) else {}
        row[name] = str(choices.get(value, value)) if choices and value != "" else value
    return row


def _merged_away(person: Person) -> list[Person]:
    """Every record merged into `person`, directly or through an earlier merge (their IDs now redirect here)."""
    found: list[Person] = []
    frontier = [person.pk]
    for _ in range(MAX_MERGE_HOPS):
        merged = list(Person.objects.filter(merged_into_id__in=frontier).order_by("pk"))
        if not merged:
            break
        found += merged
        frontier = [p.pk for p in merged]
    return found


def _decision_label(concern: Concern) -> str | None:
    decision = current_decision_of(concern)
    return str(decision.get_outcome_display()) if decision is not None else None


def subject_access(
    *, user: Practitioner, cylch_id: str, fmt: str, request: HttpRequest | None = None
) -> dict[str, Any] | None:
    """Everything Cylch holds on one person, for a subject access request (information governance only).

    The export is logged (refusals too). Practitioners' names and addresses in the access log are their own
    personal data, so the log is given as agency, role, action and date.
    """
    person = person_resolve(cylch_id=cylch_id)
    allowed = can_export_subject_access(user)
    with transaction.atomic():
        access_log_record(
            practitioner=user,
            person=person,
            page=f"subject-access-{fmt}",
            outcome=AccessOutcome.DETAIL if allowed else AccessOutcome.REFUSED,
            request=request,
            action=AuditAction.EXPORT,
        )
        if not allowed:
            return None
        return _subject_access_data(person)


def _subject_access_data(person: Person) -> dict[str, Any]:
    """Everything held on `person`, including what is still filed under the Cylch IDs merged into theirs."""
    merged_away = _merged_away(person)
    ids = [person.pk, *(p.pk for p in merged_away)]
    cylch_id_of = {person.pk: person.cylch_id} | {p.pk: p.cylch_id for p in merged_away}
    role_label = dict(RoleCode.choices)
    agency_name = {a.pk: a.name for a in Agency.objects.all().only("pk", "name")}
    return {
        "generated_at": timezone.now(),
        "person": {
            **_row(
                person,
                [
                    "cylch_id",
                    "given_name",
                    "middle_names",
                    "family_name",
                    "is_unborn",
                    "expected_delivery_date",
                    "date_of_birth",
                    "date_of_death",
                    "sex",
                    "gender",
                    "ethnicity",
                    "first_language",
                    "interpreter_needed",
                    "nhs_number",
                    "created_at",
                    "updated_at",
                ],
            ),
            "merged_cylch_ids": [p.cylch_id for p in merged_away],
        },
        "other_names": [
            _row(n, ["kind", "given_name", "family_name", "used_from", "used_to"]) for n in person.other_names.all()
        ],
        "identifiers": [
            {**_row(i, ["kind", "value"]), "agency": agency_name.get(i.agency_id)} for i in person.identifiers.all()
        ],
        "source_records": [
            {
                **_row(
                    r,
                    [
                        "local_id",
                        "given_name",
                        "family_name",
                        "date_of_birth",
                        "sex",
                        "nhs_number",
                        "postcode",
                        "address",
                        "identifiers",
                        "received_at",
                    ],
                ),
                "agency": agency_name.get(r.agency_id),
            }
            for r in person.source_records.order_by("received_at", "pk")
        ],
        "households": [
            {
                "address": str(m.household),
                "local_authority": m.household.local_authority.name,
                "moved_in": m.start_date,
                "moved_out": m.end_date,
            }
            for m in person.household_memberships.select_related("household__local_authority").order_by("start_date")
        ],
        "relationships": [
            {
                "relative": rel.relative.full_name,
                "relative_cylch_id": rel.relative.cylch_id,
                "is_the": rel.kind,
                "of": rel.person.full_name,
                "of_cylch_id": rel.person.cylch_id,
                "from": rel.start_date,
                "to": rel.end_date,
            }
            for _side, _other, rel in _relationships(person)
        ],
        "involvements": [
            {**_row(i, ["role", "start_date", "end_date"]), "agency": agency_name.get(i.agency_id)}
            for i in person.involvements.order_by("start_date", "pk")
        ],
        "statuses": [
            {**_row(s, ["kind", "category", "start_date", "end_date"]), "local_authority": s.local_authority.name}
            for s in person.statuses.select_related("local_authority").order_by("start_date")
        ],
        "chronology": [
            {
                **_row(e, ["occurred_at", "recorded_at", "kind", "summary", "child_words", "sensitivity", "details"]),
                "agency": agency_name.get(e.agency_id),
            }
            for e in ChronologyEvent.objects.filter(person=person).order_by("occurred_at", "pk")
        ],
        "concerns": [
            {
                **_row(subject.concern, ["reference", "kind", "received_at", "what_happened", "child_words", "stage"]),
                **_row(subject, ["role"]),
                "decision": _decision_label(subject.concern),
            }
            for subject in person.concern_subjects.select_related("concern")
            .prefetch_related("concern__decisions")
            .order_by("concern__received_at", "pk")
        ],
        "access_grants": [
            {
                **_row(
                    g,
                    ["kind", "status", "reason", "created_at", "expires_at", "decided_at", "decision_reason"],
                ),
                "agency": agency_name.get(g.practitioner.agency_id) if g.practitioner.agency_id else None,
                "lead_agency": agency_name.get(g.lead_agency_id) if g.lead_agency_id else None,
            }
            for g in person.access_grants.select_related("practitioner").order_by("created_at", "pk")
        ],
        "merge_decisions": [
            {
                **_row(d, ["kind", "decided_at", "reason", "automatic"]),
                "survivor_cylch_id": d.survivor.cylch_id,
                "merged_cylch_id": d.merged.cylch_id,
            }
            for d in MergeDecision.objects.filter(Q(survivor_id__in=ids) | Q(merged_id__in=ids))
            .select_related("survivor", "merged")
            .order_by("decided_at", "pk")
        ],
        "match_reviews": [
            {
                **_row(r, ["created_at", "status", "probability", "decided_at", "reason"]),
                "cylch_id": r.person.cylch_id,
                "compared_with_cylch_id": r.candidate.cylch_id,
            }
            for r in MatchReview.objects.filter(Q(person_id__in=ids) | Q(candidate_id__in=ids))
            .select_related("person", "candidate")
            .order_by("created_at", "pk")
        ],
        "access_log": [
            {
                "at": entry.at,
                "cylch_id": cylch_id_of.get(entry.person_id or 0),
                "agency": agency_name.get(entry.agency_id) if entry.agency_id else None,
                "roles": [str(role_label.get(code, code)) for code in entry.roles.split(",") if code],
                **_row(entry, ["action", "page", "outcome"]),
            }
            for entry in AccessLogEntry.objects.filter(person_id__in=ids).order_by("at", "pk")
        ],
    }
