"""The 12Cs in the demo region: three years of the board's self-assessment, so the trend means something.

Two past region-wide cycles (the years ending one and two years before the reference date) are signed off by the
board officer: all twelve Cs scored on both scales (scores that move between the years, some up, some down), with
evidence, accountable leads, stakeholders, review points, the partner agencies' contributions (and the moderation
note wherever the agreed score departs from them), every partner's assurance return submitted, and action plans
delivered since (most actions completed, a few still going). Each of the region's local authorities has a signed-off
cycle for last year too, so the comparison across partnerships has something to compare.

This year's cycle is open and shows every state a newcomer meets: Cs moderated and scored, Cs with only the
agencies' contributions, Cs nobody has touched; returns submitted, in draft and not started, the unsubmitted ones
past their due date; actions not started, in progress, completed and overdue; local prompts and review points. The
health visitor's agency (a demo sign-in) is a partner: it has contributed, its return is a late draft and the health
visitor owns an action, so signing in as them shows an agency's part.

Everything goes through the services, so the demo obeys their rules and writes the revision history; the services
stamp "now", and each step is then moved back to when, in the story, it happened (`_Story.then`), dates only.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.utils import timezone

from cylch.accounts.models import Agency, AgencyKind, LocalAuthority, Practitioner, Region, RoleCode
from cylch.assurance.facts import facts_freeze
from cylch.assurance.models import (
    ActionStatus,
    Assessment,
    AssuranceReturn,
    Component,
    Cycle,
    ImprovementAction,
    PartnershipLevel,
    Revision,
    Timeframe,
    TrainingLevel,
)
from cylch.assurance.permissions import contributors
from cylch.assurance.selectors.cycles import SUBJECT_MODELS
from cylch.assurance.services.actions import action_add, action_progress
from cylch.assurance.services.cycles import (
    assessment_update,
    attachment_upload,
    contribution_save,
    cycle_open,
    cycle_sign_off,
    local_prompt_add,
    review_point_add,
    stakeholder_set,
)
from cylch.assurance.services.returns import return_create, return_submit, return_update

SEED = 1212
BOARD = "board.officer"
# The demo sign-ins of partner agencies (cylch.synthetic.services.DEMO_SIGN_INS): each writes its own agency's part.
PARTNER = "health.visitor"  # contributes, has a late draft return and owns an action in progress
POLICE = "police.officer"  # a submitted return and an overdue action
SIGN_INS = (PARTNER, POLICE, "school.lead", "gp")
# The region's partnership: the councils' children's services, the region-wide services and the health board's
# hospitals and midwifery (and the demo sign-ins' own agencies, so each of them has a part).
PARTNER_KINDS = (
    AgencyKind.CHILDRENS_SERVICES,
    AgencyKind.POLICE,
    AgencyKind.CAMHS,
    AgencyKind.HOSPITAL,
    AgencyKind.MIDWIFERY,
    AgencyKind.THIRD_SECTOR,
)
# A local authority's partnership: its own services and the region's police.
AUTHORITY_KINDS = (
    AgencyKind.CHILDRENS_SERVICES,
    AgencyKind.HEALTH_VISITING,
    AgencyKind.EDUCATION_WELFARE,
    AgencyKind.HOUSING,
    AgencyKind.POLICE,
)

# What `cylch demo` prints, in this order.
COUNTS = (
    "12Cs cycles",
    "12Cs: agreed assessments",
    "12Cs: agency contributions",
    "12Cs: assurance returns",
    "12Cs: improvement actions",
    "12Cs: review points",
    "12Cs: local prompts",
    "12Cs: evidence files",
    "12Cs: measured facts frozen",
)

Scores = tuple[int, int]  # (Care Inspectorate Wales, 12Cs progress)


@dataclass(frozen=True)
class Part:
    """What the demo says about one C: its scores two years ago, last year and (if moderated yet) this year."""

    scores: tuple[Scores, Scores, Scores | None]
    evidence: str
    contribution: str
    moderation: str
    lead: str  # the accountable lead's agency kind ("" for the board officer)
    timeframe: Timeframe
    stakeholder: tuple[str, str]  # agency kind, its part
    action: tuple[str, str]  # owning agency kind, what is to be done
    review: str
    contributed_this_year: bool  # the agencies have contributed in the open cycle (moderated ones too)


CS, POL, HV = AgencyKind.CHILDRENS_SERVICES, AgencyKind.POLICE, AgencyKind.HEALTH_VISITING
PARTS: dict[str, Part] = {
    Component.C1: Part(
        ((3, 3), (4, 4), (4, 5)),
        "The Wales Safeguarding Procedures and the regional threshold guide are on every partner's intranet; a spot "
        "check of 40 practitioners found 34 who could say where to take a concern and what happens next.",
        "Our induction covers the Wales Safeguarding Procedures and the route to the front door; staff we asked knew "
        "both.",
        "The spot check carried more weight than the agencies' own view: six practitioners in forty could not name "
        "the route to the front door.",
        CS,
        Timeframe.OPERATIONAL,
        (CS, "Owns the threshold guide and the front door's advice line"),
        (CS, "Publish a one-page threshold guide for all partners and test its use in the next multi-agency audit."),
        "Check the threshold guide is used: ten referrals sampled",
        True,
    ),
    Component.C2: Part(
        ((3, 2), (3, 3), None),
        "Practitioners say they feel able to raise a concern; fewer feel able to challenge another agency's decision.",
        "Our practitioners raise concerns readily; supervision records show they discuss challenging decisions.",
        "Agreed at the middle of the proposals: confidence to raise a concern is high, confidence to challenge is not.",
        POL,
        Timeframe.SILVER,
        (POL, "Leads the confidence-to-challenge workshops"),
        (POL, "Run confidence-to-challenge workshops for designated leads in schools and GP practices."),
        "Survey of practitioners' confidence repeated",
        True,
    ),
    Component.C3: Part(
        ((4, 4), (3, 4), (4, 4)),
        "Safeguarding training compliance from the assurance returns: group A above target everywhere, group C below "
        "target in health visiting and school nursing after a year of vacancies.",
        "Group A and B training is above target; group C fell behind while posts were vacant and is recovering.",
        "The returns show group C training below target in two agencies, which holds the agreed score below some "
        "proposals.",
        AgencyKind.HOSPITAL,
        Timeframe.OPERATIONAL,
        (HV, "Brings group C training back to target"),
        (HV, "Bring group C safeguarding training to 90% for health visitors, with protected time to attend."),
        "Group C compliance reported to the board",
        True,
    ),
    Component.C4: Part(
        ((3, 3), (2, 3), (2, 2)),
        "The front door carried two vacant social worker posts for most of the year; the queue of concerns waiting "
        "for a decision grew, and information requests were answered late more often.",
        "We have kept our own safeguarding posts filled, but our referrals wait longer at the front door than before.",
        "The measured facts (queue age, late information requests) show capacity falling, whatever each agency's own "
        "staffing.",
        CS,
        Timeframe.BRONZE,
        (CS, "Recruits to the front door's vacant posts"),
        (CS, "Fill the front door's vacant social worker posts and report the queue to the board every month."),
        "Front door queue and vacancies reviewed",
        True,
    ),
    Component.C5: Part(
        ((2, 2), (3, 3), None),
        "The regional strategy and the agencies' operational plans now share the same three priorities.",
        "Our operational plan adopts the board's priorities; the link is not yet visible in team objectives.",
        "Agreed below the highest proposal: the priorities are shared on paper but not yet in teams' objectives.",
        CS,
        Timeframe.STRATEGIC,
        (POL, "Aligns the force's safeguarding plan to the board's priorities"),
        (POL, "Merge the police and children's services strategy discussion protocols into one regional protocol."),
        "One regional strategy discussion protocol agreed",
        True,
    ),
    Component.C6: Part(
        ((4, 4), (4, 5), None),
        "Police, children's services and health share the front door's office three days a week.",
        "Our officers sit in the front door three days a week.",
        "Agreed after hearing each agency: co-location works where it exists but health is present only part-time.",
        POL,
        Timeframe.GOLD,
        (HV, "Places a health visitor in the front door"),
        (HV, "Place a health visitor in the front door two days a week."),
        "Health presence in the front door reviewed",
        False,
    ),
    Component.C7: Part(
        ((3, 3), (3, 4), None),
        "The escalation policy was used 11 times; in 4 cases the decision changed. Partners report a culture where "
        "challenge is welcomed but not always answered in writing.",
        "We used the escalation policy three times this year and had an answer each time.",
        "Agreed on the evidence of the challenges log rather than the agencies' own experience of it.",
        AgencyKind.THIRD_SECTOR,
        Timeframe.SILVER,
        (AgencyKind.THIRD_SECTOR, "Brings families' experience of challenge to the board"),
        (CS, "Publicise the escalation policy and audit its use twice a year."),
        "Escalation log audited",
        True,
    ),
    Component.C8: Part(
        ((3, 3), (4, 4), None),
        "Referral routes between CAMHS, early help and the front door are agreed; waiting times remain the gap.",
        "Our referrals to CAMHS now get an answer within four weeks; referrals back to early help are slower.",
        "Agreed on the joint pathway audit, which found handovers slower than the agencies reported.",
        AgencyKind.CAMHS,
        Timeframe.OPERATIONAL,
        (AgencyKind.CAMHS, "Owns the CAMHS to early help pathway"),
        (
            AgencyKind.CAMHS,
            "Agree a single referral route from CAMHS to early help, with a named contact in each team.",
        ),
        "Pathway handover times sampled",
        True,
    ),
    Component.C9: Part(
        ((3, 3), (2, 2), None),
        "Turnover in safeguarding roles rose to one in six; three families had three social workers in a year.",
        "Our turnover in safeguarding roles was higher than last year.",
        "Agreed lower than most proposals: turnover across the partnership is worse than any one agency sees.",
        CS,
        Timeframe.STRATEGIC,
        (CS, "Leads the regional workforce plan"),
        (CS, "Introduce a handover standard for children moving between teams or workers."),
        "Turnover and handovers reviewed from the returns",
        False,
    ),
    Component.C10: Part(
        ((2, 1), (3, 3), (4, 4)),
        "Concerns from every partner now arrive on the platform; decisions within one working day and feedback to "
        "referrers within seven are measured, not estimated.",
        "We send every concern through the platform and see the outcome there.",
        "Agreed higher than some proposals: the platform's own figures show concerns decided and referrers told in "
        "time.",
        "",
        Timeframe.GOLD,
        (POL, "Sends public protection notices through the platform"),
        (POL, "Send every public protection notice through the platform and stop emailed referrals."),
        "Share of concerns arriving by email checked",
        True,
    ),
    Component.C11: Part(
        ((4, 3), (4, 4), None),
        "The board's sub-groups met as planned; conference minutes reach agencies within the regional timescale "
        "in most cases.",
        "We attend every conference we are invited to and receive the minutes, usually within a week.",
        "Agreed on the meetings' own timeliness figures, which are lower than the agencies' impression.",
        POL,
        Timeframe.BRONZE,
        (CS, "Chairs the practice review sub-group"),
        (CS, "Review the terms of reference of the regional practice review sub-group."),
        "Sub-group terms of reference reviewed",
        True,
    ),
    Component.C12: Part(
        ((5, 4), (4, 4), None),
        "Partners kept the annual learning event going and piloted a families' panel; the panel paused when its "
        "coordinator left.",
        "We shared two practice examples at the regional learning event.",
        "Agreed lower than the highest proposal because the families' panel paused.",
        "",
        Timeframe.STRATEGIC,
        (AgencyKind.THIRD_SECTOR, "Runs the families' panel"),
        (AgencyKind.THIRD_SECTOR, "Restart the families' panel with a paid coordinator."),
        "Families' panel restarted",
        False,
    ),
}
# What other agencies say about each C (each contribution picks one of these or the C's own `contribution`).
MORE_CONTRIBUTIONS: dict[str, tuple[str, str]] = {
    Component.C1: (
        "Every new starter reads the threshold guide in their first week; some staff could not find it when asked.",
        "Our safeguarding lead briefs each team on the procedures twice a year; referrals reach the right door.",
    ),
    Component.C2: (
        "Staff would raise a concern without hesitation; few have challenged a decision they disagreed with.",
        "Our staff survey: 81% confident to raise a concern, 46% confident to challenge another agency's decision.",
    ),
    Component.C3: (
        "All our designated leads hold group D training; group C refreshers are overdue for a fifth of the team.",
        "Training is on target for groups A and B; group C places are booked for every new starter.",
    ),
    Component.C4: (
        "Two of our safeguarding posts were vacant for six months; caseloads rose by a third while they were.",
        "Our staffing is stable, but the front door's information requests come with shorter deadlines than before.",
    ),
    Component.C5: (
        "Our safeguarding plan names the board's three priorities; our budget does not yet follow them.",
        "The board's priorities are in our business plan; teams have not yet been told what changes for them.",
    ),
    Component.C6: (
        "We join the daily front door meeting by video; being in the room would be better.",
        "A named worker from our service sits with the front door one day a week.",
    ),
    Component.C7: (
        "Our staff used the escalation policy twice; one challenge waited five weeks for a written answer.",
        "Practitioners know the escalation policy exists; few of ours have read it.",
    ),
    Component.C8: (
        "Families tell us they repeat their story to each service; the pathway has not changed that yet.",
        "Joint visits with children's services have become routine for the families we share.",
    ),
    Component.C9: (
        "Three of our designated leads left this year; each handover lost some of what they knew.",
        "Our safeguarding team is stable; the families we work with saw new social workers more often.",
    ),
    Component.C10: (
        "Most of our concerns go through the platform; out of hours some still go by phone and email.",
        "We now see the outcome of our referrals without chasing, usually within a week.",
    ),
    Component.C11: (
        "We are invited to core groups late, sometimes the day before; minutes usually follow in time.",
        "Our representative attends the board's sub-groups; what is decided there rarely reaches our teams.",
    ),
    Component.C12: (
        "Our staff attended the learning event; we have not yet changed practice because of it.",
        "We took part in the families' panel pilot and would host its meetings again.",
    ),
}
LOCAL_PROMPTS = (
    (
        Component.C7,
        "How often did practitioners use the escalation policy, and what changed as a result?",
        "Pa mor aml y defnyddiodd ymarferwyr y polisi uwchgyfeirio, a beth newidiodd o ganlyniad?",
    ),
    (
        Component.C10,
        "Does every partner agency send its concerns through the platform rather than by email?",
        "A yw pob asiantaeth bartner yn anfon ei phryderon drwy'r platfform yn hytrach na drwy e-bost?",
    ),
)
TRAINING_TARGETS = {
    TrainingLevel.GROUP_A: Decimal("95.0"),
    TrainingLevel.GROUP_B: Decimal("90.0"),
    TrainingLevel.GROUP_C: Decimal("85.0"),
    TrainingLevel.GROUP_D: Decimal("100.0"),
}
COMPLETED = "Done: the evidence went to the board's quality assurance sub-group, which closed the action."
POSTS: dict[str, int] = {CS: 55, POL: 30, AgencyKind.HOSPITAL: 24}  # safeguarding posts, about
GAPS = (
    "",
    "Two designated lead posts covered by acting staff.",
    "Group C training places are booked months ahead.",
    "Supervision slipped while the team manager post was vacant.",
)


def _month_start(day: datetime.date, months_back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_end(day: datetime.date) -> datetime.date:
    return _month_start(day, -1) - datetime.timedelta(days=1)


def _weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(_weekday(day), datetime.time(hour)))


def _title(region: str, start: datetime.date, end: datetime.date) -> str:
    years = str(end.year) if start.year == end.year else f"{start.year}–{end.year % 100:02d}"
    return f"{region} 12Cs self-assessment {years}"


def _clamp(score: int) -> int:
    return min(6, max(1, score))


class _Story:
    """The board's years of self-assessment, told through the services and then dated."""

    def __init__(self, board: Practitioner, region: Region, today: datetime.date) -> None:
        self.board, self.region, self.today = board, region, today
        self.rng = random.Random(SEED)  # noqa: S311 - synthetic data, the same on every machine, not a secret
        self.counts: Counter[str] = Counter()
        # The last revision already dated: every later one is the last step's, still to be dated.
        self.dated = Revision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.sign_ins = {
            user.agency_id: user
            for user in Practitioner.objects.filter(username__in=SIGN_INS, is_active=True, agency__isnull=False)
        }
        self.staff: dict[int, Practitioner | None] = {}
        self.seniors: dict[int, Practitioner | None] = {}

    # --- who ---------------------------------------------------------------------------------------------------

    def someone(self, agency: Agency) -> Practitioner | None:
        """Who writes an agency's part: its demo sign-in if it has one, else its first practitioner with a
        contributing role (`permissions.contributors`: not a front-door worker, nor the board officer)."""
        if agency.pk not in self.staff:
            self.staff[agency.pk] = self.sign_ins.get(agency.pk) or (
                Practitioner.objects.filter(contributors(agency)).distinct().order_by("pk").first()
            )
        return self.staff[agency.pk]

    def of_kind(self, partners: list[Agency], kind: str) -> Agency:
        """The first partner of that kind (the demo sign-ins' own agencies first), else children's services."""
        for agency in partners:
            if agency.kind == kind and agency.pk in self.sign_ins:
                return agency
        found = next((agency for agency in partners if agency.kind == kind), None)
        return found or next((agency for agency in partners if agency.kind == CS), partners[0])

    def lead(self, partners: list[Agency], kind: str) -> Practitioner:
        if not kind:
            return self.board
        agency = self.of_kind(partners, kind)
        return self.senior(agency) or self.board

    def senior(self, agency: Agency) -> Practitioner | None:
        """An agency's first generated practitioner (a team's first member leads it), not a demo sign-in."""
        if agency.pk not in self.seniors:
            self.seniors[agency.pk] = (
                Practitioner.objects.filter(agency=agency, is_active=True, username__startswith="synth")
                .order_by("pk")
                .first()
            )
        return self.seniors[agency.pk]

    # --- when --------------------------------------------------------------------------------------------------

    def then(self, moment: datetime.datetime, record: models.Model | None = None, *fields: str, **values: Any) -> None:
        """What the last service call stamped "now" happened at `moment`: its revisions, the named fields (set to
        `moment`) and `values`, on the record and in its revisions' snapshots, so the history tells the story's
        dates in the story's order."""
        stamps: dict[str, Any] = dict.fromkeys(fields, moment) | values
        if record is not None and stamps:
            type(record)._default_manager.filter(pk=record.pk).update(**stamps)
        for revision in Revision.objects.filter(pk__gt=self.dated).order_by("pk"):
            revision.changed_at = moment
            if record is not None and (SUBJECT_MODELS.get(revision.subject), revision.subject_id) == (
                type(record),
                record.pk,
            ):
                revision.snapshot |= {
                    name: value.isoformat() for name, value in stamps.items() if name in revision.snapshot
                }
            revision.save(update_fields=["changed_at", "snapshot"])
            self.dated = revision.pk

    def between(self, first: datetime.date, last: datetime.date) -> datetime.datetime:
        days = max((last - first).days, 0)
        return _at(first + datetime.timedelta(days=self.rng.randint(0, days)), self.rng.randint(9, 16))

    # --- a cycle -----------------------------------------------------------------------------------------------

    def open(
        self,
        *,
        start: datetime.date,
        end: datetime.date,
        due: datetime.date,
        opened: datetime.datetime,
        partners: list[Agency],
        authority: LocalAuthority | None = None,
    ) -> Cycle:
        name = authority.name if authority is not None else self.region.name
        cycle = cycle_open(
            user=self.board,
            level=PartnershipLevel.LOCAL_AUTHORITY if authority is not None else PartnershipLevel.REGION,
            local_authority=authority,
            title=_title(name, start, end),
            period_start=start,
            period_end=end,
            contributions_due=due,
            partner_agencies=partners,
        )
        self.then(opened, cycle, "opened_at")
        self.counts["12Cs cycles"] += 1
        return cycle

    def prompts(self, cycle: Cycle, when: datetime.datetime, how_many: int) -> None:
        for component, text, text_cy in LOCAL_PROMPTS[:how_many]:
            prompt = local_prompt_add(user=self.board, cycle=cycle, component=component, text=text, text_cy=text_cy)
            self.then(when, prompt, "added_at")
            self.counts["12Cs: local prompts"] += 1

    def contribute(
        self,
        cycle: Cycle,
        component: str,
        agencies: list[Agency],
        agreed: Scores,
        first: datetime.date,
        last: datetime.date,
    ) -> bool:
        """Each agency proposes scores near what the board will agree; True when any proposal differs from it."""
        differs = False
        for agency in agencies:
            author = self.someone(agency)
            if author is None:
                continue
            proposed = tuple(_clamp(score + self.rng.choice((-1, 0, 0, 1))) for score in agreed)
            differs = differs or proposed != agreed
            contribution = contribution_save(
                user=author,
                cycle=cycle,
                component=component,
                evidence=self.rng.choice((PARTS[component].contribution, *MORE_CONTRIBUTIONS[component])),
                proposed_ciw_score=proposed[0],
                proposed_progress_score=proposed[1],
            )
            self.then(self.between(first, last), contribution, "updated_at")
            self.counts["12Cs: agency contributions"] += 1
        return differs

    def moderate(
        self,
        cycle: Cycle,
        component: str,
        scores: Scores,
        partners: list[Agency],
        when: datetime.datetime,
        *,
        differs: bool,
    ) -> Assessment:
        part = PARTS[component]
        assessment = assessment_update(
            user=self.board,
            assessment=cycle.assessments.get(component=component),
            ciw_score=scores[0],
            progress_score=scores[1],
            evidence=part.evidence,
            moderation_note=part.moderation if differs else "",
            accountable_lead=self.lead(partners, part.lead),
            timeframe=part.timeframe,
        )
        self.then(when, assessment, "updated_at")
        self.counts["12Cs: agreed assessments"] += 1
        kind, role = part.stakeholder
        stakeholder_set(user=self.board, assessment=assessment, agency=self.of_kind(partners, kind), role=role)
        self.then(when)
        return assessment

    def review_point(self, assessment: Assessment, due: datetime.date, when: datetime.datetime) -> None:
        review_point_add(
            user=self.board, assessment=assessment, due_on=due, description=PARTS[assessment.component].review
        )
        self.then(when)
        self.counts["12Cs: review points"] += 1

    def act(
        self,
        assessment: Assessment,
        owner: Practitioner | None,
        description: str,
        due: datetime.date,
        when: datetime.datetime,
    ) -> ImprovementAction | None:
        if owner is None or owner.agency is None:
            return None
        action = action_add(
            assessment=assessment,
            user=self.board,
            description=description,
            owner_agency=owner.agency,
            owner=owner,
            due_on=due,
        )
        self.then(when, action, "updated_at")
        self.counts["12Cs: improvement actions"] += 1
        return action

    def progress(self, action: ImprovementAction, status: str, day: datetime.date) -> None:
        """The owner records progress on `day` (completed ones with their evidence)."""
        done = status == ActionStatus.COMPLETED
        action = action_progress(
            action=action,
            user=action.owner,
            status=status,
            evidence_of_completion=COMPLETED if done else "",
        )
        self.then(_at(day, 15), action, "updated_at", **({"completed_on": _weekday(day)} if done else {}))

    def file_return(
        self,
        cycle: Cycle,
        agency: Agency,
        year: int,
        *,
        started: datetime.datetime,
        submitted: datetime.datetime | None,
        period_end: datetime.date | None = None,
        edited: bool = False,
    ) -> AssuranceReturn | None:
        """The agency's workforce figures for the period (`year` 0 two years ago, 2 this year), a draft until
        submitted."""
        author = self.someone(agency)
        if author is None:
            return None
        rng = self.rng
        posts = POSTS.get(agency.kind, 10) + rng.randint(-3, 6)
        leads = 1 + posts // 15
        counts = {
            "supervision_expected": posts * 11,
            "supervision_held": round(posts * 11 * rng.uniform(0.72, 0.97)),
            "designated_lead_posts": leads,
            "designated_lead_posts_filled": leads - int(rng.random() < 0.3),
            "safeguarding_posts": posts,
            "vacancies": rng.randint(0, max(1, posts // 8)) + 2 * int(year == 1 and agency.kind == CS),
            "leavers": rng.randint(0, max(1, posts // 6)) + int(year == 1),
        }
        # Training dipped last year (the vacancies) and is recovering; group D only where there are named leads.
        dip = Decimal(4 if year == 1 else 0)
        training: dict[str, tuple[Decimal | None, Decimal | None]] = {
            level: (min(Decimal(100), target - Decimal(rng.randint(-40, 120)) / 10 - dip), target)
            for level, target in list(TRAINING_TARGETS.items())[: 4 if agency.kind in (CS, POL) else 3]
        }
        draft = return_create(
            cycle=cycle,
            agency=agency,
            user=author,
            counts={**counts, "leavers": None} if edited else counts,
            gaps=rng.choice(GAPS),
            training=training,
            period_end=period_end,
        )
        self.then(started, draft, "updated_at")
        self.counts["12Cs: assurance returns"] += 1
        if edited:  # a figure missing at first, filled in days later
            draft = return_update(
                assurance_return=draft, user=author, counts=counts, gaps=draft.gaps, training=training
            )
            self.then(started + datetime.timedelta(days=2), draft, "updated_at")
        if submitted is None:
            return draft
        return_submit(assurance_return=draft, user=author)
        self.then(submitted, draft, "submitted_at")
        return draft

    def attach(self, cycle: Cycle, component: str, name: str, when: datetime.datetime, agency: Agency | None) -> None:
        rows = "agency,group,trained_percent,target_percent\n" + "".join(
            f"{agency_name},{level},{self.rng.randint(70, 99)},90\n"
            for agency_name in ("Children's services", "Police", "Health")
            for level in ("A", "B", "C")
        )
        author = self.board if agency is None else self.someone(agency)
        if author is None:
            return
        upload = SimpleUploadedFile(name, rows.encode(), content_type="text/csv")
        attachment = attachment_upload(user=author, cycle=cycle, component=component, upload=upload, agency=agency)
        self.then(when, attachment, "uploaded_at")
        self.counts["12Cs: evidence files"] += 1

    def sign_off(self, cycle: Cycle, when: datetime.datetime) -> None:
        cycle = cycle_sign_off(user=self.board, cycle=cycle)
        self.then(when, cycle, "signed_off_at")
        # The facts as they stood that day, as the sign-off would have frozen them then.
        self.counts["12Cs: measured facts frozen"] += len(facts_freeze(cycle, now=when))

    # --- the years ---------------------------------------------------------------------------------------------

    def past_cycle(
        self,
        year: int,
        start: datetime.date,
        end: datetime.date,
        partners: list[Agency],
        authority: LocalAuthority | None = None,
        lag: int = 0,
    ) -> Cycle:
        """A whole year's cycle from opening to sign-off (`year` 0 two years ago, 1 last year), then its action
        plan delivered up to today. An authority's timetable runs `lag` days behind the region's."""
        opened = end - datetime.timedelta(weeks=6, days=-lag)
        due = end + datetime.timedelta(weeks=6, days=lag)
        moderated = due + datetime.timedelta(weeks=3)
        signed = _at(due + datetime.timedelta(weeks=8), 14)
        cycle = self.open(start=start, end=end, due=due, opened=_at(opened), partners=partners, authority=authority)
        if authority is None:
            self.prompts(cycle, _at(end - datetime.timedelta(weeks=5)), 1)
            self.attach(cycle, Component.C3, "training-compliance.csv", _at(moderated), None)
        for agency in partners:
            started = self.between(opened + datetime.timedelta(weeks=1), due - datetime.timedelta(weeks=2))
            submitted = self.between(due - datetime.timedelta(days=10), due + datetime.timedelta(days=4))
            self.file_return(cycle, agency, year, started=started, submitted=submitted)
        actions: list[ImprovementAction] = []
        for component, part in PARTS.items():
            scores = self.scores((part.scores[0], part.scores[1])[year], authority)
            contributors = self.rng.sample(
                partners, k=min(len(partners), self.rng.randint(1, 2) if authority else self.rng.randint(2, 4))
            )
            differs = self.contribute(cycle, component, contributors, scores, opened + datetime.timedelta(days=3), due)
            when = self.between(moderated, moderated + datetime.timedelta(weeks=2))
            assessment = self.moderate(cycle, component, scores, partners, when, differs=differs)
            if authority is None:
                self.review_point(assessment, signed.date() + datetime.timedelta(days=182), when)
            if min(scores) <= (3 if authority is None else 2) or component == Component.C1:
                kind, description = part.action
                due_on = signed.date() + datetime.timedelta(days=self.rng.randint(60, 300))
                action = self.act(assessment, self.owner(partners, kind), description, due_on, when)
                if action is not None:
                    actions.append(action)
        self.sign_off(cycle, signed)
        self.deliver(actions, signed.date(), done=0.85 if year == 0 else 0.6)
        return cycle

    def scores(self, scores: Scores, authority: LocalAuthority | None) -> Scores:
        """The region's scores; an authority's are a point better or worse here and there, on both scales."""
        if authority is None:
            return scores
        offset = self.rng.choice((-1, 0, 0, 1))
        return _clamp(scores[0] + offset), _clamp(scores[1] + offset)

    def deliver(self, actions: list[ImprovementAction], signed: datetime.date, done: float) -> None:
        """Since sign-off: a `done` share of the actions completed (some after their due date), the rest under way
        or not yet started, some of those now overdue."""
        for action in actions:
            roll = self.rng.random()
            started = min(signed + datetime.timedelta(days=self.rng.randint(14, 40)), self.yesterday)
            if roll < done + (1 - done) * 0.7:
                self.progress(action, ActionStatus.IN_PROGRESS, started)
            if roll < done:
                finished = action.due_on + datetime.timedelta(days=self.rng.randint(-30, 25))
                self.progress(action, ActionStatus.COMPLETED, min(max(finished, started), self.yesterday))

    def open_cycle(self, start: datetime.date, end: datetime.date, partners: list[Agency]) -> Cycle:
        """This year's cycle, under way: see the module docstring for what it holds."""
        today = self.today
        due = _weekday(today - datetime.timedelta(days=7))
        opened = today - datetime.timedelta(days=70)
        cycle = self.open(start=start, end=end, due=due, opened=_at(opened), partners=partners)
        self.prompts(cycle, _at(opened + datetime.timedelta(days=1), 11), len(LOCAL_PROMPTS))
        # The returns cover the year to the end of the month two months before they are due.
        covered = _month_start(due, 1) - datetime.timedelta(days=1)
        for index, agency in enumerate(partners):
            state = "draft" if agency.pk == self.agency_of(PARTNER) else ("on time", "late", "draft", "none")[index % 4]
            if agency.pk == self.agency_of(POLICE):
                state = "on time"
            if state == "none":
                continue
            started = self.between(opened + datetime.timedelta(days=7), due - datetime.timedelta(days=14))
            submitted = {
                "on time": self.between(due - datetime.timedelta(days=12), due - datetime.timedelta(days=1)),
                "late": _at(min(due + datetime.timedelta(days=3), self.yesterday), 16),
            }.get(state)
            self.file_return(
                cycle, agency, 2, started=started, submitted=submitted, period_end=covered, edited=state != "draft"
            )
        early = today - datetime.timedelta(days=40)  # the board's first moderation meeting; the rest last week
        for component, part in PARTS.items():
            if not part.contributed_this_year:
                continue
            first_moderated = component in OPEN_EARLY
            last = early - datetime.timedelta(days=2) if first_moderated else today - datetime.timedelta(days=5)
            contributors = self.rng.sample(partners, k=min(len(partners), 3))
            for username in OPEN_CONTRIBUTORS.get(component, ()):
                own = next((a for a in partners if a.pk == self.agency_of(username)), None)
                if own is not None and own not in contributors:
                    contributors.append(own)
            agreed = part.scores[2]
            differs = self.contribute(
                cycle, component, contributors, agreed or part.scores[1], opened + datetime.timedelta(days=3), last
            )
            if agreed is None:
                continue
            when = _at(early if first_moderated else today - datetime.timedelta(days=4), 14)
            assessment = self.moderate(cycle, component, agreed, partners, when, differs=differs)
            self.review_point(assessment, end + datetime.timedelta(days=90), when)
            for owner_spec, description, due_in, status in OPEN_ACTIONS.get(component, ()):
                owner = self.owner(partners, owner_spec)
                action = self.act(assessment, owner, description, today + datetime.timedelta(days=due_in), when)
                if action is not None and status != ActionStatus.NOT_STARTED:
                    begun = min(when.date() + datetime.timedelta(days=5), self.yesterday)
                    self.progress(action, ActionStatus.IN_PROGRESS, begun)
                    if status == ActionStatus.COMPLETED:
                        self.progress(action, status, self.yesterday)
        partner = next((a for a in partners if a.pk == self.agency_of(PARTNER)), None)
        if partner is not None:
            self.attach(
                cycle, Component.C3, "health-visiting-training.csv", _at(today - datetime.timedelta(days=6)), partner
            )
        return cycle

    def agency_of(self, username: str) -> int | None:
        return next((pk for pk, user in self.sign_ins.items() if user.username == username), None)

    def owner(self, partners: list[Agency], spec: str) -> Practitioner | None:
        """A demo sign-in by username, or the senior practitioner of the partner of that kind."""
        found = next((user for user in self.sign_ins.values() if user.username == spec), None)
        return found or self.senior(self.of_kind(partners, spec))

    @property
    def yesterday(self) -> datetime.date:
        return self.today - datetime.timedelta(days=1)


# The open cycle: Cs the board moderated at its first meeting (their actions are overdue by now), the demo sign-ins'
# agencies that contributed to a C, and each moderated C's actions (owner, what, due in days from today, status).
OPEN_EARLY = (Component.C4, Component.C10)
OPEN_CONTRIBUTORS: dict[str, tuple[str, ...]] = {
    Component.C2: (PARTNER,),
    Component.C3: (PARTNER,),
    Component.C7: (PARTNER, POLICE),
    Component.C10: (POLICE, "gp"),
    Component.C11: ("school.lead",),
}
OPEN_ACTIONS: dict[str, tuple[tuple[str, str, int, ActionStatus], ...]] = {
    Component.C1: (
        (
            CS,
            "Refresh the threshold guide with the agencies' comments and publish it in Welsh and English.",
            60,
            ActionStatus.NOT_STARTED,
        ),
    ),
    Component.C3: (
        (
            PARTNER,
            "Book every health visitor due a group C refresher onto a course before the end of March.",
            45,
            ActionStatus.IN_PROGRESS,
        ),
    ),
    Component.C4: (
        (CS, "Report the front door's queue of concerns to the board every month.", 30, ActionStatus.COMPLETED),
        (CS, "Fill the front door's two vacant social worker posts.", -5, ActionStatus.NOT_STARTED),
    ),
    Component.C10: (
        (
            POLICE,
            "Close the emailed referrals inbox once every public protection notice arrives on the platform.",
            -10,
            ActionStatus.IN_PROGRESS,
        ),
    ),
}


def _partners(story: _Story, kinds: tuple[str, ...], authority: LocalAuthority | None = None) -> list[Agency]:
    """The agencies asked to take part (with the demo sign-ins' own in the region's), each with someone to write
    its part."""
    agencies = Agency.objects.filter(local_authority__region=story.region)
    if authority is None:
        agencies = agencies.filter(models.Q(kind__in=kinds) | models.Q(pk__in=list(story.sign_ins)))
    else:
        agencies = agencies.filter(kind__in=kinds).filter(
            models.Q(local_authority=authority) | models.Q(kind=AgencyKind.POLICE)
        )
    return [agency for agency in agencies.select_related("local_authority").order_by("pk") if story.someone(agency)]


@transaction.atomic
def demo_load(*, reference_date: datetime.date) -> dict[str, int]:
    """Plant the region's 12Cs cycles (once: nothing is added when the region already has cycles)."""
    board = (
        Practitioner.objects.filter(username=BOARD, roles__code=RoleCode.BOARD_OFFICER, agency__isnull=False)
        .select_related("agency__local_authority__region")
        .first()
    )
    if board is None or board.agency is None:
        return {"12Cs cycles": 0}
    region = board.agency.local_authority.region
    if Cycle.objects.filter(region=region).exists():
        return {"12Cs cycles": 0}
    today = min(reference_date, timezone.localdate())  # the services stamp now: the story ends before it
    story = _Story(board, region, today)
    partners = _partners(story, PARTNER_KINDS)
    if not partners:
        return {"12Cs cycles": 0}
    start, end = _month_start(today, 11), _month_end(today)  # this year: the twelve months to this month's end
    for year, back in ((0, 2), (1, 1)):
        past_start = datetime.date(start.year - back, start.month, 1)
        story.past_cycle(year, past_start, _month_end(datetime.date(end.year - back, end.month, 1)), partners)
    last_start, last_end = (
        datetime.date(start.year - 1, start.month, 1),
        _month_end(datetime.date(end.year - 1, end.month, 1)),
    )
    for index, authority in enumerate(region.local_authorities.order_by("code")):
        local = _partners(story, AUTHORITY_KINDS, authority)
        if local:
            story.past_cycle(1, last_start, last_end, local, authority, lag=3 + 4 * index)
    story.open_cycle(start, end, partners)
    return {key: story.counts[key] for key in COUNTS}
