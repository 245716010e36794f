"""Reading concerns, always through the need-to-know rule and always audited.

Who may open a concern's detail — the people rule (`cylch.access.rule`) extended by one clause:
- the front door and its managers (who see everyone) may open every concern;
- the practitioner who raised a concern may open it (their own referral: "the referrer may see their own
  concern" is the extension, implemented here by combining with the people rule, not by changing it);
- any other practitioner may open it when their agency may see detail of at least one subject child under the
  people rule (an active involvement).
Everyone else gets the same "not found" as for a reference that does not exist, and the refusal is logged (so
probing references leaves a trace). Each read writes one access-log row per person the page names, through
`cylch.access.reads`, in the same transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from cylch.access.reads import Reading, reading, refuse
from cylch.access.rule import Access, AccessBasis, active_involvements, people_with_detail_access
from cylch.accounts.models import Agency, AgencyKind, Practitioner
from cylch.accounts.permissions import does_casework, is_front_door, sees_everyone
from cylch.concerns.agency_history import AgencyPeriod, agency_history, combined
from cylch.concerns.models import (
    Challenge,
    ChallengeStatus,
    Concern,
    ConcernSubject,
    InformationRequest,
    Stage,
    SubjectRole,
    ThresholdDecision,
)
from cylch.concerns.references import reference_normalise
from cylch.core.paging import page_read
from cylch.people.models import HouseholdMembership, Involvement, Person, StatusKind, StatutoryStatus

REFERRER = Access(AccessBasis.REFERRER)
# A refused reference is logged as typed, cut short: it is the probe, not personal data.
MAX_LOGGED_REFERENCE = 40


class ConcernNotFoundError(Exception):
    """No concern with that reference that this user may open (the two cases are deliberately the same)."""


def concerns_visible_to(*, user: Practitioner) -> QuerySet[Concern]:
    """Every concern whose detail `user` may open, as one queryset (the list and the detail agree)."""
    concerns = Concern.objects.all()
    if not user.is_active:
        return concerns.none()
    if sees_everyone(user):
        return concerns
    visible_children = ConcernSubject.objects.filter(
        concern=OuterRef("pk"),
        role=SubjectRole.CHILD,
        person__in=people_with_detail_access(user=user),
    )
    return concerns.filter(Q(referrer=user) | Exists(visible_children))


def _decide_subjects(read: Reading, concerns: list[Concern]) -> None:
    """Everyone the concerns name, each under the people rule; anyone it refuses is shown on a concern's own
    basis: the reader raised it, or may see a child it is about (the reason they may open it at all).

    Decided in three calls whatever the number of concerns, so a page of the queue costs no more than one concern.
    """
    named = [(c, s.role, s.person) for c in concerns for s in c.subjects.all() if s.person is not None]
    own = [p for c, _role, p in named if c.referrer_id == read.user.pk]
    read.decide(own, other_basis=dict.fromkeys((p.pk for p in own), REFERRER))
    children = read.decide([p for _c, role, p in named if role == SubjectRole.CHILD])
    concern_basis: dict[int, Access] = {}
    for c, role, p in named:
        if role == SubjectRole.CHILD and p.pk in children.access:
            concern_basis.setdefault(c.pk, children.access[p.pk])
    others = [(c, p) for c, role, p in named if role != SubjectRole.CHILD]
    other_basis = {p.pk: concern_basis[c.pk] for c, p in reversed(others) if c.pk in concern_basis}
    read.decide([p for _c, p in others], other_basis=other_basis)


def _log(user: Practitioner, concerns: list[Concern], page: str, request: HttpRequest | None) -> None:
    with reading(user=user, page=page, request=request) as read:
        _decide_subjects(read, concerns)


def _with_related(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    return concerns.select_related("referrer", "referrer_agency", "local_authority").prefetch_related(
        Prefetch("subjects", queryset=ConcernSubject.objects.select_related("person")),
        Prefetch(
            "decisions", queryset=ThresholdDecision.objects.select_related("decided_by").order_by("decided_at", "pk")
        ),
        Prefetch("challenges", queryset=Challenge.objects.select_related("raised_by", "resolved_by")),
    )


def concern_get(*, user: Practitioner, reference: str, page: str, request: HttpRequest | None = None) -> Concern:
    """The concern with `reference` if `user` may open it; the read is logged per subject in one transaction."""
    canonical = reference_normalise(reference)
    with reading(user=user, page=page, request=request) as read:
        concern = (
            _with_related(concerns_visible_to(user=user))
            .prefetch_related("notes__author", "information_requests__agency", "timescale_actions")
            .filter(reference=canonical)
            .first()
            if canonical
            else None
        )
        if concern is None:
            read.refuse(details={"reference": (canonical or reference)[:MAX_LOGGED_REFERENCE]})
        else:
            _decide_subjects(read, [concern])
    if concern is None:
        raise ConcernNotFoundError(reference)
    return concern


def concern_can_challenge(*, user: Practitioner, concern: Concern) -> bool:
    """The referrer, or a practitioner whose agency is involved with a subject child, may challenge."""
    if concern.referrer_id == user.pk:
        return True
    if user.agency_id is None:
        return False
    child_ids = [s.person_id for s in concern.subjects.all() if s.role == SubjectRole.CHILD and s.person_id]
    return active_involvements().filter(person_id__in=child_ids, agency_id=user.agency_id).exists()


def information_request_can_respond(*, user: Practitioner, request: InformationRequest) -> bool:
    """The front door, or a casework practitioner of the agency asked (who sees the request, the child's identity
    and the question, not the concern: `information_request_read`)."""
    if is_front_door(user):
        return True
    return user.is_active and does_casework(user) and user.agency_id is not None and user.agency_id == request.agency_id


def agencies_involved_around(*, concern: Concern) -> set[int]:
    """Agencies working now with a child of the concern or anyone in their current households: the agencies the
    front door most likely asks, listed first when it picks one."""
    today = timezone.localdate()
    current = Q(end_date__isnull=True) | Q(end_date__gte=today)
    children = concern.subjects.filter(role=SubjectRole.CHILD, person__isnull=False).values("person_id")
    households = HouseholdMembership.objects.filter(current, person_id__in=children).values("household_id")
    people = HouseholdMembership.objects.filter(current, household_id__in=households).values("person_id")
    involved = active_involvements().filter(Q(person_id__in=children) | Q(person_id__in=people))
    return set(involved.values_list("agency_id", flat=True))


def allocated_social_workers(*, person_ids: list[int]) -> list[Involvement]:
    """Children's services' current allocations with a named practitioner: each child's social worker."""
    return list(
        active_involvements()
        .filter(person_id__in=person_ids, agency__kind=AgencyKind.CHILDRENS_SERVICES, practitioner__isnull=False)
        .select_related("practitioner", "person")
        .order_by("person_id", "start_date", "pk")
    )


