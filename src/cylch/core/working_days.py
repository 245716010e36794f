"""Working days: Monday to Friday except England & Wales bank holidays.

The Wales Safeguarding Procedures' timescales (a decision within one working day, feedback within seven)
count working days. Bank holidays come from the data shipped inside `govuk-bank-holidays`, read once and
never fetched over the network, so the clock works offline and gives the same answer on every machine.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from govuk_bank_holidays.bank_holidays import BankHolidays

DIVISION = "england-and-wales"
WEEKEND = frozenset({5, 6})


@lru_cache(maxsize=1)
def bank_holidays() -> frozenset[datetime.date]:
    """England & Wales bank holidays from the package's cached data (no download is ever attempted)."""
    holidays = BankHolidays(use_cached_holidays=True)
    return frozenset(h["date"] for h in holidays.get_holidays(division=DIVISION))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() not in WEEKEND and day not in bank_holidays()


def next_working_day(day: datetime.date) -> datetime.date:
    """The first working day strictly after `day`."""
    day += datetime.timedelta(days=1)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_working_days(day: datetime.date, days: int) -> datetime.date:
    """`days` working days after `day` (a start on a non-working day counts from the next working day)."""
    if days < 0:
        raise ValueError("Only forward counting is supported.")
    for _ in range(days):
        day = next_working_day(day)
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def _local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


def working_deadline(received_at: datetime.datetime, days: int) -> datetime.datetime:
    """The end (midnight, local time) of the `days`-th working day after the day something was received.

    One working day for a decision on a concern received on a Friday afternoon means by the end of Monday;
    received on Christmas Eve 2025 (a Wednesday) it means by the end of Monday 29 December.
    """
    local = _local(received_at)
    last_day = add_working_days(local.date(), days)
    end = datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time.min)
    return end.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
