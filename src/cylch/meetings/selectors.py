"""Reading meetings and plans: each page that names a child goes through `cylch.access.reads`, so it is logged.

A meeting or plan is shown only to its own people (`cylch.meetings.permissions`); within it, each child's name and
detail only where the record rule allows (an invitee's grant does). Counts and the timeliness report name no one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, IntegerField, Max, OuterRef, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cylch.access.models import GrantStatus
from cylch.access.reads import Disclosure, disclose, reading, refuse
from cylch.access.rule import Access, AccessBasis, active_involvements
from cylch.accounts.models import AgencyKind, LocalAuthority, Practitioner, Region
from cylch.accounts.permissions import is_board_officer
from cylch.audit.models import AuditAction
from cylch.concerns.models import Concern, SubjectRole
from cylch.concerns.selectors import DecisionCheck
from cylch.meetings.clocks import (
    Clock,
    ClockCode,
    MeetingFacts,
    PlanFacts,
    child_clocks,
    current_clocks,
    timescales_for,
)
from cylch.meetings.models import (
    ActionStatus,
    AgencyReport,
    Circulation,
    CirculationKind,
    Decision,
    DecisionKind,
    Invitee,
    Meeting,
    MeetingAccess,
    MeetingChild,
    MeetingKind,
    Plan,
    PlanAction,
    PlanVersion,
)
from cylch.meetings.permissions import may_see_meeting, may_see_plan, runs_meeting
from cylch.people.models import Person


def _facts(person_ids: Iterable[int]) -> tuple[dict[int, list[MeetingFacts]], dict[int, PlanFacts]]:
    """Each child's meetings as the clocks need them, and their newest plan, in a handful of queries."""
    ids = list(person_ids)
    links = list(MeetingChild.objects.filter(person_id__in=ids).select_related("meeting"))
    meeting_ids = {link.meeting_id for link in links}
    section_47 = set(
        Decision.objects.filter(meeting_id__in=meeting_ids, kind=DecisionKind.SECTION_47).values_list(
            "meeting_id", flat=True
        )
    )
    circulated = dict(
        Circulation.objects.filter(meeting_id__in=meeting_ids, kind=CirculationKind.MINUTES)
        .values_list("meeting_id")
        .annotate(first=Max("sent_at"))
    )
    shared: dict[int, datetime.date | None] = {}
    for meeting_id, day in _reports_shared(meeting_ids):
        shared[meeting_id] = day
    by_child: dict[int, list[MeetingFacts]] = defaultdict(list)
    for link in links:
        meeting = link.meeting
        sent = circulated.get(meeting.pk)
        by_child[link.person_id].append(
            MeetingFacts(
                pk=meeting.pk,
                kind=meeting.kind,
                on=timezone.localtime(meeting.held_at).date(),
                held=meeting.held,
                section_47=meeting.pk in section_47,
                assessment_completed_on=meeting.assessment_completed_on,
                minutes_circulated_on=timezone.localtime(sent).date() if sent else None,
                reports_shared_on=shared.get(meeting.pk),
            )
        )
    plans: dict[int, PlanFacts] = {}
    for plan in Plan.objects.filter(person_id__in=ids).order_by("started_on", "pk"):
        plans[plan.person_id] = PlanFacts(started_on=plan.started_on, ended_on=plan.ended_on)
    return by_child, plans


def _reports_shared(meeting_ids: set[int]) -> list[tuple[int, datetime.date | None]]:
    """Per meeting with reports: the last day one was shared with the family, or None while any is unshared."""
    found: dict[int, list[datetime.date | None]] = defaultdict(list)
    for meeting_id, day in AgencyReport.objects.filter(meeting_id__in=meeting_ids).values_list(
        "meeting_id", "shared_with_family_on"
    ):
        found[meeting_id].append(day)
    return [
        (meeting_id, None if any(day is None for day in days) else max(d for d in days if d is not None))
        for meeting_id, days in found.items()
    ]


def _region_of(person_meetings: list[Meeting]) -> Region | None:
    return person_meetings[0].local_authority.region if person_meetings else None


