"""Convening, holding and deciding meetings; the plan; circulating what was decided; chasing overdue actions.

Each service validates first (a ValidationError naming the field), then writes inside one transaction, so bad
input stores nothing. Decisions change the record through the same services an agency's feed uses
(`cylch.feeds.services`): registration and de-registration are statutory statuses with their chronology events.
An invitation gives the invitee an access grant to each of the meeting's children, which ends a few working
days after the meeting, or, when a child is registered, lasts the life of the plan.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cylch.access.models import AccessGrant, GrantKind, GrantStatus
from cylch.access.services import lead_agency
from cylch.accounts.models import Agency, Practitioner, Region
from cylch.accounts.permissions import sees_everyone
from cylch.audit.models import AuditAction
from cylch.audit.services import audit_write_record
from cylch.chronology.models import EventKind
from cylch.concerns.models import Concern
from cylch.core.working_days import add_working_days, working_days_between
from cylch.feeds.services import chronology_event_record, statutory_status_end, statutory_status_start
from cylch.meetings.clocks import timescales_for
from cylch.meetings.models import (
    CONFERENCE_KINDS,
    DECISIONS_BY_KIND,
    FIRST_CONFERENCE_KINDS,
    PER_CHILD_DECISIONS,
    ActionStatus,
    AgencyReport,
    Attendance,
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
    RegionTimescales,
)
from cylch.meetings.permissions import can_convene, may_see_meeting, plan_members, runs_meeting
from cylch.notifications.services import lazy_message, notification_queue
from cylch.people.models import Person, StatusKind, StatutoryStatus

# Chasing an overdue action: the owner at once, the lead practitioner after this many working days, the chair after.
ESCALATE_TO_LEAD_AFTER = 5
ESCALATE_TO_CHAIR_AFTER = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class InviteeSpec:
    agency: Agency
    practitioner: Practitioner
    role: str


def _today() -> datetime.date:
    return timezone.localdate()


def _meeting_day(meeting: Meeting) -> datetime.date:
    return timezone.localtime(meeting.held_at).date()


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _check_invitees(invitees: Sequence[InviteeSpec]) -> None:
    seen: set[int] = set()
    for spec in invitees:
        if spec.practitioner.agency_id != spec.agency.pk:
            raise ValidationError(
                {
                    "invitees": _("%(name)s does not work for %(agency)s.")
                    % {"name": spec.practitioner.get_full_name(), "agency": spec.agency.name}
                }
            )
        if not spec.practitioner.is_active:
            raise ValidationError(
                {"invitees": _("%(name)s cannot sign in.") % {"name": spec.practitioner.get_full_name()}}
            )
        if not spec.role.strip():
            raise ValidationError({"invitees": _("Enter each invitee's role.")})
        if spec.practitioner.pk in seen:
            raise ValidationError(
                {"invitees": _("%(name)s is invited twice.") % {"name": spec.practitioner.get_full_name()}}
            )
        seen.add(spec.practitioner.pk)


def _check_strategy_discussion(
    *,
    kind: str,
    held_at: datetime.datetime,
    children: Sequence[Person],
    strategy_discussion: Meeting | None,
    no_strategy_reason: str,
) -> None:
    if kind not in FIRST_CONFERENCE_KINDS:
        return
    if strategy_discussion is None:
        if not no_strategy_reason.strip():
            raise ValidationError(
                {
                    "strategy_discussion": _(
                        "Choose the strategy discussion that started the enquiry, or record why there was none."
                    )
                }
            )
        return
    if strategy_discussion.kind != MeetingKind.STRATEGY_DISCUSSION:
        raise ValidationError({"strategy_discussion": _("Choose a strategy discussion.")})
    if strategy_discussion.held_at > held_at:
        raise ValidationError({"strategy_discussion": _("The conference cannot be before the strategy discussion.")})
    shared = set(strategy_discussion.meeting_children.values_list("person_id", flat=True))
    if not shared & {child.pk for child in children}:
        raise ValidationError({"strategy_discussion": _("The strategy discussion was about other children.")})


@transaction.atomic
def meeting_convene(
    *,
    user: Practitioner,
    kind: str,
    held_at: datetime.datetime,
    children: Sequence[Person],
    chair: Practitioner,
    invitees: Sequence[InviteeSpec] = (),
    lead_practitioner: Practitioner | None = None,
    concern: Concern | None = None,
    strategy_discussion: Meeting | None = None,
    no_strategy_reason: str = "",
    family_invited: bool = False,
    child_invited: bool = False,
    advocate_invited: bool = False,
    request: HttpRequest | None = None,
) -> Meeting:
    """Book a meeting: its children, chair and invitees, each invitee sent the invitation and given access to the
    children for the meeting."""
    if not can_convene(user):
        raise PermissionDenied
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Choose the kind of meeting.")})
    if not children:
        raise ValidationError({"children": _("Choose at least one child.")})
    if timezone.is_naive(held_at):
        raise ValidationError({"held_at": _("Give the meeting's time zone.")})
    if concern is not None and held_at < concern.received_at:
        raise ValidationError(
            {
                "held_at": _("The meeting cannot be before the concern that led to it (received %(date)s).")
                % {"date": timezone.localtime(concern.received_at).strftime("%d/%m/%Y %H:%M")}
            }
        )
    if chair.agency is None or not can_convene(chair):
        raise ValidationError({"chair": _("The chair must be a children's services practitioner.")})
    if kind == MeetingKind.PRE_BIRTH_CONFERENCE and not all(child.is_unborn for child in children):
        raise ValidationError({"children": _("A pre-birth conference is about an unborn child.")})
    _check_strategy_discussion(
        kind=kind,
        held_at=held_at,
        children=children,
        strategy_discussion=strategy_discussion,
        no_strategy_reason=no_strategy_reason,
    )
    _check_invitees(invitees)
    meeting = Meeting.objects.create(
        kind=kind,
        held_at=held_at,
        local_authority=chair.agency.local_authority,
        chair=chair,
        lead_practitioner=lead_practitioner,
        concern=concern,
        strategy_discussion=strategy_discussion if kind in FIRST_CONFERENCE_KINDS else None,
        no_strategy_reason=no_strategy_reason.strip() if strategy_discussion is None else "",
        family_invited=family_invited,
        child_invited=child_invited,
        advocate_invited=advocate_invited,
        created_by=user,
    )
    MeetingChild.objects.bulk_create([MeetingChild(meeting=meeting, person=child) for child in _unique(children)])
    for child in _unique(children):
        audit_write_record(
            practitioner=user,
            person=child,
            action=AuditAction.CREATE,
            page="meeting",
            request=request,
            details={"meeting": meeting.pk, "kind": kind},
        )
    for runner in {chair, lead_practitioner} - {None}:
        for child in _unique(children):
            _grant(meeting, runner, child, user=user, request=request)  # type: ignore[arg-type]
    for spec in invitees:
        _invite(meeting, spec, user=user, request=request)
    return meeting


def _unique(children: Sequence[Person]) -> list[Person]:
    return list({child.pk: child for child in children}.values())


def _grant_expiry(meeting: Meeting, person: Person) -> datetime.datetime | None:
    """Access for the meeting: until the circulation deadline after it; for the plan's life while one runs."""
    if Plan.objects.filter(person=person, ended_on__isnull=True).exists():
        return None
    scales = timescales_for(meeting.local_authority.region)
    return _start_of(add_working_days(_meeting_day(meeting), scales.circulation_working_days + 1))


