"""The front door's decision page names a child's protection plan and a meeting about them still to come among
its checks (through CYLCH_DECISION_CHECKS, since concerns sits below meetings); a meeting held is not one."""

from __future__ import annotations

import datetime

from django.utils import timezone

from cylch.meetings.models import Meeting, Plan
from cylch.meetings.selectors import decision_checks_meetings
from tests.meetings.conftest import convene


def test_a_meeting_to_come_is_a_check_for_each_of_its_children(region):
    convene(region, when=timezone.now() + datetime.timedelta(days=3))
    names = {region.child.pk: "Cerys", region.sibling.pk: "Osian"}
    checks = decision_checks_meetings(children=names)
    assert [(c.check, c.child) for c in checks] == [("open_meeting", "Cerys"), ("open_meeting", "Osian")]
    assert "Strategy discussion" in checks[0].detail


def test_a_meeting_held_is_not_a_check(region):
    meeting = convene(region)
    Meeting.objects.filter(pk=meeting.pk).update(held=True)
    assert decision_checks_meetings(children={region.child.pk: "Cerys"}) == []


def test_a_child_without_meetings_or_a_plan_has_no_check(region):
    assert decision_checks_meetings(children={region.child.pk: "Cerys"}) == []


def test_a_current_protection_plan_is_a_check_and_an_ended_one_is_not(region):
    meeting = convene(region, "initial_conference", no_strategy_reason="Child moved into the area on a plan.")
    Meeting.objects.filter(pk=meeting.pk).update(held=True)
    plan = Plan.objects.create(person=region.child, started_by=meeting, started_on=timezone.localdate())
    assert [c.check for c in decision_checks_meetings(children={region.child.pk: "Cerys"})] == ["plan"]
    Plan.objects.filter(pk=plan.pk).update(ended_on=timezone.localdate())
    assert decision_checks_meetings(children={region.child.pk: "Cerys"}) == []


def test_a_meeting_booked_for_a_past_day_and_not_recorded_as_held_is_said_to_be_so(region):
    convene(region, when=timezone.now() - datetime.timedelta(days=7))
    checks = decision_checks_meetings(children={region.child.pk: "Cerys"})
    assert [c.check for c in checks] == ["open_meeting"]
    assert checks[0].detail.endswith("(booked, not recorded as held)")


def test_a_meeting_to_come_is_not_said_to_be_unrecorded(region):
    convene(region, when=timezone.now() + datetime.timedelta(days=3))
    assert "not recorded as held" not in decision_checks_meetings(children={region.child.pk: "Cerys"})[0].detail
