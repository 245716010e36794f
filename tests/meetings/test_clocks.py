"""Every clock at its boundary, in working days, with bank holidays inside the window (Christmas 2026:
Friday 25 and Monday 28 December; New Year's Day Friday 1 January 2027)."""

from __future__ import annotations

import datetime

import pytest

from cylch.meetings.clocks import (
    ClockCode,
    ClockState,
    MeetingFacts,
    PlanFacts,
    Timescales,
    add_months,
    child_clocks,
    current_clocks,
    working_days_before,
)

D = datetime.date
SD = MeetingFacts(pk=1, kind="strategy_discussion", on=D(2026, 12, 14), held=True, section_47=True)


def clock(clocks, code):
    return next(c for c in current_clocks(clocks) if c.code == code)


def conference(on, *, held=True, pk=2, **kwargs):
    return MeetingFacts(pk=pk, kind="initial_conference", on=on, held=held, **kwargs)


def test_initial_conference_is_due_15_working_days_after_the_strategy_discussion_skipping_christmas():
    # 15-18, 21-24 Dec (8), 29-31 Dec (11), 4-7 Jan (15): the 25th, 28th and 1 January are bank holidays.
    assert clock(child_clocks([SD], None), ClockCode.INITIAL_CONFERENCE).due == D(2027, 1, 7)


@pytest.mark.parametrize(("held_on", "state"), [(D(2027, 1, 7), ClockState.MET), (D(2027, 1, 8), ClockState.LATE)])
def test_an_initial_conference_on_the_last_day_is_in_time_and_the_next_day_is_late(held_on, state):
    clocks = child_clocks([SD, conference(held_on)], None)
    assert clock(clocks, ClockCode.INITIAL_CONFERENCE).state(D(2027, 2, 1)) == state


def test_an_unbooked_initial_conference_is_overdue_the_day_after_its_deadline():
    initial = clock(child_clocks([SD], None), ClockCode.INITIAL_CONFERENCE)
    assert initial.state(D(2027, 1, 7)) == ClockState.RUNNING
    assert initial.state(D(2027, 1, 8)) == ClockState.OVERDUE


def test_a_strategy_discussion_without_an_enquiry_starts_no_clock():
    no_enquiry = MeetingFacts(pk=1, kind="strategy_discussion", on=D(2026, 12, 14), held=True)
    assert child_clocks([no_enquiry], None) == []


def test_the_assessment_is_due_42_working_days_after_the_enquiry_started():
    # 42 working days from 14 Dec 2026 with three bank holidays: Monday 15 February 2027.
    assert clock(child_clocks([SD], None), ClockCode.ASSESSMENT).due == D(2027, 2, 15)


def test_agency_reports_are_due_with_the_family_2_working_days_before_the_conference_across_christmas():
    booked = conference(D(2026, 12, 30), held=False)
    reports = clock(child_clocks([SD, booked], None), ClockCode.REPORTS_SHARED)
    assert reports.due == D(2026, 12, 24)
    assert reports.booked_on == D(2026, 12, 30)


def test_reports_shared_the_day_before_the_deadline_meet_it():
    booked = conference(D(2026, 12, 30), held=False, reports_shared_on=D(2026, 12, 23))
    assert clock(child_clocks([SD, booked], None), ClockCode.REPORTS_SHARED).state(D(2026, 12, 30)) == ClockState.MET


def test_decisions_are_circulated_within_5_working_days_of_the_conference():
    held = conference(D(2026, 12, 22), minutes_circulated_on=D(2026, 12, 31))
    circulation = clock(child_clocks([SD, held], None), ClockCode.CIRCULATION)
    assert circulation.due == D(2026, 12, 31)  # 23, 24, 29, 30, 31
    assert circulation.state(D(2027, 1, 4)) == ClockState.MET


def test_the_first_core_group_is_due_10_working_days_after_the_plan_started():
    plan = PlanFacts(started_on=D(2026, 12, 22), ended_on=None)
    core = clock(child_clocks([SD, conference(D(2026, 12, 22))], plan), ClockCode.CORE_GROUP)
    assert core.due == D(2027, 1, 8)  # 23, 24, 29, 30, 31, 4, 5, 6, 7, 8


def test_after_a_core_group_the_next_is_due_at_most_6_weeks_later():
    plan = PlanFacts(started_on=D(2026, 12, 22), ended_on=None)
    core_group = MeetingFacts(pk=3, kind="core_group", on=D(2027, 1, 5), held=True)
    clocks = child_clocks([SD, conference(D(2026, 12, 22)), core_group], plan)
    every = [c for c in clocks if c.code == ClockCode.CORE_GROUP]
    assert [(c.due, c.met_on) for c in every] == [(D(2027, 1, 8), D(2027, 1, 5)), (D(2027, 2, 16), None)]


def test_the_first_review_conference_is_due_3_months_after_the_plan_then_every_6_months():
    plan = PlanFacts(started_on=D(2026, 11, 30), ended_on=None)
    first = clock(child_clocks([], plan), ClockCode.REVIEW_CONFERENCE)
    assert first.due == D(2027, 2, 28)
    review = MeetingFacts(pk=4, kind="review_conference", on=D(2027, 2, 26), held=True)
    assert clock(child_clocks([review], plan), ClockCode.REVIEW_CONFERENCE).due == D(2027, 8, 26)


def test_an_ended_plan_runs_no_core_group_or_review_clock():
    plan = PlanFacts(started_on=D(2026, 11, 30), ended_on=D(2027, 2, 26))
    assert child_clocks([], plan) == []


def test_a_region_s_own_timescales_replace_the_defaults():
    assert clock(
        child_clocks([SD], None, Timescales(initial_conference_working_days=10)), ClockCode.INITIAL_CONFERENCE
    ).due == D(2026, 12, 30)


def test_counting_back_skips_weekends_and_bank_holidays():
    assert working_days_before(D(2027, 1, 4), 1) == D(2026, 12, 31)
    assert working_days_before(D(2026, 12, 29), 1) == D(2026, 12, 24)


def test_adding_months_keeps_the_day_or_takes_the_month_s_last():
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2026, 1, 15), 12) == D(2027, 1, 15)