def clocks_for_children(person_ids: Iterable[int], *, region: Region | None = None) -> dict[int, list[Clock]]:
    """Every clock (met or running) for each child, under the region's timescales."""
    by_child, plans = _facts(person_ids)
    scales = timescales_for(region)
    return {pk: child_clocks(meetings, plans.get(pk), scales) for pk, meetings in by_child.items()}


def clocks_for_child(person: Person) -> list[Clock]:
    """The clocks a child's page shows: the newest of each kind."""
    meeting = Meeting.objects.filter(children=person).select_related("local_authority__region").first()
    region = meeting.local_authority.region if meeting is not None else None
    return current_clocks(clocks_for_children([person.pk], region=region).get(person.pk, []))


def visible_meetings(*, user: Practitioner) -> QuerySet[Meeting]:
    """The meetings `user` may open (before the per-child record rule)."""
    from cylch.accounts.permissions import sees_everyone

    meetings = Meeting.objects.all()
    if not user.is_active:
        return meetings.none()
    if sees_everyone(user):
        return meetings
    return meetings.filter(
        Q(chair=user) | Q(lead_practitioner=user) | Q(created_by=user) | Q(invitees__practitioner=user)
    ).distinct()


def meetings_of_child(*, user: Practitioner, person: Person) -> list[Meeting]:
    """The child's meetings `user` may open, newest first (the caller has read, and logged, the child)."""
    return list(visible_meetings(user=user).filter(children=person).select_related("chair").order_by("-held_at", "-pk"))


@dataclass
class MeetingPage:
    meeting: Meeting
    disclosure: Disclosure
    children: list[Person]
    invitees: list[Invitee]
    reports: list[AgencyReport]
    decisions: list[Decision]
    plans: list[Plan]
    circulations: list[Circulation]
    clocks: dict[int, list[Clock]]
    runs: bool
    strategy_discussions: list[Meeting] = field(default_factory=list)

    def shown_children(self) -> list[Person]:
        return [child for child in self.children if self.disclosure.allows(child)]

    def not_opened(self) -> list[Circulation]:
        return [c for c in self.circulations if c.opened_at is None and c.kind != CirculationKind.INVITATION]


def meeting_read(
    *,
    user: Practitioner,
    pk: int,
    request: HttpRequest | None = None,
    page: str = "meeting",
    action: AuditAction = AuditAction.VIEW,
) -> MeetingPage:
    """One meeting for its own people, each child logged; anyone else is refused (and the refusal logged)."""
    meeting = Meeting.objects.select_related(
        "chair", "lead_practitioner", "local_authority__region", "strategy_discussion"
    ).get(pk=pk)
    if not may_see_meeting(user, meeting):
        refuse(user=user, page=page, request=request, details={"meeting": pk})
        raise PermissionDenied
    children = list(meeting.children.order_by("family_name", "given_name", "pk"))
    with reading(user=user, page=page, request=request, action=action) as read:
        disclosure = read.decide(children, details={child.pk: {"meeting": meeting.pk} for child in children})
    region = meeting.local_authority.region
    all_clocks = clocks_for_children([child.pk for child in children], region=region)
    return MeetingPage(
        meeting=meeting,
        disclosure=disclosure,
        children=children,
        invitees=list(meeting.invitees.select_related("agency", "practitioner")),
        reports=list(meeting.reports.select_related("agency", "author")),
        decisions=list(meeting.decisions.select_related("person", "recorded_by")),
        plans=list(
            Plan.objects.filter(person__in=children)
            .filter(Q(ended_on__isnull=True) | Q(ended_by=meeting) | Q(started_by=meeting))
            .select_related("person", "current")
        ),
        circulations=list(meeting.circulations.select_related("recipient__agency")),
        clocks={pk: current_clocks(clocks) for pk, clocks in all_clocks.items()},
        runs=runs_meeting(user, meeting),
    )


@dataclass
class PlanPage:
    plan: Plan
    shown: bool
    versions: list[PlanVersion]
    actions: list[PlanAction]
    clocks: list[Clock]
    can_change: bool