def _grant(
    meeting: Meeting, practitioner: Practitioner, person: Person, *, user: Practitioner, request: HttpRequest | None
) -> None:
    """Access to one child for one of the meeting's people, unless their role already sees everyone."""
    if sees_everyone(practitioner):
        return
    grant = AccessGrant.objects.create(
        person=person,
        practitioner=practitioner,
        kind=GrantKind.MEETING,
        status=GrantStatus.APPROVED,
        reason=f"{meeting.get_kind_display()} {_meeting_day(meeting).isoformat()} (meeting {meeting.pk})",
        lead_agency=lead_agency(person=person),
        decided_by=user,
        decided_at=timezone.now(),
        expires_at=_grant_expiry(meeting, person),
    )
    MeetingAccess.objects.create(meeting=meeting, practitioner=practitioner, grant=grant)
    audit_write_record(
        practitioner=user,
        person=person,
        action=AuditAction.ACCESS_DECISION,
        page="meeting",
        request=request,
        details={"grant": grant.pk, "meeting": meeting.pk, "practitioner": practitioner.pk},
    )


def _invite(meeting: Meeting, spec: InviteeSpec, *, user: Practitioner, request: HttpRequest | None) -> Invitee:
    invitee = Invitee.objects.create(
        meeting=meeting, agency=spec.agency, practitioner=spec.practitioner, role=spec.role.strip()
    )
    for child in meeting.children.all():
        _grant(meeting, invitee.practitioner, child, user=user, request=request)
    _send(meeting, CirculationKind.INVITATION, invitee.practitioner)
    return invitee


