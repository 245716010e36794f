"""Review types and stages are data; the clocks count working days (bank holidays excluded) and months."""

from __future__ import annotations

import datetime

import pytest

from cylch.reviews.definitions import (
    ClockUnit,
    DefinitionError,
    Milestone,
    add_months,
    clock_due,
    definitions_parse,
    review_types,
)


def test_every_issue_type_is_defined():
    assert set(review_types()) == {"susr", "cpr_concise", "cpr_extended", "rapid_review", "lcspr", "mapf"}


def test_susr_has_the_stages_of_the_process_in_order():
    codes = [stage.code for stage in review_types()["susr"].stages]
    assert codes == [
        "referral",
        "case_review_group",
        "chair_decision",
        "reviewer_panel",
        "wg_notified",
        "terms_of_reference",
        "family_involvement",
        "learning_event",
        "draft",
        "sign_off",
        "publication",
        "action_plan_closed",
    ]


def test_england_notifies_in_5_working_days_and_reviews_in_15():
    notification, rapid = review_types()["rapid_review"].stages
    assert (notification.anchor, notification.unit, notification.amount) == ("incident", ClockUnit.WORKING_DAYS, 5)
    assert (rapid.anchor, rapid.unit, rapid.amount) == ("notification", ClockUnit.WORKING_DAYS, 15)


def test_welsh_practice_reviews_complete_6_months_from_referral():
    for code in ("susr", "cpr_concise", "cpr_extended"):
        [completion] = [s for s in review_types()[code].stages if s.milestone == Milestone.COMPLETION]
        assert (completion.anchor, completion.unit, completion.amount) == ("referral", ClockUnit.MONTHS, 6)


def test_every_type_has_referral_and_completion_milestones():
    for definition in review_types().values():
        milestones = {stage.milestone for stage in definition.stages}
        assert {Milestone.REFERRAL, Milestone.COMPLETION} <= milestones


def _one_type(stages):
    return {"types": [{"code": "t", "name": "T", "name_cy": "T", "country": "wales", "stages": stages}]}


def test_an_anchor_pointing_forward_is_refused():
    stages = [
        {
            "code": "a",
            "name": "A",
            "name_cy": "A",
            "anchor": "b",
            "unit": "months",
            "amount": 1,
            "milestone": "referral",
        },
        {"code": "b", "name": "B", "name_cy": "B", "anchor": "incident", "milestone": "completion"},
    ]
    with pytest.raises(DefinitionError, match="anchor"):
        definitions_parse(_one_type(stages))


def test_a_clock_without_an_amount_is_refused():
    stages = [
        {"code": "a", "name": "A", "name_cy": "A", "anchor": "incident", "unit": "months", "milestone": "referral"},
    ]
    with pytest.raises(DefinitionError, match="clock"):
        definitions_parse(_one_type(stages))


def test_a_type_without_completion_is_refused():
    stages = [{"code": "a", "name": "A", "name_cy": "A", "anchor": "incident", "milestone": "referral"}]
    with pytest.raises(DefinitionError, match="completion"):
        definitions_parse(_one_type(stages))


def test_months_end_on_the_last_day_of_a_shorter_month():
    assert add_months(datetime.date(2024, 8, 31), 6) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2023, 8, 31), 6) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2024, 1, 15), 12) == datetime.date(2025, 1, 15)


def test_working_days_skip_a_weekend():
    # Friday 7 June 2024 + 5 working days = Friday 14 June
    assert clock_due(datetime.date(2024, 6, 7), ClockUnit.WORKING_DAYS, 5) == datetime.date(2024, 6, 14)


def test_working_days_skip_bank_holidays_inside():
    # Friday 20 December 2024: Christmas Day and Boxing Day fall inside; 5 working days is Tuesday 31 December
    assert clock_due(datetime.date(2024, 12, 20), ClockUnit.WORKING_DAYS, 5) == datetime.date(2024, 12, 31)
    # Thursday 2 May 2024: the early May bank holiday (6 May) inside; 15 working days is Friday 24 May
    assert clock_due(datetime.date(2024, 5, 2), ClockUnit.WORKING_DAYS, 15) == datetime.date(2024, 5, 24)


def test_an_incident_on_a_weekend_counts_from_the_next_working_day():
    # Saturday 8 June 2024 + 5 working days = Friday 14 June (Monday is day 1)
    assert clock_due(datetime.date(2024, 6, 8), ClockUnit.WORKING_DAYS, 5) == datetime.date(2024, 6, 14)
