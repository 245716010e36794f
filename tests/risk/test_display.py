"""Risk pages in the reader's words and language: the default rules in Welsh, a rule's definition in sentences
(its JSON only for the board officer), whole dates on the timeline and deadlines as the end of a day."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from cylch.accounts.models import RoleCode
from cylch.chronology.models import EventKind
from cylch.risk.models import RiskRule
from cylch.risk.services import risk_evaluate
from cylch.risk.templatetags.risk import deadline
from tests.factories import PractitionerFactory
from tests.risk.conftest import event

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.usefixtures("now_is_fixed")


@pytest.fixture
def board(db):
    return PractitionerFactory(roles=[RoleCode.BOARD_OFFICER])


def test_every_default_rule_has_its_name_reason_and_research_in_welsh():
    for rule in RiskRule.objects.select_related("current"):
        assert rule.current.name_cy, rule.code
        assert rule.current.rationale_cy, rule.code
        assert rule.current.research_cy, rule.code


def test_the_welsh_rule_page_shows_the_welsh_name_and_reason(client):
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get("/risk/rules/weighted-accumulation/").content.decode()
    assert "Mae cronni pwysol pryderon" in page
    assert "Weighted accumulation of concerns" not in page
    assert "No single event meets a threshold" not in page


def test_the_rule_page_says_the_definition_in_words(client, board):
    client.force_login(board)
    page = client.get("/risk/rules/wnb-young-or-registered/").content.decode()
    assert "younger than 5 years" in page
    assert "Counts events from the last 183 days." in page
    assert "at least 2 events" in page


def test_only_the_board_officer_sees_the_json(client, board):
    reader = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    client.force_login(reader)
    page = client.get("/risk/rules/wnb-young-or-registered/").content.decode()
    assert "window_days" not in page
    client.force_login(board)
    assert "window_days" in client.get("/risk/rules/wnb-young-or-registered/").content.decode()


def test_a_midnight_deadline_is_the_end_of_the_day_before():
    midnight = datetime.datetime(2026, 12, 9, tzinfo=LONDON)
    assert deadline(midnight) == "By the end of 8 Dec 2026"


def test_a_deadline_in_the_day_keeps_its_time():
    assert deadline(datetime.datetime(2026, 12, 9, 14, 30, tzinfo=LONDON)) == "9 Dec 2026 14:30"


def test_the_alert_timeline_gives_whole_dates(client, baby, health_visiting):
    event(baby, EventKind.WAS_NOT_BROUGHT, days_ago=60, agency=health_visiting)
    event(baby, EventKind.WAS_NOT_BROUGHT, days_ago=5, agency=health_visiting)
    alert = risk_evaluate(people=[baby.pk]).raised[0]
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR], agency=alert.owner_agency))
    page = client.get(f"/risk/alerts/{alert.pk}/").content.decode()
    assert "16 Apr 2026</text>" in page


def test_the_welsh_rule_page_names_a_default_pattern_in_welsh(client):
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get("/risk/rules/missing-and-exploitation/").content.decode()
    assert "Cyfnodau ar goll:" in page