@transaction.atomic
def invitee_add(
    *, meeting: Meeting, user: Practitioner, spec: InviteeSpec, request: HttpRequest | None = None
) -> Invitee:
    if not runs_meeting(user, meeting):
        raise PermissionDenied
    if meeting.invitees.filter(practitioner=spec.practitioner).exists():
        raise ValidationError(
            {"practitioner": _("%(name)s is already invited.") % {"name": spec.practitioner.get_full_name()}}
        )
    _check_invitees([spec])
    return _invite(meeting, spec, user=user, request=request)


SUBJECTS = {
    CirculationKind.INVITATION: gettext_lazy("Cylch: you are invited to a %(kind)s on %(date)s"),
    CirculationKind.MINUTES: gettext_lazy("Cylch: minutes and decisions of the %(kind)s on %(date)s"),
    CirculationKind.PLAN: gettext_lazy("Cylch: the care and support protection plan agreed on %(date)s"),
}
BODY = gettext_lazy(
    "%(subject)s.\nOpen it in Cylch (sign-in needed): %(link)s\nChildren's details are in Cylch only, not in this "
    "email."
)


def _send(meeting: Meeting, kind: str, recipient: Practitioner) -> Circulation:
    """Queue one document's notice to one recipient in their language, and keep its receipt (re-sending keeps the
    first receipt, so an opening is never forgotten)."""
    circulation, _created = Circulation.objects.get_or_create(meeting=meeting, kind=kind, recipient=recipient)
    date = _meeting_day(meeting).strftime("%d/%m/%Y")
    subject = lazy_message(SUBJECTS[CirculationKind(kind)], kind=MeetingKind(meeting.kind).label, date=date)
    link = reverse("meetings:circulated", kwargs={"pk": meeting.pk, "kind": kind})
    notification_queue(
        email=recipient.email,
        recipient=recipient,
        template=f"meeting_{kind}",
        subject=subject,
        body=lazy_message(BODY, subject=subject, link=link),
        personalisation={"meeting": meeting.pk, "kind": kind, "link": link},
    )
    return circulation