def plan_read(
    *,
    user: Practitioner,
    pk: int,
    request: HttpRequest | None = None,
    page: str = "plan",
    action: AuditAction = AuditAction.VIEW,
) -> PlanPage:
    plan = Plan.objects.select_related("person", "lead_practitioner", "started_by__chair", "current").get(pk=pk)
    if not may_see_plan(user, plan):
        refuse(user=user, page=page, request=request, person=plan.person, details={"plan": pk})
        raise PermissionDenied
    disclosure = disclose(
        user=user,
        people=[plan.person],
        page=page,
        request=request,
        action=action,
        details={plan.person.pk: {"plan": plan.pk}},
    )
    shown = disclosure.allows(plan.person)
    return PlanPage(
        plan=plan,
        shown=shown,
        versions=list(plan.versions.select_related("created_by", "meeting").order_by("-number")) if shown else [],
        actions=list(plan.actions.select_related("owner", "owner_agency")) if shown else [],
        clocks=clocks_for_child(plan.person) if shown else [],
        can_change=user.pk == plan.lead_practitioner_id or runs_meeting(user, plan.started_by),
    )


@dataclass
class WorkList:
    meetings: list[Meeting]
    invited: list[Meeting]  # upcoming, each annotated `report_due` (the reader's agency has not reported yet)
    actions: list[PlanAction]
    plans: list[Plan]
    clocks: dict[int, list[Clock]]
    disclosure: Disclosure
    today: datetime.date


def _my_meetings(user: Practitioner) -> QuerySet[Meeting]:
    return Meeting.objects.filter(Q(chair=user) | Q(lead_practitioner=user) | Q(created_by=user)).distinct()


def _invited_meetings(user: Practitioner) -> QuerySet[Meeting]:
    """Meetings still to come that `user` is invited to (and does not run), each with whether their agency's report
    is still due."""
    start_of_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    return (
        Meeting.objects.filter(invitees__practitioner=user, held=False, held_at__gte=start_of_today)
        .exclude(pk__in=_my_meetings(user).values("pk"))
        .annotate(report_due=~_reported(user))
        .distinct()
    )


def _reported(user: Practitioner) -> Exists:
    """Whether the meeting has a report from `user`'s agency."""
    return Exists(AgencyReport.objects.filter(meeting=OuterRef("pk"), agency__practitioners=user))


def _meeting_grants(user: Practitioner, meetings: list[Meeting]) -> dict[int, Access]:
    """The grants these meetings gave `user` to their children, kept (not revoked) though perhaps past their end:
    a meeting still on the reader's list (to hold, to circulate) shows its children's names on that basis."""
    found: dict[int, Access] = {}
    for person_id, grant_id in (
        MeetingAccess.objects.filter(meeting__in=meetings, practitioner=user, grant__status=GrantStatus.APPROVED)
        .order_by("grant__created_at", "grant_id")
        .values_list("grant__person_id", "grant_id")
    ):
        found[person_id] = Access(AccessBasis.GRANT, grant_id)
    return found


def _agency_actions(user: Practitioner) -> QuerySet[PlanAction]:
    if user.agency_id is None:
        return PlanAction.objects.none()
    return PlanAction.objects.filter(
        owner_agency_id=user.agency_id, status=ActionStatus.OPEN, plan__ended_on__isnull=True
    )


def work_list(*, user: Practitioner, request: HttpRequest | None = None) -> WorkList:
    """The chair's and lead practitioner's meetings still to hold or circulate, the meetings to come the
    practitioner is invited to, the plans they lead with their clocks, and the open actions the practitioner's
    agency owns; every child named is logged."""
    today = timezone.localdate()
    meetings = list(
        _my_meetings(user)
        .filter(Q(held=False) | ~Q(circulations__kind=CirculationKind.MINUTES))
        .prefetch_related("children")
        .order_by("held_at", "pk")
        .distinct()
    )
    invited = list(_invited_meetings(user).prefetch_related("children").order_by("held_at", "pk"))
    plans = list(
        Plan.objects.filter(ended_on__isnull=True)
        .filter(Q(lead_practitioner=user) | Q(started_by__chair=user))
        .select_related("person", "started_by__local_authority__region")
        .order_by("started_on", "pk")
    )
    actions = list(_agency_actions(user).select_related("plan__person", "owner").order_by("due_on", "pk"))
    people = [child for meeting in meetings + invited for child in meeting.children.all()]
    people += [plan.person for plan in plans] + [action.plan.person for action in actions]
    disclosure = disclose(
        user=user,
        people=people,
        page="meetings-work-list",
        request=request,
        other_basis=_meeting_grants(user, meetings + invited),
    )
    region = user.agency.local_authority.region if user.agency is not None else None
    clocks = {
        pk: current_clocks(found)
        for pk, found in clocks_for_children([plan.person_id for plan in plans], region=region).items()
    }
    return WorkList(
        meetings=meetings,
        invited=invited,
        actions=actions,
        plans=plans,
        clocks=clocks,
        disclosure=disclosure,
        today=today,
    )


