"""The front door's work in the demo region, so that every page of `make run` has something real on it.

The region loads people, households, agencies and involvements but no work. This plants the work the way
practitioners would do it, through the apps' own services, signed in as the demo users: concerns raised by the
health visitor, the school, the GP and the police; the front door screening them, asking agencies for information,
deciding (once with each outcome); agencies answering; referrers challenging; two people named in concerns who may
be children the region already holds (match reviews, one merged); a break-glass use and requests to see records.

The services stamp everything "now". A concern's history then moves back in time as a whole (`_move_back`), so the
queue has concerns overdue and escalated and the figures have decisions spread over weeks: each step of a story
below happens, and then everything that has happened to that concern so far moves back by the time that has passed
since, as if the demo had been running for a month.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cylch.access.models import ReviewOutcome
from cylch.access.services import access_request_create, access_request_decide, break_glass, grant_review_record
from cylch.accounts.models import Agency, Practitioner
from cylch.chronology.models import ChronologyEvent
from cylch.concerns.models import (
    Challenge,
    ChallengeStatus,
    Concern,
    ConcernKind,
    FamilyAware,
    InformationRequest,
    Outcome,
    ScreeningNote,
    SubjectRole,
    ThresholdDecision,
)
from cylch.concerns.selectors import decision_checks
from cylch.concerns.services import ConcernInput, SubjectInput, concern_submit
from cylch.concerns.sweep import timescale_sweep
from cylch.concerns.triage import (
    challenge_raise,
    challenge_resolve,
    concern_screening_start,
    decision_record,
    information_request_create,
    information_request_respond,
    screening_note_add,
)
from cylch.core.working_days import add_working_days, is_working_day, working_deadline
from cylch.feeds.services.statuses import statutory_status_start
from cylch.linkage.merging import match_review_accept
from cylch.linkage.models import MatchReview, ReviewStatus
from cylch.people.models import HouseholdMembership, Involvement, Person, RegisterCategory, StatusKind

# The demo sign-ins (cylch.synthetic.services.DEMO_SIGN_INS) who do the work.
REFERRERS = ("health.visitor", "school.lead", "gp", "police.officer")
FRONT_DOOR, MANAGER, INFORMATION_GOVERNANCE = "front.door", "front.door.manager", "ig.lead"
LEAD_PRACTITIONER = "lead.practitioner"


@dataclass(frozen=True)
class Story:
    """One concern and what happens to it: `steps` in order, each followed by `working days` passing."""

    referrer: str
    kind: str
    categories: tuple[str, ...]
    what_happened: str
    steps: tuple[tuple[str, int], ...]  # (step, working days that pass after it)
    outcome: str = ""
    asked: str = ""  # the demo sign-in whose agency the front door asks for information
    on_register: bool = False  # about a child on the child protection register (the decision page's checks)
    immediate_risk: bool = False
    child_words: str = ""


STORIES: tuple[Story, ...] = (
    # New: nobody has looked yet.
    Story("school.lead", ConcernKind.MULTI_AGENCY_REFERRAL, ("neglect",),
          "Came to school hungry three days this week and asked staff for food to take home.",
          (("raise", 0),), child_words="There's nothing in the cupboards at home."),
    Story("police.officer", ConcernKind.POLICE_PROTECTION_NOTICE, ("domestic_abuse",),
          "Officers attended a domestic incident at the home overnight; the child was present and upset.",
          (("raise", 0),), immediate_risk=True),
    Story("gp", ConcernKind.INFORMATION_SHARING, ("parental_mental_health",),
          "Mother told the GP she is struggling to cope since the baby was born and is not sleeping.",
          (("raise", 0),)),
    # Screening, with an information request open and another answered.
    Story("health.visitor", ConcernKind.WAS_NOT_BROUGHT, ("neglect",),
          "Not brought to two developmental reviews; the family did not answer the door at a home visit.",
          (("raise", 0), ("screen", 0), ("ask", 0)), asked="school.lead"),
    Story("school.lead", ConcernKind.MULTI_AGENCY_REFERRAL, ("emotional_abuse",),
          "Says she is shouted at and called names at home; low mood and withdrawn in class.",
          (("raise", 0), ("screen", 0), ("ask", 0), ("answer", 0)), asked="police.officer"),
    # Overdue: received two working days ago, no decision, an information request past its date.
    Story("health.visitor", ConcernKind.MULTI_AGENCY_REFERRAL, ("poor_home_conditions", "neglect"),
          "Home visit found the baby's room cold and damp, no clean bedding and dog mess on the floor.",
          (("raise", 0), ("screen", 0), ("ask", 2)), asked="gp"),
    Story("gp", ConcernKind.DUTY_TO_REPORT, ("physical_abuse",),
          "Bruising to the upper arm in the shape of fingermarks; the explanation given did not fit.",
          (("raise", 3),)),
    # Escalated: no outcome after ten working days.
    Story("school.lead", ConcernKind.INFORMATION_SHARING, ("not_in_school",),
          "Attendance has fallen to 60 per cent this term; the family say he is ill but no notes are given.",
          (("raise", 11),)),
    # Decided, once with each outcome.
    Story("school.lead", ConcernKind.INFORMATION_SHARING, ("other",),
          "Arrived late most mornings this half term; mother has since explained a change of shifts.",
          (("raise", 0), ("decide", 15)), outcome=Outcome.NO_FURTHER_ACTION),
    Story("gp", ConcernKind.MULTI_AGENCY_REFERRAL, ("parental_substance_misuse",),
          "Father disclosed drinking heavily most evenings since losing his job; children at home.",
          (("raise", 1), ("decide", 12)), outcome=Outcome.INFORMATION_ADVICE_ASSISTANCE),
    Story("health.visitor", ConcernKind.MULTI_AGENCY_REFERRAL, ("young_carer",),
          "Ten-year-old is caring for her mother, who has multiple sclerosis, and missing school to do so.",
          (("raise", 0), ("screen", 0), ("decide", 9)), outcome=Outcome.EARLY_HELP),
    Story("police.officer", ConcernKind.POLICE_PROTECTION_NOTICE, ("domestic_abuse",),
          "Third domestic incident at the address this year; the children were in the house each time.",
          (("raise", 0), ("screen", 0), ("decide", 7)), outcome=Outcome.CARE_AND_SUPPORT_ASSESSMENT),
    Story("school.lead", ConcernKind.DUTY_TO_REPORT, ("sexual_abuse",),
          "Disclosed to a teaching assistant that an adult visitor to the home touched her.",
          (("raise", 0), ("decide", 6)), outcome=Outcome.STRATEGY_DISCUSSION,
          child_words="He said it was our secret."),
    Story("police.officer", ConcernKind.POLICE_PROTECTION_NOTICE, ("physical_abuse",),
          "Child found alone at home at night with injuries; parents could not be found.",
          (("raise", 0), ("decide", 5)), outcome=Outcome.IMMEDIATE_PROTECTION, immediate_risk=True),
    Story("health.visitor", ConcernKind.INFORMATION_SHARING, ("other",),
          "Family moved out of the area last month; the new address is in another authority.",
          (("raise", 2), ("decide", 4)), outcome=Outcome.PASSED_ON),
    # On the register, decided below the statutory level with a reason (the decision page's checks).
    Story("gp", ConcernKind.INFORMATION_SHARING, ("parental_mental_health",),
          "Mother missed her own psychiatry appointment; she says she is taking her medication.",
          (("raise", 0), ("decide", 3)), outcome=Outcome.INFORMATION_ADVICE_ASSISTANCE, on_register=True),
    # Challenged: a challenge still open, and one answered (upheld, and the decision revised).
    Story("health.visitor", ConcernKind.MULTI_AGENCY_REFERRAL, ("neglect",),
          "Weight has dropped from the 50th to the 9th centile over three months; feeding advice not followed.",
          (("raise", 0), ("decide", 1), ("challenge", 1)), outcome=Outcome.NO_FURTHER_ACTION),
    Story("school.lead", ConcernKind.MULTI_AGENCY_REFERRAL, ("criminal_exploitation",),
          "Seen getting into cars with older young men after school; new phone and expensive trainers.",
          (("raise", 0), ("decide", 2), ("challenge", 1), ("uphold", 1)),
          outcome=Outcome.INFORMATION_ADVICE_ASSISTANCE),
)  # fmt: skip


@dataclass
class _Work:
    """The demo users and the children the stories are told about, found once."""

    users: dict[str, Practitioner]
    today: datetime.date  # the region's reference date: children's ages are counted on it
    used: set[int] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)


def _user(work: _Work, username: str) -> Practitioner:
    return work.users[username]


def _agency_of(user: Practitioner) -> Agency:
    if user.agency is None:
        raise LookupError(f"The demo sign-in {user.username} has no agency.")
    return user.agency


def _years_before(day: datetime.date, years: int) -> datetime.date:
    return datetime.date(day.year - years, day.month, min(day.day, 28))


def _age_band(today: datetime.date, *, youngest: int, oldest: int) -> Q:
    """People aged `youngest` to `oldest` on `today` (to within a few days: the demo needs no more)."""
    return Q(date_of_birth__gt=_years_before(today, oldest + 1), date_of_birth__lte=_years_before(today, youngest))


def _child_for(work: _Work, story: Story) -> Person:
    """A child the referrer's agency works with now (so the referrer may see and challenge), not used before;
    on the register if the story needs it."""
    referrer = _user(work, story.referrer)
    current = Q(end_date__isnull=True) | Q(end_date__gte=work.today)
    children = Person.objects.filter(
        _age_band(work.today, youngest=0, oldest=16),
        merged_into__isnull=True,
        is_unborn=False,
        date_of_death__isnull=True,
        destroyed_at__isnull=True,
        household_memberships__end_date__isnull=True,
    ).exclude(pk__in=work.used)
    if story.on_register:  # put on the register below, so none already on it
        children = children.exclude(
            statuses__kind=StatusKind.CHILD_PROTECTION_REGISTER, statuses__end_date__isnull=True
        )
    involved = Involvement.objects.filter(current, agency=_agency_of(referrer)).values("person_id")
    child = children.filter(pk__in=involved).order_by("pk").first() or children.order_by("pk").first()
    if child is None:
        raise LookupError(f"The demo region has no child left for the story {story.what_happened[:40]!r}.")
    work.used.add(child.pk)
    return child


def _adult_at_home(child: Person, today: datetime.date) -> Person | None:
    homes = HouseholdMembership.objects.filter(person=child, end_date__isnull=True).values("household_id")
    return (
        Person.objects.filter(
            _age_band(today, youngest=18, oldest=70),
            household_memberships__household_id__in=homes,
            household_memberships__end_date__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def _postcode(person: Person) -> str:
    home = HouseholdMembership.objects.filter(person=person, end_date__isnull=True).select_related("household")
    membership = home.order_by("-start_date").first()
    return membership.household.postcode if membership else ""


def _described(child: Person, *, today: datetime.date) -> list[SubjectInput]:
    """The child as the referrer knows them, and the adult at home named without a date of birth (linked among
    the child's household, as a practitioner's concern would be)."""
    subjects = [
        SubjectInput(
            role=SubjectRole.CHILD,
            given_name=child.given_name,
            family_name=child.family_name,
            date_of_birth=child.date_of_birth,
            sex=child.sex,
            nhs_number=child.nhs_number,
            postcode=_postcode(child),
        )
    ]
    adult = _adult_at_home(child, today)
    if adult is not None:
        subjects.append(
            SubjectInput(
                role=SubjectRole.HOUSEHOLD_MEMBER,
                given_name=adult.given_name,
                family_name=adult.family_name,
                sex=adult.sex,
                relationship="Parent or carer",
            )
        )
    return subjects


def _raise(work: _Work, story: Story, subjects: list[SubjectInput], *, happened_on: datetime.date) -> Concern:
    data = ConcernInput(
        kind=story.kind,
        categories=story.categories,
        what_happened=story.what_happened,
        happened_on=happened_on,
        how_known="Seen and heard directly by the referrer.",
        child_words=story.child_words,
        family_aware=FamilyAware.NO if story.immediate_risk else FamilyAware.YES,
        family_not_aware_reason="Telling the family could put the child at greater risk."
        if story.immediate_risk
        else "",
        immediate_risk=story.immediate_risk,
        immediate_risk_details="The child is at home with the adult involved tonight." if story.immediate_risk else "",
        subjects=tuple(subjects),
        referrer_phone="01633 000000",
    )
    return concern_submit(submitter=_user(work, story.referrer), data=data).concern


def _step(work: _Work, story: Story, concern: Concern, step: str) -> None:
    front_door = _user(work, FRONT_DOOR)
    if step == "screen":
        concern_screening_start(concern=concern, user=front_door)
        screening_note_add(
            concern=concern, author=front_door, text="Checked the chronology and the household; asked for more."
        )
    elif step == "ask":
        information_request_create(
            concern=concern,
            agency=_agency_of(_user(work, story.asked)),
            question="What contact have you had with the child and family in the last three months?",
            due_on=timezone.localdate(),
            requested_by=front_door,
        )
        work.counts["information requests"] += 1
    elif step == "answer":
        for request in concern.information_requests.filter(responded_at__isnull=True):
            information_request_respond(
                request=request,
                response="Two call-outs to the address this year; no arrests. Neighbours reported shouting.",
                user=_user(work, story.asked),
            )
            work.counts["information requests answered"] += 1
    elif step == "decide":
        checked = bool(decision_checks(concern=concern))
        decision_record(
            concern=concern,
            user=front_door,
            outcome=story.outcome,
            rationale="Weighed what the referrer and the agencies involved know against the threshold.",
            below_statutory_reason="The plan's core group already covers this; the lead practitioner is told."
            if checked
            else "",
        )
    elif step == "challenge":
        challenge_raise(
            concern=concern,
            user=_user(work, story.referrer),
            grounds="The decision does not weigh how long this has been going on; I think it needs assessment.",
        )
        work.counts["professional challenges"] += 1
    elif step == "uphold":
        challenge = concern.challenges.get(status=ChallengeStatus.OPEN)
        challenge_resolve(
            challenge=challenge,
            manager=_user(work, MANAGER),
            status=ChallengeStatus.UPHELD,
            resolution="Agreed: the pattern over the term meets the threshold for an assessment.",
        )
        decision_record(
            concern=concern,
            user=_user(work, MANAGER),
            outcome=Outcome.CARE_AND_SUPPORT_ASSESSMENT,
            rationale="Revised after the school's challenge: the pattern meets the threshold for an assessment.",
            revision_reason="Professional challenge upheld by the team manager.",
        )
    else:
        raise ValueError(step)


def _earlier(moment: datetime.datetime | None, days: datetime.timedelta) -> datetime.datetime | None:
    return None if moment is None else moment - days


def _move_back(concern: Concern, working_days: int) -> None:
    """Everything that has happened to the concern so far happened `working_days` working days earlier; its
    timescales are worked out again from the new time it arrived. Timestamps only: no fact about it changes."""
    if working_days == 0:
        return
    concern.refresh_from_db()
    local = timezone.localtime(concern.received_at)
    day = local.date()
    for _ in range(working_days):
        day -= datetime.timedelta(days=1)
        while not is_working_day(day):
            day -= datetime.timedelta(days=1)
    shift = local.date() - day
    received = concern.received_at - shift
    Concern.objects.filter(pk=concern.pk).update(
        received_at=received,
        screening_started_at=_earlier(concern.screening_started_at, shift),
        decided_at=_earlier(concern.decided_at, shift),
        feedback_sent_at=_earlier(concern.feedback_sent_at, shift),
        decision_due_at=working_deadline(received, 1),
        feedback_due_on=add_working_days(timezone.localtime(received).date(), 7),
        happened_on=concern.happened_on - shift if concern.happened_on else None,
    )
    for decision in ThresholdDecision.objects.filter(concern=concern):
        ThresholdDecision.objects.filter(pk=decision.pk).update(decided_at=decision.decided_at - shift)
    for note in ScreeningNote.objects.filter(concern=concern):
        ScreeningNote.objects.filter(pk=note.pk).update(created_at=note.created_at - shift)
    for request in InformationRequest.objects.filter(concern=concern):
        InformationRequest.objects.filter(pk=request.pk).update(
            requested_at=request.requested_at - shift,
            responded_at=_earlier(request.responded_at, shift),
            due_on=request.due_on - shift,
        )
    for challenge in Challenge.objects.filter(concern=concern):
        raised = challenge.raised_at - shift
        Challenge.objects.filter(pk=challenge.pk).update(
            raised_at=raised,
            due_at=working_deadline(raised, 5),
            resolved_at=_earlier(challenge.resolved_at, shift),
        )
    for event in ChronologyEvent.objects.filter(details__concern=concern.reference):
        ChronologyEvent.objects.filter(pk=event.pk).update(
            occurred_at=event.occurred_at - shift, recorded_at=event.recorded_at - shift
        )


def _register(work: _Work, child: Person) -> None:
    """Children's services placed the child on the register (neglect) three months ago, as the lead practitioner
    records it on the web: the decision page then has its check to show."""
    lead = _user(work, LEAD_PRACTITIONER)
    agency = _agency_of(lead)
    statutory_status_start(
        person=child,
        kind=StatusKind.CHILD_PROTECTION_REGISTER,
        category=RegisterCategory.NEGLECT,
        local_authority=agency.local_authority,
        start_date=timezone.localdate() - datetime.timedelta(days=90),
        agency=agency,
        recorded_by=lead,
    )


def _tell(work: _Work, story: Story) -> None:
    child = _child_for(work, story)
    if story.on_register:
        _register(work, child)
    concern: Concern | None = None
    for step, days in story.steps:
        if step == "raise":
            concern = _raise(work, story, _described(child, today=work.today), happened_on=timezone.localdate())
            work.counts["concerns"] += 1
        else:
            assert concern is not None  # noqa: S101 - every story raises its concern first
            _step(work, story, concern, step)
        assert concern is not None  # noqa: S101 - as above
        _move_back(concern, days)


def _possible_matches(work: _Work) -> None:
    """Two children named in concerns with a date of birth a year out from a child the region holds: each goes
    to the match-review queue; the front-door manager decides one is the same child (a merge)."""
    story = Story(
        "health.visitor",
        ConcernKind.INFORMATION_SHARING,
        ("other",),
        "Registered with the clinic as new to the area; the parent says they have not had a health visitor before.",
        (("raise", 1),),
    )
    for merge in (True, False):
        child = _child_for(work, story)
        assert child.date_of_birth is not None  # noqa: S101 - _child_for picks children with a birth date
        born = child.date_of_birth
        subject = SubjectInput(
            role=SubjectRole.CHILD,
            given_name=child.given_name,
            family_name=child.family_name,
            date_of_birth=born.replace(year=born.year - 1) if (born.month, born.day) != (2, 29) else born,
            sex=child.sex,
            postcode=_postcode(child),
        )
        concern = _raise(work, story, [subject], happened_on=timezone.localdate())
        work.counts["concerns"] += 1
        _move_back(concern, 1)
        provisional = concern.subjects.get().person
        reviews = MatchReview.objects.filter(person=provisional, candidate=child, status=ReviewStatus.PENDING)
        work.counts["match reviews"] += reviews.count()
        if merge and reviews.exists():
            match_review_accept(
                review=reviews.get(),
                decided_by=_user(work, MANAGER),
                reason="Same name, address and parents; the clinic recorded the year of birth wrongly.",
            )
            work.counts["merges"] += 1


def _record_access(work: _Work) -> None:
    """A break-glass use by the police officer and requests from the school to see records it cannot: one
    waiting for a decision, one approved; information governance has reviewed one use and has the rest to do."""
    police, school = _user(work, "police.officer"), _user(work, "school.lead")
    front_door, governance = _user(work, FRONT_DOOR), _user(work, INFORMATION_GOVERNANCE)
    strangers = (
        Person.objects.filter(
            _age_band(work.today, youngest=2, oldest=16), merged_into__isnull=True, destroyed_at__isnull=True
        )
        .exclude(involvements__agency_id__in=[police.agency_id, school.agency_id])
        .exclude(pk__in=work.used)
        .order_by("-pk")
    )
    people = list(strangers[:4])
    work.used.update(p.pk for p in people)
    first = break_glass(
        user=police, person=people[0], reason="Child found at an address during a night-time raid; checking for risk."
    )
    break_glass(
        user=police, person=people[1], reason="Missing child report out of hours; need the household and contacts."
    )
    work.counts["break-glass uses"] += 2
    access_request_create(
        user=school, person=people[2], reason="New pupil starting Monday; previous school mentioned concerns."
    )
    approved = access_request_create(
        user=school, person=people[3], reason="Sibling of a pupil on our roll is joining; we need to plan support."
    )
    access_request_decide(grant=approved, decided_by=front_door, approve=True, reason="Sibling at the same school.")
    work.counts["access requests"] += 2
    grant_review_record(
        grant=first,
        reviewer=governance,
        outcome=ReviewOutcome.APPROPRIATE,
        note="Out-of-hours emergency; reason recorded at once and the record closed after.",
    )


@transaction.atomic
def demo_load(*, reference_date: datetime.date) -> dict[str, int]:
    """Plant the front door's work in the loaded demo region (see the module docstring); says how much of each."""
    names = [*REFERRERS, FRONT_DOOR, MANAGER, INFORMATION_GOVERNANCE, LEAD_PRACTITIONER]
    users = {u.username: u for u in Practitioner.objects.filter(username__in=names).select_related("agency")}
    work = _Work(users=users, today=reference_date)
    for story in STORIES:
        _tell(work, story)
    _possible_matches(work)
    _record_access(work)
    swept = timescale_sweep()
    work.counts["concerns escalated"] += swept.escalated
    return dict(work.counts)