@transaction.atomic
def agency_report_submit(
    *,
    meeting: Meeting,
    user: Practitioner,
    text: str,
    attachment: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> AgencyReport:
    """An invitee's report for their agency, before the meeting: one per agency, so a second replaces the first
    (refused once the first has been shared with the family, who would otherwise not see the new one)."""
    if user.agency is None or not meeting.invitees.filter(practitioner=user).exists():
        raise PermissionDenied
    if meeting.held:
        raise ValidationError({"text": _("The meeting has been held: reports come before it.")})
    if not text.strip():
        raise ValidationError({"text": _("Enter your agency's report.")})
    report = AgencyReport.objects.filter(meeting=meeting, agency=user.agency).first()
    action = AuditAction.CREATE if report is None else AuditAction.UPDATE
    if report is None:
        report = AgencyReport(meeting=meeting, agency=user.agency)
    elif report.shared_with_family_on is not None:
        raise ValidationError(
            {"text": _("Your agency's report has already been shared with the family: ask the chair to add to it.")}
        )
    report.author, report.text, report.submitted_at = user, text.strip(), timezone.now()
    if attachment is not None:
        if attachment.size is None or attachment.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"attachment": _("The attachment must be smaller than 10 MB.")})
        report.attachment = attachment.read()
        report.attachment_name = (attachment.name or "attachment")[:200]
        report.attachment_type = (attachment.content_type or "application/octet-stream")[:100]
    report.save()
    for child in meeting.children.all():
        audit_write_record(
            practitioner=user,
            person=child,
            action=action,
            page="meeting-report",
            request=request,
            details={"meeting": meeting.pk, "report": report.pk},
        )
    return report


@transaction.atomic
def agency_report_share(*, report: AgencyReport, user: Practitioner, on: datetime.date) -> AgencyReport:
    """The chair records the day a report was shared with the family (the clock wants it before the conference)."""
    if not runs_meeting(user, report.meeting):
        raise PermissionDenied
    if on > _today():
        raise ValidationError({"shared_on": _("The day it was shared cannot be in the future.")})
    report.shared_with_family_on = on
    report.save(update_fields=["shared_with_family_on"])
    return report


@transaction.atomic
def meeting_hold(
    *,
    meeting: Meeting,
    user: Practitioner,
    attendance: dict[int, str],
    child_views: str,
    minutes: str,
    family_attended: bool | None = None,
    child_attended: bool | None = None,
    advocate_attended: bool | None = None,
    request: HttpRequest | None = None,
) -> Meeting:
    """Record that the meeting was held: who came, the child's views (first, for a conference) and the minutes."""
    if not runs_meeting(user, meeting):
        raise PermissionDenied
    if meeting.held_at > timezone.now():
        raise ValidationError({"held_at": _("The meeting has not happened yet.")})
    if meeting.kind in CONFERENCE_KINDS and not child_views.strip():
        raise ValidationError(
            {"child_views": _("Record the child's views and wishes, or why they could not be known.")}
        )
    if not minutes.strip():
        raise ValidationError({"minutes": _("Enter the minutes.")})
    invitees = {invitee.pk: invitee for invitee in meeting.invitees.all()}
    for invitee_id, status in attendance.items():
        if invitee_id not in invitees or status not in Attendance.values or status == Attendance.INVITED:
            raise ValidationError({"attendance": _("Say whether each invitee attended or sent apologies.")})
    for invitee_id, status in attendance.items():
        invitee = invitees[invitee_id]
        invitee.attendance = status
        invitee.save(update_fields=["attendance"])
    meeting.child_views, meeting.minutes = child_views.strip(), minutes.strip()
    meeting.family_attended, meeting.child_attended = family_attended, child_attended
    meeting.advocate_attended, meeting.held = advocate_attended, True
    meeting.save()
    for child in meeting.children.all():
        audit_write_record(
            practitioner=user,
            person=child,
            action=AuditAction.UPDATE,
            page="meeting",
            request=request,
            details={"meeting": meeting.pk, "held": True},
        )
    return meeting


def _chair_agency(meeting: Meeting) -> Agency:
    """The chair's agency records the meeting's events and statuses (convening checked it is children's services)."""
    agency = meeting.chair.agency
    if agency is None:
        raise ValidationError({"chair": _("The chair must be a children's services practitioner.")})
    return agency


