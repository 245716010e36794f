"""Alert and rule pages, and the access matrix for alerts: a practitioner whose agency is not involved sees only
that an alert exists and whom to contact."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.utils.html import escape

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.audit.models import AccessLogEntry
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.risk.models import Alert, AlertStatus, RiskRule
from cylch.risk.services import alert_close, risk_evaluate
from tests.factories import AgencyFactory, InvolvementFactory, PractitionerFactory
from tests.risk.conftest import NOW, event

WNB = EventKind.WAS_NOT_BROUGHT
pytestmark = pytest.mark.usefixtures("now_is_fixed")


@pytest.fixture
def alert(db, baby, health_visiting):
    event(baby, WNB, days_ago=60, agency=health_visiting)
    event(baby, WNB, days_ago=5, agency=health_visiting)
    return risk_evaluate(people=[baby.pk]).raised[0]


@pytest.fixture
def front_door(db):
    return PractitionerFactory(roles=[RoleCode.FRONT_DOOR], agency=AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES))


@pytest.fixture
def involved(baby, health_visiting):
    practitioner = PractitionerFactory(agency=health_visiting)
    InvolvementFactory(person=baby, agency=health_visiting, practitioner=practitioner)
    return practitioner


@pytest.fixture
def uninvolved(db):
    return PractitionerFactory(agency=AgencyFactory(kind=AgencyKind.SCHOOL))


# --- the access matrix ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["front_door", "involved"])
def test_the_front_door_and_an_involved_practitioner_see_why_it_fired(client, alert, baby, request, who):
    client.force_login(request.getfixturevalue(who))
    page = client.get(f"/risk/alerts/{alert.pk}/").content.decode()
    assert alert.version.name in page
    assert escape(alert.version.rationale) in page
    assert "Was not brought to an appointment" in page
    assert str(baby) in page
    assert "<svg" in page


def test_an_uninvolved_practitioner_sees_only_that_an_alert_exists_and_whom_to_contact(client, alert, baby, uninvolved):
    client.force_login(uninvolved)
    page = client.get(f"/risk/alerts/{alert.pk}/").content.decode()
    assert "An alert is open about a child" in page
    assert alert.version.name not in page
    assert str(baby) not in page
    assert "Was not brought" not in page


def test_reading_an_alert_is_on_the_childs_access_log(client, alert, baby, uninvolved):
    client.force_login(uninvolved)
    client.get(f"/risk/alerts/{alert.pk}/")
    assert AccessLogEntry.objects.filter(person=baby, page="risk-alert", practitioner=uninvolved).exists()


def test_an_unknown_alert_is_404(client, front_door):
    client.force_login(front_door)
    assert client.get("/risk/alerts/999999/").status_code == 404
    assert client.get(f"/risk/alerts/{'9' * 20}/").status_code == 404


def test_the_single_view_shows_the_open_alert_to_an_involved_practitioner(client, alert, baby, involved):
    client.force_login(involved)
    page = client.get(f"/people/{baby.cylch_id}/").content.decode()
    assert f"/risk/alerts/{alert.pk}/" in page
    assert alert.version.name in page


def test_the_restricted_view_shows_only_that_an_alert_exists(client, alert, baby, uninvolved):
    client.force_login(uninvolved)
    page = client.get(f"/people/{baby.cylch_id}/").content.decode()
    assert "An alert is open about this person." in page
    assert alert.version.name not in page


def test_a_closed_alert_leaves_the_single_view(client, alert, baby, front_door):
    Alert.objects.filter(pk=alert.pk).update(status=AlertStatus.CLOSED, outcome="nfa", outcome_reason="Seen.")
    client.force_login(front_door)
    assert f"/risk/alerts/{alert.pk}/" not in client.get(f"/people/{baby.cylch_id}/").content.decode()


# --- the owner's work list, acknowledging and closing -----------------------------------------------------------
def test_the_front_door_work_list_has_the_alert(client, alert, front_door):
    client.force_login(front_door)
    assert f"/risk/alerts/{alert.pk}/" in client.get("/risk/alerts/").content.decode()


def test_another_agencys_work_list_does_not(client, alert, involved):
    client.force_login(involved)
    assert f"/risk/alerts/{alert.pk}/" not in client.get("/risk/alerts/").content.decode()


def test_the_owner_acknowledges_and_closes(client, alert, front_door):
    client.force_login(front_door)
    client.post(f"/risk/alerts/{alert.pk}/acknowledge/")
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED
    response = client.post(f"/risk/alerts/{alert.pk}/close/", {"outcome": "meeting", "reason": "Strategy meeting."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert (alert.status, alert.closed_by, alert.outcome_reason) == (
        AlertStatus.CLOSED,
        front_door,
        "Strategy meeting.",
    )


def test_closing_without_a_reason_is_a_form_error(client, alert, front_door):
    client.force_login(front_door)
    response = client.post(f"/risk/alerts/{alert.pk}/close/", {"outcome": "nfa", "reason": ""})
    assert response.status_code == 400
    assert "Enter why the alert can be closed" in response.content.decode()


def test_an_involved_practitioner_of_another_agency_cannot_close(client, alert, involved):
    client.force_login(involved)
    response = client.post(f"/risk/alerts/{alert.pk}/close/", {"outcome": "nfa", "reason": "Fine."})
    assert response.status_code == 403


def test_an_uninvolved_practitioner_cannot_acknowledge(client, alert, uninvolved):
    client.force_login(uninvolved)
    assert client.post(f"/risk/alerts/{alert.pk}/acknowledge/").status_code == 403


# --- rules ------------------------------------------------------------------------------------------------------
@pytest.fixture
def board(db):
    return PractitionerFactory(roles=[RoleCode.BOARD_OFFICER])


def test_every_rule_is_listed(client, board):
    client.force_login(board)
    page = client.get("/risk/rules/").content.decode()
    for rule in RiskRule.objects.select_related("current"):
        assert rule.current.name in page


def test_the_board_officer_writes_a_new_version(client, board):
    client.force_login(board)
    rule = RiskRule.objects.select_related("current").get(code="missing-and-exploitation")
    definition = dict(rule.current.definition, window_days=180)
    response = client.post(
        "/risk/rules/missing-and-exploitation/",
        {
            "name": rule.current.name,
            "rationale": rule.current.rationale,
            "research": rule.current.research,
            "definition": json.dumps(definition),
            "active": "on",
            "change_note": "Six months, as the police asked.",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.current.number, rule.current.definition["window_days"]) == (2, 180)


def test_an_invalid_definition_is_a_form_error_naming_it(client, board):
    client.force_login(board)
    response = client.post(
        "/risk/rules/missing-and-exploitation/",
        {"name": "x", "rationale": "x", "research": "x", "definition": '{"scope": "town"}', "change_note": "x"},
    )
    assert response.status_code == 400
    assert "scope must be person or household" in response.content.decode()


def test_a_front_door_practitioner_cannot_edit_rules(client, front_door):
    client.force_login(front_door)
    assert client.post("/risk/rules/missing-and-exploitation/", {"name": "x"}).status_code == 403


def test_try_before_live_counts_the_alerts_and_names_the_children(client, baby, health_visiting, board):
    event(baby, WNB, days_ago=60, agency=health_visiting)
    event(baby, WNB, days_ago=20, agency=health_visiting)
    client.force_login(board)
    page = client.get("/risk/rules/wnb-young-or-registered/trial/", {"months": "6"}).content.decode()
    assert "1 alert would have been raised" in page
    assert baby.cylch_id in page


def test_only_the_board_officer_tries_rules(client, front_door):
    client.force_login(front_door)
    assert client.get("/risk/rules/wnb-young-or-registered/trial/", {"months": "6"}).status_code == 403


# --- a Was Not Brought recorded by hand -------------------------------------------------------------------------
def _missed_form(**changes):
    day = NOW.date() - datetime.timedelta(days=3)
    form = {
        "occurred_on_day": str(day.day),
        "occurred_on_month": str(day.month),
        "occurred_on_year": str(day.year),
        "service": "Health visitor 2-year review",
        "follow_up": "phoned",
    }
    return form | changes


def test_an_involved_practitioner_records_a_was_not_brought_with_the_follow_up(client, baby, involved):
    client.force_login(involved)
    response = client.post(f"/risk/was-not-brought/{baby.cylch_id}/", _missed_form())
    assert response.status_code == 302
    recorded = ChronologyEvent.objects.get(person=baby, kind=WNB, recorded_by=involved)
    assert recorded.details == {"service": "Health visitor 2-year review", "follow_up": "phoned", "source": "manual"}
    assert recorded.agency == involved.agency
    assert AccessLogEntry.objects.filter(person=baby, page="was-not-brought", practitioner=involved).exists()


def test_the_single_view_links_to_recording_one(client, baby, involved):
    client.force_login(involved)
    assert f"/risk/was-not-brought/{baby.cylch_id}/" in client.get(f"/people/{baby.cylch_id}/").content.decode()


def test_an_uninvolved_practitioner_cannot_record_one(client, baby, uninvolved):
    client.force_login(uninvolved)
    assert client.post(f"/risk/was-not-brought/{baby.cylch_id}/", _missed_form()).status_code == 403
    assert not ChronologyEvent.objects.filter(person=baby, kind=WNB).exists()


def test_the_follow_up_is_required(client, baby, involved):
    client.force_login(involved)
    response = client.post(f"/risk/was-not-brought/{baby.cylch_id}/", _missed_form(follow_up=""))
    assert response.status_code == 400
    assert "Select what you did" in response.content.decode()


def test_a_future_appointment_cannot_have_been_missed(client, baby, involved):
    client.force_login(involved)
    response = client.post(f"/risk/was-not-brought/{baby.cylch_id}/", _missed_form(occurred_on_year="2099"))
    assert response.status_code == 400
    assert not ChronologyEvent.objects.filter(person=baby, kind=WNB).exists()


def test_the_second_one_by_hand_raises_the_alert(client, baby, involved, django_capture_on_commit_callbacks):
    event(baby, WNB, days_ago=60)
    client.force_login(involved)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/risk/was-not-brought/{baby.cylch_id}/", _missed_form())
    assert Alert.objects.filter(rule__code="wnb-young-or-registered", subjects__person=baby).exists()


# --- the dashboard ----------------------------------------------------------------------------------------------
def test_the_dashboard_counts_alerts_outcomes_and_was_not_brought(client, alert, board, front_door):
    alert_close(alert=alert, user=front_door, outcome="referred", reason="Referred.")
    client.force_login(board)
    page = client.get("/risk/dashboard/").content.decode()
    assert alert.version.name in page
    assert "Referred to the front door" in page


def test_the_dashboard_csv_has_a_row_per_figure(client, alert, board):
    client.force_login(board)
    response = client.get("/risk/dashboard.csv", {"months": "24"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["alerts_by_rule", alert.version.name, "1", "1", "", ""] in rows
    assert any(row[0] == "was_not_brought_by_service" and row[2] == "2" for row in rows)


def test_a_practitioner_cannot_see_the_dashboard(client, involved):
    client.force_login(involved)
    assert client.get("/risk/dashboard/").status_code == 403
