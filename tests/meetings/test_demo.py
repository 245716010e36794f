"""`cylch demo` plants meetings: strategy discussions, conferences and plans, some late, some minutes unshared."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from cylch.meetings.clocks import ClockCode, ClockState
from cylch.meetings.demo import demo_load
from cylch.meetings.models import Circulation, Meeting, Plan, PlanAction
from cylch.meetings.selectors import clocks_for_children
from cylch.synthetic import demo_work
from cylch.synthetic.capabilities import demo_loaders
from cylch.synthetic.services import DemoResult, demo_create


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[DemoResult]:
    """The region with the front door's work and the meetings only: other capabilities' loaders are theirs to test."""
    only = mock.patch("cylch.synthetic.capabilities.demo_loaders", return_value=[demo_work.demo_load, demo_load])
    with django_db_blocker.unblock(), transaction.atomic(), only:  # type: ignore[attr-defined]
        yield demo_create(reference_date=timezone.localdate())
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_meetings_loader_runs_with_the_demo():
    assert demo_load in demo_loaders()


def test_demo_plants_every_kind_of_meeting_in_the_process(demo):
    kinds = set(Meeting.objects.values_list("kind", flat=True))
    assert {"strategy_discussion", "initial_conference", "core_group", "review_conference"} <= kinds
    assert (
        demo.capabilities["meetings: strategy discussions"]
        == Meeting.objects.filter(kind="strategy_discussion").count()
    )


def test_demo_has_plans_running_and_one_ended(demo):
    assert Plan.objects.filter(ended_on__isnull=True).count() >= 3
    assert Plan.objects.filter(ended_on__isnull=False).exists()


def test_some_clocks_are_late_and_some_minutes_unshared(demo):
    children = Meeting.objects.values_list("children", flat=True)
    clocks = [c for found in clocks_for_children(set(children)).values() for c in found]
    states = {(c.code, c.state(timezone.localdate())) for c in clocks}
    assert (ClockCode.INITIAL_CONFERENCE, ClockState.LATE) in states
    assert (ClockCode.INITIAL_CONFERENCE, ClockState.MET) in states
    held_conferences = Meeting.objects.filter(kind="initial_conference", held=True)
    assert held_conferences.exclude(circulations__kind="minutes").exists()
    assert Circulation.objects.filter(kind="minutes").exists()


def test_a_plan_action_is_overdue_for_the_chase(demo):
    assert PlanAction.objects.filter(status="open", due_on__lt=timezone.localdate()).exists()
