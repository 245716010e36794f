"""Meetings in the demo region: strategy discussions, conferences, core groups and plans, some late.

Told through the app's own services, as the demo's children's services would: the front door convenes, the lead
practitioner chairs, the police officer, the health visitor and the school's lead are invited (so each demo sign-in
has meetings, plan actions and children to see). Dates are spread over the months before the reference date; about
one story in four runs late (a conference after its 15 working days, a core group after its 10), one in three
leaves its minutes unshared, and a few plan actions slip past their due dates (moved back in time after they were
added, as the front door's demo moves its concerns) for the hourly chase to find.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cylch.accounts.models import Practitioner
from cylch.concerns.models import Concern, Outcome, SubjectRole
from cylch.core.working_days import add_working_days
from cylch.meetings.models import Circulation, CirculationKind, Meeting, Plan, PlanAction
from cylch.meetings.services import (
    InviteeSpec,
    agency_report_share,
    agency_report_submit,
    circulation_open,
    decision_record,
    meeting_circulate,
    meeting_convene,
    meeting_hold,
    plan_action_add,
    plan_version_save,
)
from cylch.people.models import HouseholdMembership, Person, StatusKind

CONVENER = "front.door"
CHAIR = "lead.practitioner"
INVITED = ("police.officer", "health.visitor", "school.lead")
CATEGORIES = ("NEG", "EMO", "PHY", "MUL", "NEG", "SAB")


@dataclass(frozen=True)
class Story:
    """One family's path: how long ago the strategy discussion was, and where it goes from there."""

    days_ago: int
    enquiry: bool = True
    late_conference: bool = False
    register: bool = True
    core_groups: int = 1
    late_core_group: bool = False
    minutes_shared: bool = True
    overdue_action: bool = False
    ended: bool = False


STORIES = (
    Story(days_ago=130, core_groups=3, ended=True),
    Story(days_ago=110, core_groups=2, overdue_action=True),
    Story(days_ago=95, late_conference=True, core_groups=2, late_core_group=True),
    Story(days_ago=80, core_groups=1, minutes_shared=False, overdue_action=True),
    Story(days_ago=60, register=False),
    Story(days_ago=50, late_conference=True, minutes_shared=False),
    Story(days_ago=40, core_groups=1),
    Story(days_ago=30, enquiry=False),
    Story(days_ago=25, core_groups=0, minutes_shared=False),
    Story(days_ago=12, core_groups=0),
    Story(days_ago=4, core_groups=0),
)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _family(used: set[int], authority_id: int) -> list[Person]:
    """Children (with a sibling where the household has one) living in the authority, not on the register."""
    today = timezone.localdate()
    children = (
        Person.objects.filter(
            merged_into__isnull=True,
            is_unborn=False,
            date_of_birth__gt=today - datetime.timedelta(days=16 * 365),
            household_memberships__end_date__isnull=True,
            household_memberships__household__local_authority_id=authority_id,
        )
        .exclude(pk__in=used)
        .exclude(statuses__kind=StatusKind.CHILD_PROTECTION_REGISTER, statuses__end_date__isnull=True)
        .order_by("pk")
    )
    first = children.first()
    if first is None:
        return []
    homes = HouseholdMembership.objects.filter(person=first, end_date__isnull=True).values("household_id")
    sibling = children.exclude(pk=first.pk).filter(household_memberships__household_id__in=homes).first()
    family = [first, sibling] if sibling is not None else [first]
    used.update(child.pk for child in family)
    return family


def _hold(meeting: Meeting, chair: Practitioner, views: str) -> None:
    meeting_hold(
        meeting=meeting,
        user=chair,
        attendance={
            invitee.pk: "apologies" if index == 2 else "attended"
            for index, invitee in enumerate(meeting.invitees.all())
        },
        child_views=views,
        minutes="Agencies shared what they know; the family's account was heard; decisions below.",
        family_attended=True,
        child_attended=False,
        advocate_attended=meeting.advocate_invited or None,
    )


def _invitees(users: dict[str, Practitioner]) -> list[InviteeSpec]:
    """The police officer, the health visitor and the school's lead, each in their agency's role."""
    return [
        InviteeSpec(agency=agency, practitioner=users[name], role=agency.get_kind_display())
        for name in INVITED
        if (agency := users[name].agency) is not None
    ]