def _event(
    meeting: Meeting,
    person: Person,
    kind: EventKind,
    summary: str,
    user: Practitioner,
    request: HttpRequest | None,
    **details: object,
) -> None:
    chronology_event_record(
        person=person,
        agency=_chair_agency(meeting),
        kind=kind,
        occurred_at=min(meeting.held_at, timezone.now()),
        summary=summary[:500],
        details={"meeting": meeting.pk, **details},
        recorded_by=user,
        request=request,
    )


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    user: Practitioner,
    kind: str,
    rationale: str,
    person: Person | None = None,
    category: str = "",
    dissent: str = "",
    request: HttpRequest | None = None,
) -> Decision:
    """Record a decision and change the record it decides: a strategy discussion's own chronology event; a
    conference's registration (status, category, plan) or de-registration (status ended, plan ended)."""
    if not runs_meeting(user, meeting):
        raise PermissionDenied
    if not meeting.held:
        raise ValidationError({"kind": _("Record that the meeting was held before its decisions.")})
    if kind not in DECISIONS_BY_KIND[meeting.kind]:
        raise ValidationError({"kind": _("This meeting cannot make that decision.")})
    if not rationale.strip():
        raise ValidationError({"rationale": _("Enter the rationale for the decision.")})
    children = list(meeting.children.all())
    if kind in PER_CHILD_DECISIONS:
        if person is None or person.pk not in {child.pk for child in children}:
            raise ValidationError({"person": _("Choose a child who is in the meeting.")})
    elif person is not None and person.pk not in {child.pk for child in children}:
        raise ValidationError({"person": _("Choose a child who is in the meeting.")})
    if kind == DecisionKind.REGISTER and not category:
        raise ValidationError({"category": _("Registration needs a category of abuse.")})
    if kind != DecisionKind.REGISTER and category:
        raise ValidationError({"category": _("Only registration has a category.")})
    active = Plan.objects.filter(person=person, ended_on__isnull=True).first() if person is not None else None
    if kind == DecisionKind.REGISTER and active is not None:
        raise ValidationError({"person": _("This child already has a plan in force.")})
    if kind in {DecisionKind.END_PLAN, DecisionKind.CONTINUE_PLAN} and active is None:
        raise ValidationError({"person": _("This child has no plan in force.")})
    decision = Decision.objects.create(
        meeting=meeting,
        person=person,
        kind=kind,
        category=category,
        rationale=rationale.strip(),
        dissent=dissent.strip(),
        recorded_by=user,
    )
    label = str(DecisionKind(kind).label)
    about = [person] if person is not None else children
    if meeting.kind == MeetingKind.STRATEGY_DISCUSSION:
        for child in about:
            _event(
                meeting,
                child,
                EventKind.STRATEGY_DISCUSSION,
                f"{meeting.get_kind_display()}: {label}",
                user,
                request,
                decision=decision.pk,
            )
            if kind == DecisionKind.SECTION_47:
                _event(meeting, child, EventKind.SECTION_47, label, user, request, decision=decision.pk)
    elif meeting.kind in CONFERENCE_KINDS:
        for child in about:
            _event(
                meeting,
                child,
                EventKind.CONFERENCE,
                f"{meeting.get_kind_display()}: {label}",
                user,
                request,
                decision=decision.pk,
            )
    if kind == DecisionKind.REGISTER and person is not None:
        _register(meeting, person, category, user, request)
    if kind == DecisionKind.END_PLAN and active is not None:
        _end_plan(meeting, active, user, request)
    return decision


