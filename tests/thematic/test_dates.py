"""Timeliness at its boundaries: the 6-month rule by calendar, months as the research counted them, date order."""

from __future__ import annotations

import datetime

import pytest

from cylch.thematic.dates import add_months, date_order_problems, months_between, within_months

D = datetime.date
TODAY = D(2026, 12, 7)


def test_completion_on_the_day_six_months_after_referral_is_within():
    assert within_months(D(2023, 3, 14), D(2023, 9, 14), 6)


def test_completion_the_day_after_is_not_within():
    assert not within_months(D(2023, 3, 14), D(2023, 9, 15), 6)


@pytest.mark.parametrize(
    ("referral", "deadline"),
    [(D(2023, 8, 31), D(2024, 2, 29)), (D(2022, 8, 31), D(2023, 2, 28)), (D(2023, 12, 31), D(2024, 6, 30))],
)
def test_six_months_from_a_day_the_month_lacks_is_that_months_last_day(referral, deadline):
    assert add_months(referral, 6) == deadline
    assert within_months(referral, deadline, 6)
    assert not within_months(referral, deadline + datetime.timedelta(days=1), 6)


def test_six_months_across_the_year_end():
    assert add_months(D(2023, 10, 15), 6) == D(2024, 4, 15)


def test_months_are_days_over_the_mean_month():
    assert months_between(D(2023, 3, 14), D(2023, 9, 14)) == 6.0  # 184 days
    assert months_between(D(2023, 1, 1), D(2023, 1, 1)) == 0.0
    assert months_between(D(2020, 1, 1), D(2021, 1, 1)) == 12.0  # 366 days: 12.02


def test_dates_in_order_have_no_problem():
    dates = {
        "incident_date": D(2021, 1, 1),
        "referral_date": D(2021, 1, 1),
        "learning_event_date": D(2021, 6, 1),
        "completion_date": D(2021, 1, 1),
    }
    assert date_order_problems(dates, today=TODAY) == []


@pytest.mark.parametrize(
    ("dates", "column"),
    [
        ({"incident_date": D(2021, 5, 2), "referral_date": D(2021, 5, 1)}, "referral_date"),
        ({"incident_date": D(2021, 5, 2), "learning_event_date": D(2021, 5, 1)}, "learning_event_date"),
        ({"referral_date": D(2021, 5, 2), "completion_date": D(2021, 5, 1)}, "completion_date"),
        ({"incident_date": D(2021, 5, 2), "completion_date": D(2021, 5, 1)}, "completion_date"),
        ({"completion_date": TODAY + datetime.timedelta(days=1)}, "completion_date"),
    ],
)
def test_a_date_out_of_order_or_in_the_future_is_named(dates, column):
    assert [problem[0] for problem in date_order_problems(dates, today=TODAY)] == [column]
