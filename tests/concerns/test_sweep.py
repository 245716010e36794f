"""The timescale sweep across a weekend and bank holidays (Christmas 2025), with fixed dates."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from cylch.concerns import tasks
from cylch.concerns.models import InformationRequest, TimescaleAction
from cylch.concerns.sweep import timescale_sweep
from cylch.concerns.tasks import sweep_schedule
from cylch.concerns.triage import challenge_raise, challenge_resolve, decision_record, information_request_respond
from cylch.core.working_days import add_working_days, working_deadline
from cylch.notifications.models import Notification
from tests.factories import AgencyFactory, ConcernFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
# Wednesday 24 December 2025, 15:00: Christmas Day, Boxing Day, a weekend and New Year's Day follow.
RECEIVED = datetime.datetime(2025, 12, 24, 15, 0, tzinfo=LONDON)


@pytest.fixture
def concern(school_lead, front_door, manager):
    return ConcernFactory(
        referrer=school_lead,
        received_at=RECEIVED,
        decision_due_at=working_deadline(RECEIVED, 1),
        feedback_due_on=add_working_days(RECEIVED.date(), 7),
    )


def at(day: int, month: int = 12, year: int = 2025, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, 0, tzinfo=LONDON)


def test_no_decision_is_overdue_over_christmas_and_the_weekend(concern):
    assert timescale_sweep(now=at(29)).decision_overdue == 0


def test_the_decision_is_overdue_after_the_first_working_day(concern):
    assert timescale_sweep(now=at(30)).decision_overdue == 1


def test_no_chase_on_the_sixth_working_day(concern):
    # Working days after 24 Dec: 29, 30, 31 Dec, 2, 5, 6 Jan -> 6 Jan is the sixth.
    assert timescale_sweep(now=at(6, 1, 2026)).chased == 0


def test_chase_on_the_seventh_working_day_tells_front_door_and_referrer(concern, front_door, school_lead):
    assert timescale_sweep(now=at(7, 1, 2026)).chased == 1
    assert Notification.objects.filter(template="feedback_chase", email=front_door.email).exists()
    assert Notification.objects.filter(template="referrer_chased", email=school_lead.email).exists()


def test_a_second_sweep_never_chases_twice(concern):
    timescale_sweep(now=at(7, 1, 2026))
    timescale_sweep(now=at(8, 1, 2026))
    assert TimescaleAction.objects.filter(kind="feedback_chase").count() == 1
    assert Notification.objects.filter(template="referrer_chased").count() == 1


def test_escalation_to_the_manager_on_the_tenth_working_day(concern, manager):
    assert timescale_sweep(now=at(9, 1, 2026)).escalated == 0
    assert timescale_sweep(now=at(12, 1, 2026)).escalated == 1
    assert Notification.objects.filter(template="escalation", email=manager.email).exists()


def test_a_decided_concern_is_not_chased(concern, front_door):
    decision_record(concern=concern, user=front_door, outcome="iaa", rationale="Advice given.")
    result = timescale_sweep(now=at(12, 1, 2026))
    assert (result.chased, result.escalated) == (0, 0)


def test_only_one_future_sweep_is_ever_scheduled():
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    assert sweep_schedule() is True
    assert sweep_schedule() is False
    assert DBTaskResult.objects.count() == 1


@pytest.fixture
def challenge(concern, front_door, school_lead):
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Below threshold.")
    return challenge_raise(concern=concern, user=school_lead, grounds="Third time this term.")


def test_an_unanswered_challenge_past_its_timescale_alerts_the_manager_once(challenge, manager):
    later = challenge.due_at + datetime.timedelta(minutes=1)
    assert timescale_sweep(now=later).challenges_overdue == 1
    assert timescale_sweep(now=later).challenges_overdue == 0
    assert Notification.objects.filter(template="challenge_overdue", email=manager.email).count() == 1


def test_a_challenge_within_its_timescale_is_not_chased(challenge):
    assert timescale_sweep(now=challenge.due_at - datetime.timedelta(minutes=1)).challenges_overdue == 0


def test_a_resolved_challenge_is_not_chased(challenge, manager):
    challenge_resolve(challenge=challenge, manager=manager, status="not_upheld", resolution="Decision stands.")
    assert timescale_sweep(now=challenge.due_at + datetime.timedelta(days=1)).challenges_overdue == 0


@pytest.fixture
def information_request(concern, front_door):
    return InformationRequest.objects.create(
        concern=concern,
        agency=AgencyFactory(email="health@agency.example"),
        question="When was the child last seen?",
        due_on=datetime.date(2025, 12, 29),
        requested_by=front_door,
    )


def test_an_overdue_information_request_chases_its_agency_once(information_request):
    assert timescale_sweep(now=at(30)).information_chased == 1
    assert timescale_sweep(now=at(31)).information_chased == 0
    [chase] = Notification.objects.filter(template="information_request_chase")
    assert chase.email == "health@agency.example"
    assert information_request.concern.reference in chase.body
    assert f"/information-requests/{information_request.pk}/" in chase.body
    assert "When was the child last seen?" not in chase.body  # the question stays in the service


def test_an_information_request_is_not_chased_on_its_due_date(information_request):
    assert timescale_sweep(now=at(29)).information_chased == 0


def test_an_answered_information_request_is_not_chased(information_request, front_door):
    information_request_respond(request=information_request, response="Seen on Monday.", user=front_door)
    assert timescale_sweep(now=at(30)).information_chased == 0


def test_the_sweep_task_schedules_the_next_sweep_even_when_it_fails(monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    DBTaskResult.objects.all().delete()
    monkeypatch.setattr(tasks, "timescale_sweep", broken)
    with pytest.raises(RuntimeError):
        tasks.timescale_sweep_task.call()
    assert DBTaskResult.objects.filter(task_path=tasks.timescale_sweep_task.module_path, status="READY").count() == 1
