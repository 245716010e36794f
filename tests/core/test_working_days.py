import datetime
from zoneinfo import ZoneInfo

from cylch.core.working_days import add_working_days, bank_holidays, is_working_day, working_deadline

LONDON = ZoneInfo("Europe/London")


def test_christmas_and_boxing_day_2025_are_bank_holidays():
    assert {datetime.date(2025, 12, 25), datetime.date(2025, 12, 26)} <= bank_holidays()


def test_a_saturday_is_not_a_working_day():
    assert not is_working_day(datetime.date(2025, 12, 27))


def test_one_working_day_after_a_friday_is_monday():
    assert add_working_days(datetime.date(2025, 12, 19), 1) == datetime.date(2025, 12, 22)


def test_counting_skips_christmas_the_weekend_and_new_year():
    # Wed 24 Dec 2025 + 7 working days: 29, 30, 31 Dec, 2, 5, 6, 7 Jan (25, 26 Dec and 1 Jan are holidays).
    assert add_working_days(datetime.date(2025, 12, 24), 7) == datetime.date(2026, 1, 7)


def test_counting_skips_easter_2025():
    # Thu 17 Apr 2025 + 1: Good Friday 18th, weekend, Easter Monday 21st -> Tue 22nd.
    assert add_working_days(datetime.date(2025, 4, 17), 1) == datetime.date(2025, 4, 22)


def test_deadline_is_the_end_of_the_working_day_in_local_time():
    received = datetime.datetime(2025, 12, 24, 15, 0, tzinfo=LONDON)
    assert working_deadline(received, 1) == datetime.datetime(2025, 12, 30, 0, 0, tzinfo=LONDON)


def test_bank_holidays_are_read_without_the_network(monkeypatch):
    import govuk_bank_holidays.bank_holidays as module

    def refuse(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(module.requests, "get", refuse, raising=False)
    bank_holidays.cache_clear()
    assert datetime.date(2025, 12, 25) in bank_holidays()
