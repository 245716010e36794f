"""Front-door figures on a small known set of concerns: each percentage, not only the total."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cylch.concerns.metrics import front_door_metrics
from cylch.concerns.models import Concern, InformationRequest, Outcome, ThresholdDecision
from cylch.concerns.services import concern_submit
from cylch.concerns.triage import decision_record
from tests.concerns.conftest import make_input
from tests.factories import AgencyFactory, ConcernFactory, ConcernSubjectFactory, PersonFactory, PractitionerFactory

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
def test_timeliness_is_out_of_the_concerns_decided():
    figures = _figures()
    assert figures.total == 4
    assert (figures.decided, figures.decided_in_time) == (2, 1)
    assert figures.decided_within_one_day == 50.0


@pytest.mark.usefixtures("known_set")
def test_the_concerns_still_open_are_counted_with_those_past_their_deadline():
    figures = _figures()
    assert (figures.still_open, figures.still_open_overdue) == (2, 1)


def test_no_percentage_while_nothing_is_decided(school_lead):
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
    assert (bar["label"], bar["n"], bar["width"]) == ("Decided within one working day", 50.0, 50.0)


def _child_concern(person, days_ago):
    concern = ConcernFactory(received_at=timezone.now() - datetime.timedelta(days=days_ago))
    ConcernSubjectFactory(concern=concern, person=person)
    return concern


def test_a_concern_about_a_child_referred_within_the_year_before_is_a_re_referral():
    child = PersonFactory()
    _child_concern(child, days_ago=200)
    _child_concern(child, days_ago=1)
    assert _figures().re_referrals_12_months == 1


def test_a_concern_about_a_child_last_referred_over_a_year_before_is_not_a_re_referral():
    child = PersonFactory()
    _child_concern(child, days_ago=400)
    _child_concern(child, days_ago=1)
    assert _figures().re_referrals_12_months == 0


def test_a_concern_about_two_re_referred_siblings_counts_once():
    older, younger = PersonFactory(), PersonFactory()
    _child_concern(older, days_ago=100)
    _child_concern(younger, days_ago=100)
    both = ConcernFactory(received_at=timezone.now() - datetime.timedelta(days=1))
    ConcernSubjectFactory(concern=both, person=older)
    ConcernSubjectFactory(concern=both, person=younger)
    assert _figures().re_referrals_12_months == 1


def test_an_adult_named_in_an_earlier_concern_does_not_make_a_re_referral():
    parent = PersonFactory()
    earlier = ConcernFactory(received_at=timezone.now() - datetime.timedelta(days=100))
    ConcernSubjectFactory(concern=earlier, person=parent, role="household_member")
    _child_concern(parent, days_ago=1)
    assert _figures().re_referrals_12_months == 0


def test_outcomes_count_each_concern_by_its_current_decision(front_door):
    concern = ConcernFactory(referrer=front_door)
    first = ThresholdDecision.objects.create(
        concern=concern, outcome=Outcome.NO_FURTHER_ACTION, rationale="No role.", decided_by=front_door
    )
    ThresholdDecision.objects.create(
        concern=concern,
        outcome=Outcome.EARLY_HELP,
        rationale="New information.",
        decided_by=front_door,
        decided_at=first.decided_at + HOUR,
        replaces=first,
        revision_reason="The school shared more.",
    )
    counts = dict(_figures().by_outcome)
    assert (counts[str(Outcome.EARLY_HELP.label)], counts[str(Outcome.NO_FURTHER_ACTION.label)]) == (1, 0)


def test_the_figures_take_the_same_number_of_queries_however_many_concerns():
    def queries():
        with CaptureQueriesContext(connection) as captured:
            _figures()
        return len(captured)

    for _ in range(2):
        _child_concern(PersonFactory(), days_ago=1)
    few = queries()
    for _ in range(6):
        _child_concern(PersonFactory(), days_ago=1)
    assert queries() == few


def _request(concern, agency, *, asked_days_ago: int, due_in_days: int, answered_days_ago: int | None):
    now, today = timezone.now(), timezone.localdate()
    return InformationRequest.objects.create(
        concern=concern,
        agency=agency,
        question="What do you know of the family?",
        due_on=today + datetime.timedelta(days=due_in_days),
        requested_by=concern.referrer,
        requested_at=now - datetime.timedelta(days=asked_days_ago),
        responded_at=None if answered_days_ago is None else now - datetime.timedelta(days=answered_days_ago),
        response="" if answered_days_ago is None else "Known to us.",
    )


@pytest.fixture
def requests_made(school_lead):
    """To the school: one answered before its due date, one answered after it, one unanswered past it, one not
    yet due; to a health board: one answered in time; and one made before the period, not counted."""
    concern = ConcernFactory(referrer=school_lead)
    school, health = AgencyFactory(name="Ysgol Gynradd"), AgencyFactory(name="Bwrdd Iechyd")
    _request(concern, school, asked_days_ago=5, due_in_days=-2, answered_days_ago=3)
    _request(concern, school, asked_days_ago=5, due_in_days=-3, answered_days_ago=1)
    _request(concern, school, asked_days_ago=5, due_in_days=-1, answered_days_ago=None)
    _request(concern, school, asked_days_ago=1, due_in_days=2, answered_days_ago=None)
    _request(concern, health, asked_days_ago=4, due_in_days=1, answered_days_ago=2)
    _request(concern, health, asked_days_ago=30, due_in_days=-20, answered_days_ago=None)
    return school, health


def test_information_requests_late_count_those_answered_after_the_due_date_or_unanswered_past_it(requests_made):
    figures = _figures()
    assert (figures.requests_made, figures.requests_due, figures.requests_late) == (5, 4, 2)


def test_information_requests_are_counted_for_each_agency_asked(requests_made):
    school, health = requests_made
    rows = {row.agency_id: (row.made, row.answered, row.due, row.late) for row in _figures().requests_by_agency}
    assert rows == {school.pk: (4, 2, 3, 2), health.pk: (1, 1, 1, 0)}