def _register(meeting: Meeting, person: Person, category: str, user: Practitioner, request: HttpRequest | None) -> None:
    day = _meeting_day(meeting)
    statutory_status_start(
        person=person,
        kind=StatusKind.CHILD_PROTECTION_REGISTER,
        local_authority=meeting.local_authority,
        start_date=day,
        agency=_chair_agency(meeting),
        category=category,
        recorded_by=user,
        request=request,
    )
    Plan.objects.create(person=person, started_by=meeting, started_on=day, lead_practitioner=meeting.lead_practitioner)
    # The invitees' access now lasts the plan's life.
    AccessGrant.objects.filter(person=person, kind=GrantKind.MEETING, meeting_access__meeting=meeting).update(
        expires_at=None
    )


def _end_plan(meeting: Meeting, plan: Plan, user: Practitioner, request: HttpRequest | None) -> None:
    day = _meeting_day(meeting)
    status = StatutoryStatus.objects.filter(
        person=plan.person, kind=StatusKind.CHILD_PROTECTION_REGISTER, end_date__isnull=True
    ).first()
    if status is not None:
        statutory_status_end(
            status=status, end_date=day, agency=_chair_agency(meeting), recorded_by=user, request=request
        )
    plan.ended_by, plan.ended_on = meeting, day
    plan.save(update_fields=["ended_by", "ended_on"])
    PlanAction.objects.filter(plan=plan, status=ActionStatus.OPEN).update(status=ActionStatus.DROPPED)
    # Access that lasted the plan's life ends with it (the ending meeting's own invitees keep theirs until its
    # circulation deadline).
    now = timezone.now()
    AccessGrant.objects.filter(person=plan.person, kind=GrantKind.MEETING).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    ).exclude(meeting_access__meeting=meeting).update(expires_at=now)
    AccessGrant.objects.filter(person=plan.person, kind=GrantKind.MEETING, meeting_access__meeting=meeting).update(
        expires_at=_start_of(
            add_working_days(day, timescales_for(meeting.local_authority.region).circulation_working_days + 1)
        )
    )


def _snapshot(plan: Plan) -> list[dict[str, object]]:
    return [
        {
            "id": action.pk,
            "description": action.description,
            "agency": action.owner_agency.name,
            "owner": action.owner.get_full_name(),
            "due_on": action.due_on.isoformat(),
            "status": action.status,
        }
        for action in plan.actions.select_related("owner_agency", "owner").order_by("pk")
    ]


def _runs_plan(user: Practitioner, plan: Plan) -> bool:
    return user.is_active and (user.pk == plan.lead_practitioner_id or runs_meeting(user, plan.started_by))


@transaction.atomic
def plan_version_save(
    *,
    plan: Plan,
    user: Practitioner,
    outcomes: str,
    contingency: str,
    change_note: str = "",
    meeting: Meeting | None = None,
) -> PlanVersion:
    """A new version of the plan (the first is the outline plan); each later one says what changed."""
    if not _runs_plan(user, plan) and not (meeting is not None and runs_meeting(user, meeting)):
        raise PermissionDenied
    if not plan.is_active:
        raise ValidationError({"outcomes": _("This plan has ended.")})
    if meeting is not None and not meeting.meeting_children.filter(person=plan.person_id).exists():
        raise ValidationError({"meeting": _("The plan's child is not in this meeting.")})
    if not outcomes.strip():
        raise ValidationError({"outcomes": _("Enter the outcomes for the child.")})
    if not contingency.strip():
        raise ValidationError({"contingency": _("Enter the contingency plan.")})
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    number = plan.versions.count() + 1
    if number > 1 and not change_note.strip():
        raise ValidationError({"change_note": _("Say what changed.")})
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        meeting=meeting,
        outcomes=outcomes.strip(),
        contingency=contingency.strip(),
        change_note=change_note.strip() or _("Outline plan agreed."),
        actions_snapshot=_snapshot(plan),
        created_by=user,
    )
    plan.current = version
    plan.save(update_fields=["current"])
    return version


