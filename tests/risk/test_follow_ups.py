"""The Was Not Brought protocol: a child not brought twice to one service is followed up by that service within a
set number of working days, and the service records what it did."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from cylch.chronology.models import EventKind
from cylch.core.working_days import working_deadline
from cylch.notifications.models import Notification
from cylch.risk.models import WasNotBroughtFollowUp
from cylch.risk.services import (
    FOLLOW_UP_WINDOW_DAYS,
    FOLLOW_UP_WORKING_DAYS,
    was_not_brought_follow_up_record,
    was_not_brought_follow_ups_raise,
)
from tests.factories import AgencyFactory, InvolvementFactory, PractitionerFactory
from tests.risk.conftest import NOW, event

WNB = EventKind.WAS_NOT_BROUGHT
pytestmark = pytest.mark.usefixtures("now_is_fixed")


@pytest.fixture
def nurse(baby, health_visiting):
    practitioner = PractitionerFactory(agency=health_visiting)
    InvolvementFactory(person=baby, agency=health_visiting, practitioner=practitioner)
    return practitioner


def test_twice_from_one_service_raises_a_follow_up_due_in_working_days(baby, health_visiting):
    first = event(baby, WNB, days_ago=40, agency=health_visiting)
    second = event(baby, WNB, days_ago=2, agency=health_visiting)
    [follow_up] = was_not_brought_follow_ups_raise(people=[baby.pk])
    assert follow_up.agency == health_visiting
    assert follow_up.due_at == working_deadline(NOW, FOLLOW_UP_WORKING_DAYS)
    assert set(follow_up.events.all()) == {first, second}
    assert Notification.objects.filter(email=health_visiting.email, template="risk_was_not_brought_follow_up").exists()


def test_once_raises_nothing(baby, health_visiting):
    event(baby, WNB, days_ago=2, agency=health_visiting)
    assert was_not_brought_follow_ups_raise(people=[baby.pk]) == []


def test_twice_from_two_services_raises_nothing(baby, health_visiting):
    event(baby, WNB, days_ago=40, agency=health_visiting)
    event(baby, WNB, days_ago=2, agency=AgencyFactory())
    assert was_not_brought_follow_ups_raise(people=[baby.pk]) == []


def test_a_miss_outside_the_window_does_not_count(baby, health_visiting):
    event(baby, WNB, days_ago=FOLLOW_UP_WINDOW_DAYS + 1, agency=health_visiting)
    event(baby, WNB, days_ago=2, agency=health_visiting)
    assert was_not_brought_follow_ups_raise() == []


def test_a_third_miss_joins_the_open_follow_up(baby, health_visiting):
    event(baby, WNB, days_ago=40, agency=health_visiting)
    event(baby, WNB, days_ago=20, agency=health_visiting)
    [follow_up] = was_not_brought_follow_ups_raise(people=[baby.pk])
    third = event(baby, WNB, days_ago=1, agency=health_visiting)
    assert was_not_brought_follow_ups_raise(people=[baby.pk]) == []
    assert third in follow_up.events.all()
    assert WasNotBroughtFollowUp.objects.count() == 1


def test_a_miss_recorded_with_its_follow_up_needs_no_other(baby, health_visiting):
    event(baby, WNB, days_ago=40, agency=health_visiting)
    event(baby, WNB, days_ago=2, agency=health_visiting, follow_up="phoned")
    assert was_not_brought_follow_ups_raise(people=[baby.pk]) == []


def test_the_service_records_what_it_did(baby, health_visiting, nurse):
    event(baby, WNB, days_ago=40, agency=health_visiting)
    event(baby, WNB, days_ago=2, agency=health_visiting)
    was_not_brought_follow_ups_raise(people=[baby.pk])
    done = was_not_brought_follow_up_record(user=nurse, person=baby, follow_up="visited", note="Seen at home.")
    assert (done.done_at, done.done_by, done.follow_up, done.note) == (NOW, nurse, "visited", "Seen at home.")


def test_another_service_has_no_follow_up_to_record(baby, health_visiting):
    event(baby, WNB, days_ago=40, agency=health_visiting)
    event(baby, WNB, days_ago=2, agency=health_visiting)
    was_not_brought_follow_ups_raise(people=[baby.pk])
    gp = PractitionerFactory()
    InvolvementFactory(person=baby, agency=gp.agency, practitioner=gp)
    with pytest.raises(ValidationError):
        was_not_brought_follow_up_record(user=gp, person=baby, follow_up="phoned")
    assert WasNotBroughtFollowUp.objects.get().done_at is None


def test_the_follow_up_page_answers_it_and_the_work_list_shows_it(client, baby, health_visiting, nurse):
    event(baby, WNB, days_ago=40, agency=health_visiting)
    event(baby, WNB, days_ago=2, agency=health_visiting)
    was_not_brought_follow_ups_raise(people=[baby.pk])
    client.force_login(nurse)
    worklist = client.get("/risk/alerts/").content.decode()
    assert f"/risk/was-not-brought/{baby.cylch_id}/" in worklist
    page = client.get(f"/risk/was-not-brought/{baby.cylch_id}/").content.decode()
    assert "Follow-up due: not brought twice" in page
    response = client.post(f"/risk/was-not-brought/{baby.cylch_id}/", {"action": "follow-up", "follow_up": "rebooked"})
    assert response.status_code == 302
    assert WasNotBroughtFollowUp.objects.get().follow_up == "rebooked"


def test_the_follow_up_form_names_the_missing_choice(client, baby, health_visiting, nurse):
    event(baby, WNB, days_ago=40, agency=health_visiting)
    event(baby, WNB, days_ago=2, agency=health_visiting)
    was_not_brought_follow_ups_raise(people=[baby.pk])
    client.force_login(nurse)
    response = client.post(f"/risk/was-not-brought/{baby.cylch_id}/", {"action": "follow-up"})
    assert response.status_code == 400
    assert "Select what you did" in response.content.decode()
    assert WasNotBroughtFollowUp.objects.get().done_at is None


def test_recording_a_miss_by_hand_answers_the_open_follow_up(client, baby, health_visiting, nurse):
    event(baby, WNB, days_ago=40, agency=health_visiting)
    event(baby, WNB, days_ago=20, agency=health_visiting)
    was_not_brought_follow_ups_raise(people=[baby.pk])
    client.force_login(nurse)
    day = (NOW - datetime.timedelta(days=1)).date()
    form = {
        "occurred_on_day": str(day.day),
        "occurred_on_month": str(day.month),
        "occurred_on_year": str(day.year),
        "service": "Health visitor 1-year review",
        "follow_up": "discussed",
    }
    assert client.post(f"/risk/was-not-brought/{baby.cylch_id}/", form).status_code == 302
    assert WasNotBroughtFollowUp.objects.get().follow_up == "discussed"
