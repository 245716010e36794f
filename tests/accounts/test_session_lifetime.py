"""Sessions end after 30 minutes idle and 12 hours after signing in, however busy (frozen, then moved, clock)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.test import override_settings

from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(client, clock):
    client.force_login(PractitionerFactory())
    return client


def test_the_defaults_are_thirty_minutes_idle_and_twelve_hours_in_all(settings):
    assert settings.CYLCH_SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60


def test_a_session_idle_for_thirty_minutes_is_signed_out(signed_in, clock):
    clock.shift(29 * MINUTE)
    assert signed_in.get("/").status_code == 200
    clock.shift(29 * MINUTE)
    assert signed_in.get("/").status_code == 200  # each request restarts the idle clock
    clock.shift(30 * MINUTE)
    response = signed_in.get("/people/search/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/people/search/"
    assert signed_in.get("/").status_code == 302  # the session is gone, not just refused once


def test_a_busy_session_still_ends_twelve_hours_after_signing_in(signed_in, clock):
    for _ in range(12 * 60 // 20 - 1):
        clock.shift(20 * MINUTE)
        assert signed_in.get("/").status_code == 200
    clock.shift(20 * MINUTE)  # 12 hours since signing in
    assert signed_in.get("/").status_code == 302


@override_settings(CYLCH_SESSION_IDLE_SECONDS=60, SESSION_COOKIE_AGE=300)
def test_both_limits_come_from_the_settings(signed_in, clock):
    clock.shift(59 * datetime.timedelta(seconds=1))
    assert signed_in.get("/").status_code == 200
    clock.shift(61 * datetime.timedelta(seconds=1))
    assert signed_in.get("/").status_code == 302