@dataclass(frozen=True)
class WorkCounts:
    meetings: int
    invited: int
    reports_due: int
    actions: int
    overdue_actions: int


def work_counts(*, user: Practitioner) -> WorkCounts:
    """For the home page: how much is waiting, naming no one."""
    today = timezone.localdate()
    actions = _agency_actions(user)
    return WorkCounts(
        meetings=_my_meetings(user).filter(held=False).count(),
        invited=_invited_meetings(user).count(),
        reports_due=_invited_meetings(user).filter(~_reported(user)).count(),
        actions=actions.count(),
        overdue_actions=actions.filter(due_on__lt=today).count(),
    )


@dataclass
class TimelinessRow:
    code: ClockCode
    met: int = 0
    late: int = 0
    overdue: int = 0
    running: int = 0

    @property
    def label(self) -> object:
        return Clock(self.code, datetime.date.min).label

    @property
    def on_time_percent(self) -> int | None:
        done = self.met + self.late + self.overdue
        return round(100 * self.met / done) if done else None


@dataclass
class Timeliness:
    area: LocalAuthority | Region
    rows: list[TimelinessRow]
    children: int


def timeliness_report(*, user: Practitioner, today: datetime.date | None = None) -> Timeliness | None:
    """Every clock of every child with a meeting in the area (the board's region, the front door's authority):
    how many were met in time, late, are overdue, or still running. Figures only."""
    if user.agency is None:
        return None
    day = today or timezone.localdate()
    authority = user.agency.local_authority
    area: LocalAuthority | Region = authority.region if is_board_officer(user) else authority
    meetings = Meeting.objects.filter(local_authority__region=area if isinstance(area, Region) else authority.region)
    if isinstance(area, LocalAuthority):
        meetings = meetings.filter(local_authority=area)
    person_ids = set(MeetingChild.objects.filter(meeting__in=meetings).values_list("person_id", flat=True))
    rows = {code: TimelinessRow(code) for code in ClockCode}
    for clocks in clocks_for_children(person_ids, region=authority.region).values():
        for clock in clocks:
            row = rows[clock.code]
            state = clock.state(day)
            setattr(row, str(state), getattr(row, str(state)) + 1)
    return Timeliness(area=area, rows=list(rows.values()), children=len(person_ids))


@dataclass
class ConvenePrefill:
    """What the front door already knows when a threshold decision says "strategy discussion"."""

    concern: Concern
    children: list[Person]
    agencies: list[tuple[int, int | None, str]]  # (agency, practitioner, role) of current involvements


def convene_prefill(*, concern: Concern) -> ConvenePrefill:
    children = [
        subject.person
        for subject in concern.subjects.filter(role=SubjectRole.CHILD, person__isnull=False).select_related("person")
        if subject.person is not None
    ]
    agencies: list[tuple[int, int | None, str]] = []
    seen: set[int] = set()
    for involvement in (
        active_involvements().filter(person__in=children).select_related("agency").order_by("agency__name", "pk")
    ):
        if involvement.agency_id not in seen:
            seen.add(involvement.agency_id)
            agencies.append((involvement.agency_id, involvement.practitioner_id, involvement.role))
    return ConvenePrefill(concern=concern, children=children, agencies=agencies)


