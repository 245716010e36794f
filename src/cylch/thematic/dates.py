"""A review's key dates: the order they must keep, and how long the review took (pure functions).

Months are reported as the research reported them, in decimal months: days divided by the mean Gregorian month
(30.4375 days), so 14 March to 14 September (184 days) is 6.0 months. "Within 6 months of referral" is the
calendar rule of Working Together to Safeguard People: completed on or before the same day six months on
(the month's last day where it has no such day).

>>> add_months(datetime.date(2023, 8, 31), 6)
datetime.date(2024, 2, 29)
>>> within_months(datetime.date(2023, 3, 14), datetime.date(2023, 9, 14), 6)
True
>>> within_months(datetime.date(2023, 3, 14), datetime.date(2023, 9, 15), 6)
False
>>> months_between(datetime.date(2023, 3, 14), datetime.date(2023, 9, 14))
6.0
"""

from __future__ import annotations

import calendar
import datetime

from django.utils.translation import gettext_lazy as _

from cylch.core.forms import EARLIEST_YEAR

DAYS_PER_MONTH = 365.2425 / 12
EXPECTED_MONTHS = 6  # referral to completion, WTSP vol. 2
DATE_COLUMNS = ("incident_date", "referral_date", "learning_event_date", "completion_date")

# (later, earlier, message): the later date may not come before the earlier one.
ORDER_RULES = (
    ("referral_date", "incident_date", _("The referral to the review sub-group cannot be before the incident")),
    ("learning_event_date", "incident_date", _("The learning event cannot be before the incident")),
    ("completion_date", "referral_date", _("The review cannot be completed before it was referred")),
    ("completion_date", "incident_date", _("The review cannot be completed before the incident")),
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later, or that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def within_months(start: datetime.date, end: datetime.date, months: int) -> bool:
    return end <= add_months(start, months)


def months_between(start: datetime.date, end: datetime.date) -> float:
    return round((end - start).days / DAYS_PER_MONTH, 1)


def date_order_problems(dates: dict[str, datetime.date | None], *, today: datetime.date) -> list[tuple[str, str]]:
    """Each date that cannot be right, as (column, message): before 1900, in the future, or out of order."""
    problems: list[tuple[str, str]] = []
    for column in DATE_COLUMNS:
        value = dates.get(column)
        if value is not None and value.year < EARLIEST_YEAR:
            problems.append((column, str(_("This date is before 1900"))))
        elif value is not None and value > today:
            problems.append((column, str(_("This date is in the future"))))
    for later, earlier, message in ORDER_RULES:
        first, second = dates.get(earlier), dates.get(later)
        if first is not None and second is not None and second < first and later not in dict(problems):
            problems.append((later, str(message)))
    return problems