@dataclass(frozen=True)
class DecisionCheck:
    """Something the front door must weigh before deciding below the statutory level: `check` is "register",
    "looked_after", "social_worker", "open_requests", or one a capability above the front door adds ("open_alert",
    "open_meeting", "plan"); `child` names whom it is about; `detail` the category, the social worker, the number
    of requests, the alert's rule or the meeting."""

    check: str
    child: str = ""
    detail: str = ""


def decision_checks(*, concern: Concern) -> list[DecisionCheck]:
    """The statutory involvement and unfinished enquiries a decision on `concern` should not overlook: a child on
    the register or looked after, an allocated social worker, an information request still unanswered, and what
    the capabilities built above the front door add through `CYLCH_DECISION_CHECKS` (an open cumulative-risk
    alert, a multi-agency meeting to come or a protection plan): each there takes the children's ids and names."""
    today = timezone.localdate()
    names = {
        s.person_id: s.full_name
        for s in concern.subjects.all()
        if s.role == SubjectRole.CHILD and s.person_id is not None
    }
    checks = [
        DecisionCheck(
            check="register" if status.kind == StatusKind.CHILD_PROTECTION_REGISTER else "looked_after",
            child=names[status.person_id],
            detail=str(status.get_category_display()) if status.category else "",
        )
        for status in StatutoryStatus.objects.filter(person_id__in=names, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("person_id", "kind")
    ]
    checks += [
        DecisionCheck(check="social_worker", child=names[i.person_id], detail=i.practitioner.get_full_name())
        for i in allocated_social_workers(person_ids=list(names))
        if i.practitioner is not None
    ]
    unanswered = concern.information_requests.filter(responded_at__isnull=True).count()
    if unanswered:
        checks.append(DecisionCheck(check="open_requests", detail=str(unanswered)))
    if names:
        for path in settings.CYLCH_DECISION_CHECKS:
            checks += import_string(path)(children=names)
    return checks


ASKED = Access(AccessBasis.INFORMATION_REQUEST)


@dataclass
class AskedRequest:
    """An information request as the agency asked sees it: the concern's reference and the children's identity,
    never what the concern says."""

    request: InformationRequest
    children: list[ConcernSubject]


def _asked(
    user: Practitioner, requests: list[InformationRequest], page: str, http: HttpRequest | None
) -> list[AskedRequest]:
    """Each request with its children, every child named logged as shown on the request's basis."""
    rows = [
        AskedRequest(request=r, children=[s for s in r.concern.subjects.all() if s.role == SubjectRole.CHILD])
        for r in requests
    ]
    named = {s.person.pk: s.person for row in rows for s in row.children if s.person is not None}
    reasons = {
        s.person.pk: f"information request {row.request.pk} ({row.request.concern.reference})"
        for row in reversed(rows)
        for s in row.children
        if s.person is not None
    }
    with reading(user=user, page=page, request=http) as read:
        read.decide(named.values(), other_basis=dict.fromkeys(named, ASKED), reasons=reasons)
    return rows


def _requests_asked_of(user: Practitioner) -> QuerySet[InformationRequest]:
    if not (user.is_active and does_casework(user) and user.agency_id is not None):
        return InformationRequest.objects.none()
    return (
        InformationRequest.objects.filter(agency_id=user.agency_id)
        .select_related("concern", "agency", "responded_by")
        .prefetch_related(Prefetch("concern__subjects", queryset=ConcernSubject.objects.select_related("person")))
    )


ASKED_PAGE_SIZE = 100


def information_requests_asked(
    *, user: Practitioner, request: HttpRequest | None = None, page_number: str | int | None = 1
) -> tuple[list[AskedRequest], Page[InformationRequest]]:
    """The requests asked of the user's agency, unanswered first and soonest due first, a page at a time."""
    asked = _requests_asked_of(user).order_by(F("responded_at").desc(nulls_first=True), "due_on", "pk")
    page = page_read(asked, size=ASKED_PAGE_SIZE, number=page_number)
    return _asked(user, list(page.object_list), "information-requests", request), page


def information_requests_open_count(*, user: Practitioner) -> int:
    """How many requests to the user's agency wait for an answer (a count names no one, so it is not logged)."""
    return _requests_asked_of(user).filter(responded_at__isnull=True).count()


def information_request_read(*, user: Practitioner, pk: int, request: HttpRequest | None = None) -> AskedRequest | None:
    """One request for the agency asked (or the front door), else None; a refusal is logged as refused."""
    found = _requests_asked_of(user) if not is_front_door(user) else InformationRequest.objects.all()
    info = found.filter(pk=pk).select_related("concern", "agency", "responded_by").first()
    if info is None:
        refuse(user=user, page="information-request", request=request, details={"information_request": pk})
        return None
    return _asked(user, [info], "information-request", request)[0]


MINE_PAGE_SIZE = 100


def concern_list_mine(
    *, user: Practitioner, request: HttpRequest | None = None, page_number: str | int | None = 1
) -> Page[Concern]:
    """The concerns `user` raised, newest first, with their current decision, a page at a time (a school's
    safeguarding lead raises hundreds over the years); the concerns on the page are logged per subject."""
    raised = _with_related(Concern.objects.filter(referrer=user)).order_by("-received_at", "-pk")
    page = page_read(raised, size=MINE_PAGE_SIZE, number=page_number)
    _log(user, list(page.object_list), "my-concerns", request)
    return page


QUEUE_PAGE_SIZE = 100


@dataclass
class QueuePage:
    """One page of the front door's queue, and how many are waiting and overdue in all (so a long queue is
    never silently cut short)."""

    concerns: list[Concern]
    page: Page[Concern]
    waiting: int
    overdue: int


def concern_queue(
    *, user: Practitioner, request: HttpRequest | None = None, page_number: str | int | None = 1
) -> QueuePage:
    """The front door's queue: concerns awaiting a decision, immediate risk first, then oldest first, a page at
    a time; the concerns on the page are logged."""
    waiting = Concern.objects.none() if not is_front_door(user) else Concern.objects.exclude(stage=Stage.DECIDED)
    ordered = _with_related(waiting).prefetch_related("information_requests").order_by("-immediate_risk", "received_at")
    page = page_read(ordered, size=QUEUE_PAGE_SIZE, number=page_number)
    concerns = list(page.object_list)
    _log(user, concerns, "front-door-queue", request)
    overdue = waiting.filter(decision_due_at__lt=timezone.now()).count()
    return QueuePage(concerns=concerns, page=page, waiting=page.paginator.count, overdue=overdue)


def challenges_open(*, user: Practitioner) -> QuerySet[Challenge]:
    if not is_front_door(user):
        return Challenge.objects.none()
    return (
        Challenge.objects.filter(status=ChallengeStatus.OPEN).select_related("concern", "raised_by").order_by("due_at")
    )


@dataclass
class PreviousConcern:
    concern: Concern
    decision: ThresholdDecision | None
    about: str


@dataclass
class ChildContext:
    """What is already known about one subject child, shown beside the concern at the front door."""

    subject: ConcernSubject
    person: Person | None
    statuses: list[StatutoryStatus] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    household: list[HouseholdMembership] = field(default_factory=list)
    previous: list[PreviousConcern] = field(default_factory=list)
    # Every agency ever involved with the child, and with the adults of their household taken together.
    agencies_ever: list[AgencyPeriod] = field(default_factory=list)
    household_agencies: list[AgencyPeriod] = field(default_factory=list)


def concern_context(*, user: Practitioner, concern: Concern, request: HttpRequest | None = None) -> list[ChildContext]:
    """Previous concerns and outcomes for each child and their household, register and looked-after status,
    and the agencies involved, for the front door. Everyone it names beyond the concern's own subjects (the
    household, and whoever earlier concerns were about) is logged as shown with the concern."""
    if not is_front_door(user):
        return []
    with reading(user=user, page="concern-context", request=request) as read:
        contexts = _contexts(concern)
        named = {m.person_id: m.person for c in contexts for m in c.household}
        read.decide(named.values(), reasons=dict.fromkeys(named, f"shown with concern {concern.reference}"))
    return contexts


def _contexts(concern: Concern) -> list[ChildContext]:
    today = timezone.localdate()
    contexts = []
    for subject in concern.subjects.all():
        if subject.role != SubjectRole.CHILD:
            continue
        context = ChildContext(subject=subject, person=subject.person)
        contexts.append(context)
        if subject.person is None:
            continue
        person = subject.person
        context.statuses = [s for s in person.statuses.select_related("local_authority") if s.is_current_on(today)]
        context.agencies = list(
            Agency.objects.filter(involvements__in=active_involvements().filter(person=person)).distinct()
        )
        household_ids = (
            HouseholdMembership.objects.filter(person=person)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .values("household_id")
        )
        context.household = list(
            HouseholdMembership.objects.filter(household_id__in=household_ids)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .exclude(person=person)
            .select_related("person")
        )
        family = {person.pk: person.full_name} | {m.person_id: m.person.full_name for m in context.household}
        history = agency_history(person_ids=family)
        context.agencies_ever = history.get(person.pk, [])
        adults = {m.person_id for m in context.household if not m.person.is_child}
        context.household_agencies = combined(p for pk in adults for p in history.get(pk, []))
        earlier = (
            ConcernSubject.objects.filter(person_id__in=family)
            .exclude(concern=concern)
            .select_related("concern")
            .order_by("-concern__received_at")[:50]
        )
        seen: set[int] = set()
        for row in earlier:
            if row.concern_id in seen:
                continue
            seen.add(row.concern_id)
            decision = row.concern.decisions.order_by("-decided_at", "-pk").first()
            context.previous.append(
                PreviousConcern(concern=row.concern, decision=decision, about=family.get(row.person_id or 0, ""))
            )
    return contexts


def childrens_services_of(*, concern: Concern) -> Agency | None:
    """The children's services of the concern's local authority: the agency the front door allocates to."""
    return (
        Agency.objects.filter(local_authority_id=concern.local_authority_id, kind=AgencyKind.CHILDRENS_SERVICES)
        .order_by("pk")
        .first()
    )


def current_decision_of(concern: Concern) -> ThresholdDecision | None:
    """The newest decision, from the prefetched list."""
    decisions = list(concern.decisions.all())
    return decisions[-1] if decisions else None


@dataclass(frozen=True)
class AgencyRequests:
    """One agency's information requests made in a period (see `metrics.information_requests_counted`)."""

    agency_id: int
    agency_name: str
    made: int
    answered: int
    due: int
    late: int


@dataclass
class Metrics:
    since: datetime.date
    until: datetime.date
    total: int
    by_kind: list[tuple[str, int]]
    by_source: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    decided_within_one_day: float | None
    feedback_within_seven_days: float | None
    re_referrals_12_months: int
    open_challenges: int
    # What the percentages are out of: the concerns decided, the referrers whose feedback was due; and the
    # concerns received in the period not yet decided (and how many of those are past their deadline).
    decided: int = 0
    decided_in_time: int = 0
    feedback_due: int = 0
    feedback_in_time: int = 0
    still_open: int = 0
    still_open_overdue: int = 0
    # Information requests made to agencies in the period: those due by today, and how many of them came late.
    requests_by_agency: list[AgencyRequests] = field(default_factory=list)
    requests_made: int = 0
    requests_due: int = 0
    requests_late: int = 0