# Agencies that serve a whole region (a police force, the health board's services, probation), though each is
# recorded against one local authority: they are offered for meetings in any authority of their region.
REGIONAL_KINDS = frozenset(
    {
        AgencyKind.POLICE,
        AgencyKind.MIDWIFERY,
        AgencyKind.HEALTH_VISITING,
        AgencyKind.SCHOOL_NURSING,
        AgencyKind.HOSPITAL,
        AgencyKind.CAMHS,
        AgencyKind.ADULT_MENTAL_HEALTH,
        AgencyKind.SUBSTANCE_MISUSE,
        AgencyKind.PROBATION_YOUTH_JUSTICE,
    }
)


def practitioners_serving(
    *, authority_id: int, involved_agencies: Iterable[int] = (), also: Iterable[int] = ()
) -> QuerySet[Practitioner]:
    """Who may be invited to, or own an action of, a meeting in this authority: the practitioners of its own
    agencies, of the agencies serving its whole region, of the agencies working with the children (listed first)
    and `also` (a previous meeting's invitees). The same list on the form's GET and its POST."""
    involved, extra = list(involved_agencies), list(also)
    region = LocalAuthority.objects.filter(pk=authority_id).values("region_id")
    return (
        Practitioner.objects.filter(is_active=True, agency__isnull=False)
        .filter(
            Q(agency__local_authority_id=authority_id)
            | Q(agency__kind__in=REGIONAL_KINDS, agency__local_authority__region_id__in=region)
            | Q(agency_id__in=involved)
            | Q(pk__in=extra)
        )
        .annotate(
            involved=Case(When(agency_id__in=involved, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .select_related("agency")
        .order_by("involved", "agency__name", "last_name", "first_name", "pk")
    )


def involved_agencies(children: Iterable[Person]) -> list[int]:
    """The agencies working with any of the children now."""
    return list(active_involvements().filter(person__in=list(children)).values_list("agency_id", flat=True).distinct())


def strategy_discussions_for(children: Iterable[Person]) -> QuerySet[Meeting]:
    """Strategy discussions about any of these children, to start a conference from."""
    return Meeting.objects.filter(kind=MeetingKind.STRATEGY_DISCUSSION, children__in=list(children)).distinct()


@dataclass
class ChildMeetings:
    """A child's meetings for an agency system: empty unless the caller may see the child."""

    person: Person
    allowed: bool
    meetings: list[Meeting]
    disclosure: Disclosure


def child_meetings_read(*, user: Practitioner, person: Person, request: HttpRequest | None = None) -> ChildMeetings:
    """The child's meetings `user` may open, with their decisions and invitees; the child and every other child
    named in them are logged in one read."""
    with reading(user=user, page="api-meetings", request=request) as read:
        allowed = read.decide([person]).allows(person)
        meetings = (
            list(
                visible_meetings(user=user)
                .filter(children=person)
                .select_related("chair")
                .prefetch_related("children", "invitees__agency", "invitees__practitioner", "decisions__person")
                .order_by("-held_at", "-pk")
            )
            if allowed
            else []
        )
        disclosure = read.decide([child for meeting in meetings for child in meeting.children.all()] or [person])
    return ChildMeetings(person=person, allowed=allowed, meetings=meetings, disclosure=disclosure)


def decision_checks_meetings(*, children: dict[int, str]) -> list[DecisionCheck]:
    """For the front door's decision page: each child's protection plan, any meeting about them still to come
    (today or later), and any booked for a day now past but not recorded as held (said so: it may not have
    happened)."""
    plans = Plan.objects.filter(person_id__in=children, ended_on__isnull=True).order_by("person_id")
    checks = [DecisionCheck(check="plan", child=children[plan.person_id]) for plan in plans]
    unheld = (
        MeetingChild.objects.filter(person_id__in=children, meeting__held=False)
        .select_related("meeting")
        .order_by("person_id", "meeting__held_at")
    )
    for link in unheld:
        meeting = link.meeting
        day = date_format(timezone.localtime(meeting.held_at), "j F Y")
        detail = f"{meeting.get_kind_display()}, {day}"
        if meeting.not_recorded_as_held:
            detail = _("%(meeting)s (booked, not recorded as held)") % {"meeting": detail}
        checks.append(DecisionCheck(check="open_meeting", child=children[link.person_id], detail=detail))
    return checks