def _tell(
    story: Story,
    index: int,
    users: dict[str, Practitioner],
    counts: Counter[str],
    used: set[int],
    today: datetime.date,
) -> None:
    convener, chair = users[CONVENER], users[CHAIR]
    authority = convener.agency.local_authority_id if convener.agency else None
    if authority is None:
        return
    children = _family(used, authority)
    if not children:
        return
    invitees = _invitees(users)
    started = today - datetime.timedelta(days=story.days_ago)
    while started.weekday() >= 5:
        started -= datetime.timedelta(days=1)
    discussion = meeting_convene(
        user=convener,
        kind="strategy_discussion",
        held_at=_at(started),
        children=children,
        chair=chair,
        lead_practitioner=chair,
        invitees=invitees,
    )
    _hold(discussion, chair, "")
    decision_record(
        meeting=discussion,
        user=chair,
        kind="section_47" if story.enquiry else "assessment",
        rationale="Police and health information together suggest significant harm."
        if story.enquiry
        else "Needs met by an assessment of care and support.",
    )
    counts["strategy discussions"] += 1
    if not story.enquiry:
        return
    conference_day = add_working_days(started, 19 if story.late_conference else 12)
    booked = conference_day > today
    conference = meeting_convene(
        user=convener,
        kind="initial_conference",
        held_at=_at(conference_day if not booked else today + datetime.timedelta(days=3)),
        children=children,
        chair=chair,
        lead_practitioner=chair,
        invitees=invitees,
        strategy_discussion=discussion,
        family_invited=True,
        child_invited=True,
        advocate_invited=index % 2 == 0,
    )
    counts["conferences"] += 1
    if conference.held_at > timezone.now():
        agency_report_submit(
            meeting=conference,
            user=users["police.officer"],
            text="Two domestic abuse call-outs in the last year; children present at one.",
        )
        report = agency_report_submit(
            meeting=conference,
            user=users["health.visitor"],
            text="Missed two developmental reviews; home conditions variable.",
        )
        agency_report_share(report=report, user=chair, on=today)
        return
    _hold(conference, chair, "Says home is noisy at night and she likes school because of breakfast club.")
    child = children[0]
    if not story.register:
        decision_record(
            meeting=conference,
            user=chair,
            kind="not_register",
            person=child,
            rationale="Risk reduced since the enquiry; support through care and support plan.",
        )
        return
    decision_record(
        meeting=conference,
        user=chair,
        kind="register",
        person=child,
        category=CATEGORIES[index % len(CATEGORIES)],
        rationale="Continuing risk of significant harm.",
        dissent="Health felt a child in need plan would suffice." if index % 3 == 0 else "",
    )
    counts["plans"] += 1
    plan = Plan.objects.get(person=child, ended_on__isnull=True)
    plan_version_save(
        plan=plan,
        user=chair,
        meeting=conference,
        outcomes="She is safe at home, fed, and at school every day.\nHer parents get help with alcohol use.",
        contingency="If the plan is not followed or harm recurs, a legal planning meeting within 5 working days.",
    )
    for owner, description in (
        ("health.visitor", "Visit at home every two weeks and weigh her."),
        ("school.lead", "Report attendance below 90% to the lead practitioner the same day."),
        ("police.officer", "Flag the address for domestic abuse call-outs."),
    ):
        action = plan_action_add(
            plan=plan,
            user=chair,
            description=description,
            owner_agency=users[owner].agency,
            owner=users[owner],
            due_on=today + datetime.timedelta(days=14),
        )
        counts["plan actions"] += 1
        if story.overdue_action and owner == "health.visitor":
            PlanAction.objects.filter(pk=action.pk).update(due_on=today - datetime.timedelta(days=9))
    if story.minutes_shared:
        meeting_circulate(meeting=conference, user=chair, kind=CirculationKind.MINUTES)
        meeting_circulate(meeting=conference, user=chair, kind=CirculationKind.PLAN)
        Circulation.objects.filter(meeting=conference).update(sent_at=_at(add_working_days(conference_day, 3)))
        circulation_open(meeting=conference, user=users["police.officer"], kind=CirculationKind.MINUTES)
    else:
        counts["conferences with unshared minutes"] += 1
    day = add_working_days(conference_day, 14 if story.late_core_group else 8)
    for number in range(story.core_groups):
        if day >= today:
            break
        core = meeting_convene(
            user=convener,
            kind="core_group",
            held_at=_at(day, 14),
            children=[child],
            chair=chair,
            lead_practitioner=chair,
            invitees=invitees,
        )
        _hold(core, chair, "")
        counts["core groups"] += 1
        day += datetime.timedelta(weeks=4 if number else 5)
    if story.ended:
        review_day = add_working_days(conference_day, 60)
        review = meeting_convene(
            user=convener,
            kind="review_conference",
            held_at=_at(review_day),
            children=[child],
            chair=chair,
            lead_practitioner=chair,
            invitees=invitees,
        )
        _hold(review, chair, "Says things are calmer at home.")
        decision_record(
            meeting=review,
            user=chair,
            kind="end_plan",
            person=child,
            rationale="Outcomes met for three months; support continues as a care and support plan.",
        )
        counts["plans ended"] += 1


def _from_the_front_door(users: dict[str, Practitioner], counts: Counter[str]) -> None:
    """A strategy discussion for each concern the front door's demo decided on one, the working day after."""
    now = timezone.now()
    for concern in Concern.objects.filter(decisions__outcome=Outcome.STRATEGY_DISCUSSION, meetings__isnull=True):
        children = [s.person for s in concern.subjects.filter(role=SubjectRole.CHILD, person__isnull=False) if s.person]
        decided = concern.decided_at or concern.received_at
        when = _at(add_working_days(timezone.localtime(decided).date(), 1), 11)
        if not children or when > now:
            continue
        meeting_convene(
            user=users[CONVENER],
            kind="strategy_discussion",
            held_at=when,
            children=children,
            chair=users[CHAIR],
            lead_practitioner=users[CHAIR],
            concern=concern,
            invitees=[spec for spec in _invitees(users) if spec.practitioner.username == "police.officer"],
        )
        counts["strategy discussions"] += 1


@transaction.atomic
def demo_load(*, reference_date: datetime.date) -> dict[str, int]:
    """Plant the meetings (see the module docstring); says how many of each."""
    today = min(reference_date, timezone.localdate())  # the services refuse a future date
    users = {
        u.username: u
        for u in Practitioner.objects.filter(Q(username__in=[CONVENER, CHAIR, *INVITED])).select_related("agency")
    }
    counts: Counter[str] = Counter()
    if set(users) != {CONVENER, CHAIR, *INVITED}:
        return {}
    used: set[int] = set()
    for index, story in enumerate(STORIES):
        _tell(story, index, users, counts, used, today)
    _from_the_front_door(users, counts)
    return {f"meetings: {name}": n for name, n in counts.items()}
