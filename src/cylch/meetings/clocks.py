"""The child protection process's clocks: each a deadline counted from the meeting that starts it.

Defaults are the Wales Safeguarding Procedures' (DOMAIN.md): initial conference within 15 working days of the
strategy discussion that started the enquiry; agency reports shared with the family 2 working days before a
conference; decisions and the outline plan circulated within 5 working days; first core group within 10 working
days of the initial conference, then at most every 6 weeks; first review conference within 3 months, then at most
every 6 months; the assessment within 42 working days of the enquiry starting. A region overrides any of them
(`RegionTimescales`). Working days come from `cylch.core.working_days` (weekends and bank holidays excluded).

Everything here is pure: the selectors gather a child's meetings and hand them in.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Region
from cylch.core.working_days import add_working_days, is_working_day


@dataclass(frozen=True)
class Timescales:
    initial_conference_working_days: int = 15
    reports_before_working_days: int = 2
    circulation_working_days: int = 5
    first_core_group_working_days: int = 10
    core_group_interval_weeks: int = 6
    first_review_months: int = 3
    review_interval_months: int = 6
    assessment_working_days: int = 42


WALES = Timescales()


def timescales_for(region: Region | None) -> Timescales:
    """The region's timescales, or the Wales Safeguarding Procedures' where it has set none."""
    from cylch.meetings.models import RegionTimescales

    row = RegionTimescales.objects.filter(region=region).first() if region is not None else None
    if row is None:
        return WALES
    return Timescales(**{name: getattr(row, name) for name in Timescales.__dataclass_fields__})


def working_days_before(day: datetime.date, days: int) -> datetime.date:
    """The working day `days` working days before `day` (2 before Tuesday 30 December 2025 is Christmas Eve).

    >>> working_days_before(datetime.date(2025, 12, 30), 2)
    datetime.date(2025, 12, 24)
    """
    for _step in range(days):
        day -= datetime.timedelta(days=1)
        while not is_working_day(day):
            day -= datetime.timedelta(days=1)
    return day


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (30 November + 3 → 28 February).

    >>> add_months(datetime.date(2026, 11, 30), 3)
    datetime.date(2027, 2, 28)
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class ClockState(StrEnum):
    MET = "met"
    LATE = "late"  # met, after the deadline
    OVERDUE = "overdue"  # not met, deadline passed
    RUNNING = "running"  # not met yet, still in time


class ClockCode(StrEnum):
    INITIAL_CONFERENCE = "initial_conference"
    ASSESSMENT = "assessment"
    REPORTS_SHARED = "reports_shared"
    CIRCULATION = "circulation"
    CORE_GROUP = "core_group"
    REVIEW_CONFERENCE = "review_conference"


CLOCK_LABELS: dict[str, Promise] = {
    ClockCode.INITIAL_CONFERENCE: _("Initial child protection conference"),
    ClockCode.ASSESSMENT: _("Assessment complete"),
    ClockCode.REPORTS_SHARED: _("Agency reports shared with the family"),
    ClockCode.CIRCULATION: _("Decisions and plan circulated"),
    ClockCode.CORE_GROUP: _("Core group"),
    ClockCode.REVIEW_CONFERENCE: _("Review child protection conference"),
}


@dataclass(frozen=True)
class Clock:
    """One deadline: when it falls due, when it was met (if it was), and what is booked to meet it."""

    code: ClockCode
    due: datetime.date
    met_on: datetime.date | None = None
    booked_on: datetime.date | None = None

    @property
    def label(self) -> Promise:
        return CLOCK_LABELS[self.code]

    def state(self, today: datetime.date) -> ClockState:
        if self.met_on is not None:
            return ClockState.MET if self.met_on <= self.due else ClockState.LATE
        return ClockState.OVERDUE if today > self.due else ClockState.RUNNING


@dataclass(frozen=True)
class MeetingFacts:
    """What the clocks need to know of one meeting about the child (gathered by the selectors)."""

    pk: int
    kind: str
    on: datetime.date
    held: bool
    section_47: bool = False  # a strategy discussion that decided on an enquiry
    registered: bool = False  # a conference that registered this child
    assessment_completed_on: datetime.date | None = None
    minutes_circulated_on: datetime.date | None = None
    reports_shared_on: datetime.date | None = None  # the last agency report's sharing, when every report was shared


@dataclass(frozen=True)
class PlanFacts:
    started_on: datetime.date
    ended_on: datetime.date | None


def child_clocks(meetings: Sequence[MeetingFacts], plan: PlanFacts | None, scales: Timescales = WALES) -> list[Clock]:
    """The clocks running (or last met) for one child, from their meetings in date order and their current plan.

    The enquiry is the newest strategy discussion that decided on one; each later clock counts from the meeting
    that starts it, and is met by the first meeting of the right kind held on or after that start.
    """
    ordered = sorted(meetings, key=lambda m: (m.on, m.pk))
    clocks: list[Clock] = []
    enquiry = next((m for m in reversed(ordered) if m.kind == "strategy_discussion" and m.section_47), None)
    first_conference = None
    if enquiry is not None:
        first_conference = next(
            (m for m in ordered if m.kind in {"initial_conference", "pre_birth_conference"} and m.on >= enquiry.on),
            None,
        )
        clocks.append(
            _met_by(
                ClockCode.INITIAL_CONFERENCE,
                add_working_days(enquiry.on, scales.initial_conference_working_days),
                first_conference,
            )
        )
        clocks.append(
            Clock(
                ClockCode.ASSESSMENT,
                add_working_days(enquiry.on, scales.assessment_working_days),
                met_on=enquiry.assessment_completed_on,
            )
        )
    conferences = [m for m in ordered if m.kind in {"initial_conference", "pre_birth_conference", "review_conference"}]
    for conference in conferences:
        clocks.append(
            Clock(
                ClockCode.REPORTS_SHARED,
                working_days_before(conference.on, scales.reports_before_working_days),
                met_on=conference.reports_shared_on,
                booked_on=None if conference.held else conference.on,
            )
        )
        if conference.held:
            clocks.append(
                Clock(
                    ClockCode.CIRCULATION,
                    add_working_days(conference.on, scales.circulation_working_days),
                    met_on=conference.minutes_circulated_on,
                )
            )
    if plan is not None and plan.ended_on is None:
        since = [m for m in ordered if m.on >= plan.started_on]
        clocks.extend(
            _chain(
                ClockCode.CORE_GROUP,
                [m for m in since if m.kind == "core_group"],
                add_working_days(plan.started_on, scales.first_core_group_working_days),
                lambda day: day + datetime.timedelta(weeks=scales.core_group_interval_weeks),
            )
        )
        clocks.extend(
            _chain(
                ClockCode.REVIEW_CONFERENCE,
                [m for m in since if m.kind == "review_conference"],
                add_months(plan.started_on, scales.first_review_months),
                lambda day: add_months(day, scales.review_interval_months),
            )
        )
    return clocks


def current_clocks(clocks: Sequence[Clock]) -> list[Clock]:
    """The newest clock of each kind: what a child's page and a work list show (the report counts them all)."""
    newest: dict[ClockCode, Clock] = {}
    for clock in clocks:
        newest[clock.code] = clock
    return list(newest.values())


def _met_by(code: ClockCode, due: datetime.date, meeting: MeetingFacts | None) -> Clock:
    if meeting is None:
        return Clock(code, due)
    return Clock(code, due, met_on=meeting.on if meeting.held else None, booked_on=None if meeting.held else meeting.on)


def _chain(
    code: ClockCode,
    meetings: Sequence[MeetingFacts],
    first_due: datetime.date,
    next_due: Callable[[datetime.date], datetime.date],
) -> list[Clock]:
    """Recurring meetings: each held one meets its deadline and starts the next; the first not yet held (or
    nothing) stands against the deadline still running."""
    clocks: list[Clock] = []
    due = first_due
    for meeting in meetings:
        if not meeting.held:
            clocks.append(Clock(code, due, booked_on=meeting.on))
            return clocks
        clocks.append(Clock(code, due, met_on=meeting.on))
        due = next_due(meeting.on)
    clocks.append(Clock(code, due))
    return clocks
