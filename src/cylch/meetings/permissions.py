"""Who may convene and run meetings, and who may see a meeting or a plan.

Meetings and plans are need-to-know twice over: a reader must be one of the meeting's people (the front door,
the chair, the lead practitioner, whoever convened it, an invitee) and, for each child, pass the record rule,
which an invitee does through the grant their invitation gave (`cylch.meetings.services`). A practitioner whose
agency works with the child but who was not invited sees the child's record, not the meeting.
"""

from __future__ import annotations

from django.db.models import Q

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import can_record_statuses, is_board_officer, is_front_door, sees_everyone
from cylch.meetings.models import Meeting, Plan


def can_convene(user: Practitioner) -> bool:
    """Convening, and the register decisions meetings make, belong to the local authority's children's services."""
    return can_record_statuses(user)


def runs_meeting(user: Practitioner, meeting: Meeting) -> bool:
    """The chair, the lead practitioner and whoever convened it record what happened and circulate it."""
    return user.is_active and user.pk in {meeting.chair_id, meeting.lead_practitioner_id, meeting.created_by_id}


def may_see_meeting(user: Practitioner, meeting: Meeting) -> bool:
    if not user.is_active:
        return False
    if sees_everyone(user) or runs_meeting(user, meeting):
        return True
    return meeting.invitees.filter(practitioner=user).exists()


def plan_members(plan: Plan) -> Q:
    """The practitioners in the plan's circle: its lead, the chairs and invitees of its child's meetings since it
    started, and every action's owner (a `Practitioner` filter)."""
    meetings = Meeting.objects.filter(children=plan.person_id, held_at__date__gte=plan.started_on)
    if plan.ended_on is not None:
        meetings = meetings.filter(held_at__date__lte=plan.ended_on)
    return (
        Q(pk=plan.lead_practitioner_id)
        | Q(meetings_chaired__in=meetings)
        | Q(meeting_invitations__meeting__in=meetings)
        | Q(plan_actions__plan=plan)
    )


def may_see_plan(user: Practitioner, plan: Plan) -> bool:
    if not user.is_active:
        return False
    if sees_everyone(user):
        return True
    return Practitioner.objects.filter(plan_members(plan), pk=user.pk).exists()


def can_see_timeliness(user: Practitioner) -> bool:
    """Figures only: the front door and the board."""
    return is_front_door(user) or is_board_officer(user)