@transaction.atomic
def plan_action_add(
    *,
    plan: Plan,
    user: Practitioner,
    description: str,
    owner_agency: Agency | None,
    owner: Practitioner | None,
    due_on: datetime.date | None,
) -> PlanAction:
    if not _runs_plan(user, plan):
        raise PermissionDenied
    if not plan.is_active:
        raise ValidationError({"description": _("This plan has ended.")})
    if not description.strip():
        raise ValidationError({"description": _("Enter what will be done.")})
    if owner_agency is None:
        raise ValidationError({"owner_agency": _("Choose the agency that owns the action.")})
    if owner is None:
        raise ValidationError({"owner": _("Choose the practitioner who owns the action.")})
    if owner.agency_id != owner_agency.pk:
        raise ValidationError({"owner": _("The owner must work for the owning agency.")})
    if due_on is None:
        raise ValidationError({"due_on": _("Enter the date the action is due.")})
    if due_on < _today():
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    return PlanAction.objects.create(
        plan=plan, description=description.strip(), owner_agency=owner_agency, owner=owner, due_on=due_on
    )


@transaction.atomic
def plan_action_update(*, action: PlanAction, user: Practitioner, status: str, evidence: str = "") -> PlanAction:
    """The owner (or whoever runs the plan) marks an action done, with evidence, or no longer needed."""
    if user.pk != action.owner_id and not _runs_plan(user, action.plan):
        raise PermissionDenied
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose the action's status.")})
    if status == ActionStatus.DONE and not evidence.strip():
        raise ValidationError({"evidence": _("Enter the evidence the action was done.")})
    action.status, action.evidence = status, evidence.strip()
    action.completed_on = _today() if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "evidence", "completed_on"])
    return action


def circulation_recipients(meeting: Meeting, kind: str) -> list[Practitioner]:
    """Every invitee; for the plan also the core group: everyone in the plans' circles."""
    people = Practitioner.objects.filter(meeting_invitations__meeting=meeting)
    if kind == CirculationKind.PLAN:
        for plan in Plan.objects.filter(person__in=meeting.children.all(), ended_on__isnull=True):
            people = people | Practitioner.objects.filter(plan_members(plan))
    return list(people.filter(is_active=True).exclude(email="").distinct().order_by("last_name", "pk"))


@transaction.atomic
def meeting_circulate(*, meeting: Meeting, user: Practitioner, kind: str) -> list[Circulation]:
    """Send the minutes and decisions, or the plan, to every recipient through the outbox, each with a receipt."""
    if not runs_meeting(user, meeting):
        raise PermissionDenied
    if kind not in {CirculationKind.MINUTES, CirculationKind.PLAN}:
        raise ValidationError({"kind": _("Choose the minutes or the plan.")})
    if not meeting.held:
        raise ValidationError({"kind": _("Record that the meeting was held before circulating it.")})
    if (
        kind == CirculationKind.PLAN
        and not Plan.objects.filter(
            person__in=meeting.children.all(), ended_on__isnull=True, current__isnull=False
        ).exists()
    ):
        raise ValidationError({"kind": _("No plan for these children has been written yet.")})
    return [_send(meeting, kind, recipient) for recipient in circulation_recipients(meeting, kind)]


@transaction.atomic
def circulation_open(*, meeting: Meeting, user: Practitioner, kind: str) -> Circulation | None:
    """Record the recipient's first opening of what was sent to them (None when nothing was sent to them)."""
    if not may_see_meeting(user, meeting) and not Circulation.objects.filter(meeting=meeting, recipient=user).exists():
        raise PermissionDenied
    circulation = Circulation.objects.select_for_update().filter(meeting=meeting, kind=kind, recipient=user).first()
    if circulation is not None and circulation.opened_at is None:
        circulation.opened_at = timezone.now()
        circulation.save(update_fields=["opened_at"])
    return circulation


