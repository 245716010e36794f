"""`GET /api/v1/meetings?child=` and `GET /api/v1/plans/{id}`: the same access rule as the pages, audited."""

from __future__ import annotations

import pytest

from cylch.audit.models import AccessLogEntry
from cylch.meetings.models import Plan
from cylch.meetings.services import decision_record, meeting_hold, plan_version_save
from tests.factories import api_key
from tests.meetings.conftest import convene, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(region):
    meeting = convene(region, "initial_conference", no_strategy_reason="Transferred in.", when=days_ago(2))
    meeting_hold(meeting=meeting, user=region.chair, attendance={}, child_views="Wants to stay.", minutes="Agreed.")
    decision_record(
        meeting=meeting,
        user=region.chair,
        kind="register",
        person=region.child,
        category="PHY",
        rationale="Physical harm.",
    )
    found = Plan.objects.get(person=region.child)
    plan_version_save(plan=found, user=region.chair, outcomes="Safe at home.", contingency="Legal meeting.")
    return found


def get(client, practitioner, url):
    return client.get(url, HTTP_AUTHORIZATION=f"Token {api_key(practitioner)}")


def test_an_invitee_gets_the_child_s_meetings(client, region, plan):
    response = get(client, region.officer, f"/api/v1/meetings?child={region.child.cylch_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["detail_allowed"] is True
    assert [m["kind"] for m in body["meetings"]] == ["initial_conference"]
    assert body["meetings"][0]["decisions"][0] | {"recorded_at": None} == {
        "kind": "register",
        "child": region.child.cylch_id,
        "category": "PHY",
        "rationale": "Physical harm.",
        "dissent": "",
        "recorded_at": None,
    }


def test_a_practitioner_not_invited_gets_no_meetings(client, region, plan):
    body = get(client, region.outsider, f"/api/v1/meetings?child={region.child.cylch_id}").json()
    assert (body["detail_allowed"], body["meetings"]) == (False, [])


def test_the_meetings_call_is_on_the_child_s_access_log(client, region, plan):
    get(client, region.officer, f"/api/v1/meetings?child={region.child.cylch_id}")
    assert AccessLogEntry.objects.filter(practitioner=region.officer, person=region.child, page="api-meetings").exists()


def test_a_missing_child_parameter_names_the_field(client, region):
    response = get(client, region.officer, "/api/v1/meetings")
    assert response.status_code == 400
    assert "child" in response.json()


def test_an_unknown_child_is_404(client, region):
    assert get(client, region.officer, "/api/v1/meetings?child=T000000000").status_code == 404


def test_the_plan_for_its_circle(client, region, plan):
    body = get(client, region.visitor, f"/api/v1/plans/{plan.pk}").json()
    assert (body["child"], body["version"], body["outcomes"]) == (region.child.cylch_id, 1, "Safe at home.")


def test_the_plan_is_refused_outside_its_circle(client, region, plan):
    assert get(client, region.outsider, f"/api/v1/plans/{plan.pk}").status_code == 403


def test_an_unknown_plan_is_404(client, region):
    assert get(client, region.officer, "/api/v1/plans/999999").status_code == 404


def test_anonymous_calls_are_refused(client, plan):
    assert client.get(f"/api/v1/plans/{plan.pk}").status_code in {401, 403}
