"""Front-door figures on a small known set of concerns: each percentage, not only the total."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cylch.concerns.metrics import front_door_metrics
from cylch.concerns.models import Concern
from cylch.concerns.services import concern_submit, decision_record
from tests.concerns.conftest import make_input
from tests.factories import ConcernFactory, PractitionerFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def known_set(school_lead):
    """Received over the last days: one decided in time, one decided late, one undecided and overdue, and one
    received just now (neither decided nor due)."""
    now = timezone.now()
    due = now - 24 * HOUR
    in_time = ConcernFactory(referrer=school_lead, received_at=now - 48 * HOUR, decision_due_at=due)
    Concern.objects.filter(pk=in_time.pk).update(decided_at=due - HOUR)
    late = ConcernFactory(referrer=school_lead, received_at=now - 48 * HOUR, decision_due_at=due)
    Concern.objects.filter(pk=late.pk).update(decided_at=due + HOUR)
    ConcernFactory(referrer=school_lead, received_at=now - 48 * HOUR, decision_due_at=due)
    ConcernFactory(referrer=school_lead, received_at=now, decision_due_at=now + 24 * HOUR)


def _figures():
    today = timezone.localdate()
    return front_door_metrics(since=today - datetime.timedelta(days=7), until=today)


@pytest.mark.usefixtures("known_set")
def test_an_undecided_overdue_concern_counts_as_not_decided_in_time():
    figures = _figures()
    assert figures.total == 4
    assert figures.decided_within_one_day == 33.3  # 1 in time of the 3 whose deadline has passed


def test_a_concern_not_yet_due_is_left_out_of_the_timeliness_figure(school_lead):
    ConcernFactory(referrer=school_lead, received_at=timezone.now())
    assert _figures().decided_within_one_day is None


def test_feedback_is_recorded_as_sent_only_when_a_message_was_queued(front_door):
    no_email = PractitionerFactory(email="")
    concern = concern_submit(submitter=no_email, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Below threshold.")
    concern.refresh_from_db()
    assert concern.decided_at is not None
    assert concern.feedback_sent_at is None


def test_a_referrer_without_email_counts_as_not_given_feedback(front_door):
    no_email = PractitionerFactory(email="")
    concern = concern_submit(submitter=no_email, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Below threshold.")
    Concern.objects.filter(pk=concern.pk).update(feedback_due_on=timezone.localdate())
    assert _figures().feedback_within_seven_days == 0.0


def test_the_metrics_page_charts_the_timeliness_percentages(client, front_door, known_set):
    client.force_login(front_door)
    response = client.get("/front-door/metrics/")
    [bar] = response.context["charts"]["Within timescale (%)"]
    assert (bar["label"], bar["n"], bar["width"]) == ("Decided within one working day", 33.3, 33.3)
