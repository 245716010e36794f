"""The queue's clock: under a day it is in hours; past a day in working days, not hundreds of hours."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from cylch.accounts.models import RoleCode
from cylch.concerns.queue import queue_rows
from tests.factories import ConcernFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Monday 7 December 2026, 10:00.
NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=LONDON)


def _row(due: datetime.datetime):
    [row] = queue_rows([ConcernFactory(received_at=due - datetime.timedelta(days=1), decision_due_at=due)], now=NOW)
    return row


def test_a_concern_two_weeks_overdue_counts_working_days():
    row = _row(datetime.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    assert row.overdue
    assert row.working_days == 10


def test_a_concern_a_few_hours_overdue_is_counted_in_hours():
    row = _row(NOW - datetime.timedelta(hours=5))
    assert (row.overdue, row.working_days, row.hours) == (True, 0, 5)


def test_time_left_past_a_day_is_in_working_days():
    row = _row(datetime.datetime(2026, 12, 9, 17, 0, tzinfo=LONDON))
    assert not row.overdue
    assert row.working_days == 2


def test_the_queue_page_says_overdue_by_working_days(client):
    ConcernFactory(decision_due_at=datetime.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON))
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR]))
    page = client.get("/front-door/").content.decode()
    assert "working days" in page
    assert " h</strong>" not in page
