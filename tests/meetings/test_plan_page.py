"""The plan page's forms: a rejected action or plan change re-shows the plan with the errors and what was typed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cylch.meetings.models import Plan
from cylch.meetings.services import decision_record, meeting_hold
from tests.meetings.conftest import convene, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(region):
    meeting = convene(region, "initial_conference", no_strategy_reason="Transferred in.", when=days_ago(2))
    meeting_hold(meeting=meeting, user=region.chair, attendance={}, child_views="Wants to stay.", minutes="Agreed.")
    decision_record(
        meeting=meeting, user=region.chair, kind="register", person=region.child, category="EMO", rationale="Harm."
    )
    return Plan.objects.get(person=region.child)


def test_an_action_without_a_description_re_shows_the_plan_with_the_error_and_the_due_date_kept(client, region, plan):
    client.force_login(region.chair)
    response = client.post(
        reverse("meetings:plan-action", args=[plan.pk]),
        {"description": "", "due_on_day": "3", "due_on_month": "2", "due_on_year": "2031"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter what will be done" in page
    assert "govuk-error-summary" in page
    assert 'value="2031"' in page


def test_a_plan_change_without_outcomes_re_shows_the_plan_with_the_error_and_the_contingency_kept(client, region, plan):
    client.force_login(region.chair)
    response = client.post(
        reverse("meetings:plan-version", args=[plan.pk]), {"outcomes": "", "contingency": "Legal planning meeting."}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter the outcomes for the child" in page
    assert "Legal planning meeting." in page