@transaction.atomic
def strategy_assessment_complete(*, meeting: Meeting, user: Practitioner, on: datetime.date) -> Meeting:
    """The enquiry's assessment is finished (the 42-working-day clock stops)."""
    if not runs_meeting(user, meeting):
        raise PermissionDenied
    if meeting.kind != MeetingKind.STRATEGY_DISCUSSION:
        raise ValidationError({"on": _("Only an enquiry's assessment is recorded here.")})
    if on > _today() or on < _meeting_day(meeting):
        raise ValidationError({"on": _("The date must be between the strategy discussion and today.")})
    meeting.assessment_completed_on = on
    meeting.save(update_fields=["assessment_completed_on"])
    return meeting


CHASE_SUBJECT = gettext_lazy("Cylch: a protection plan action is overdue (due %(due)s)")
CHASE_BODY = gettext_lazy(
    "An action in a child's care and support protection plan is overdue: %(action)s\nOwner: %(owner)s "
    "(%(agency)s). Due %(due)s.\nOpen the plan in Cylch: %(link)s"
)


@dataclass
class ChaseResult:
    owners: int = 0
    lead_practitioners: int = 0
    chairs: int = 0


def _chase(action: PlanAction, recipient: Practitioner | None, level: int) -> bool:
    if recipient is None or not recipient.email:
        return False
    due = action.due_on.strftime("%d/%m/%Y")
    notification_queue(
        email=recipient.email,
        recipient=recipient,
        template="plan_action_overdue",
        subject=lazy_message(CHASE_SUBJECT, due=due),
        body=lazy_message(
            CHASE_BODY,
            action=action.description[:200],
            owner=action.owner.get_full_name(),
            agency=action.owner_agency.name,
            due=due,
            link=reverse("meetings:plan", kwargs={"pk": action.plan_id}),
        ),
        personalisation={"plan": action.plan_id, "action": action.pk, "level": level},
        dedupe_key=f"plan-action-{action.pk}-{level}",
    )
    return True


@transaction.atomic
def overdue_actions_chase(*, today: datetime.date | None = None) -> ChaseResult:
    """Chase each open action past its due date: its owner first; after `ESCALATE_TO_LEAD_AFTER` working days
    overdue the plan's lead practitioner; after `ESCALATE_TO_CHAIR_AFTER` the chair of the conference that
    started the plan. Idempotent: each step happens once per action."""
    day = today or _today()
    result = ChaseResult()
    overdue = (
        PlanAction.objects.select_for_update(of=("self",))
        .filter(status=ActionStatus.OPEN, due_on__lt=day, plan__ended_on__isnull=True)
        .select_related("owner", "owner_agency", "plan__lead_practitioner", "plan__started_by__chair")
    )
    for action in overdue:
        late = working_days_between(action.due_on, day)
        level = action.chase_level
        if level < 1:
            _chase(action, action.owner, 1)
            result.owners += 1
            level = 1
        if level < 2 and late >= ESCALATE_TO_LEAD_AFTER:
            if _chase(action, action.plan.lead_practitioner, 2):
                result.lead_practitioners += 1
            level = 2
        if level < 3 and late >= ESCALATE_TO_CHAIR_AFTER:
            if _chase(action, action.plan.started_by.chair, 3):
                result.chairs += 1
            level = 3
        if level != action.chase_level:
            action.chase_level, action.last_chased_on = level, day
            action.save(update_fields=["chase_level", "last_chased_on"])
    return result


@transaction.atomic
def region_timescales_set(*, region: Region, values: dict[str, int]) -> RegionTimescales:
    """Replace some of a region's timescales (the rest keep their current value, or the Wales default)."""
    known = {f.name for f in RegionTimescales._meta.get_fields() if f.name not in {"id", "region"}}
    for name, value in values.items():
        if name not in known:
            raise ValidationError({name: _("There is no such timescale.")})
        if not 1 <= value <= 400:
            raise ValidationError({name: _("Give a whole number from 1 to 400.")})
    row, _created = RegionTimescales.objects.get_or_create(region=region)
    for name, value in values.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row
