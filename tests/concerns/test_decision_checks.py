"""Checks before a threshold decision: a child on the register, looked after or with an allocated social worker,
or an information request unanswered, is said on the decision page, and a decision below the statutory level
then needs a reason; the allocated social worker hears of every new concern about their child."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.audit.models import AccessLogEntry
from cylch.concerns.models import ThresholdDecision
from cylch.concerns.selectors import decision_checks
from cylch.concerns.services import concern_submit
from cylch.concerns.triage import decision_record, information_request_create
from cylch.notifications.models import Notification
from tests.concerns.conftest import make_input
from tests.factories import AgencyFactory, InvolvementFactory, PractitionerFactory, StatutoryStatusFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(school_lead):
    return concern_submit(submitter=school_lead, data=make_input()).concern


def _child(concern):
    return concern.subjects.get(role="child").person


def _decide(client, concern, **answers):
    return client.post(f"/concerns/{concern.reference}/", {"action": "decision", **answers})


def test_a_child_on_the_register_is_said_on_the_decision_page(client, front_door, concern):
    StatutoryStatusFactory(person=_child(concern), kind="cp_register", category="NEG")
    client.force_login(front_door)
    html = client.get(f"/concerns/{concern.reference}/?section=decision").content.decode()
    assert 'data-testid="decision-checks"' in html
    assert "Cerys Jones is on the child protection register (Neglect)." in html


def test_early_help_for_a_child_on_the_register_needs_a_reason(client, front_door, concern):
    StatutoryStatusFactory(person=_child(concern))
    client.force_login(front_door)
    response = _decide(client, concern, outcome="early_help", rationale="Family support.")
    assert response.status_code == 200
    assert "below_statutory_reason" in response.context["decision_form"].errors
    assert not ThresholdDecision.objects.exists()


def test_early_help_for_a_child_on_the_register_is_recorded_with_the_reason_and_the_checks(client, front_door, concern):
    StatutoryStatusFactory(person=_child(concern))
    client.force_login(front_door)
    _decide(
        client, concern, outcome="early_help", rationale="Family support.", below_statutory_reason="Plan covers it."
    )
    decision = ThresholdDecision.objects.get()
    assert decision.below_statutory_reason == "Plan covers it."
    assert decision.checks_shown == [{"check": "register", "child": "Cerys Jones", "detail": "Neglect"}]


def test_a_statutory_decision_needs_no_extra_reason(client, front_door, concern):
    StatutoryStatusFactory(person=_child(concern))
    client.force_login(front_door)
    _decide(client, concern, outcome="strategy_discussion", rationale="Significant harm likely.")
    assert ThresholdDecision.objects.get().below_statutory_reason == ""


def test_without_checks_the_page_warns_of_nothing_and_early_help_needs_no_extra_reason(client, front_door, concern):
    client.force_login(front_door)
    page = client.get(f"/concerns/{concern.reference}/?section=decision").content.decode()
    assert 'data-testid="decision-checks"' not in page
    _decide(client, concern, outcome="early_help", rationale="Family support.")
    assert ThresholdDecision.objects.get().checks_shown == []


def test_the_service_refuses_no_further_action_without_a_reason_for_a_looked_after_child(front_door, concern):
    StatutoryStatusFactory(person=_child(concern), kind="looked_after", category="")
    with pytest.raises(ValidationError):
        decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Nothing to do.")


def test_an_ended_status_is_not_a_check(concern):
    StatutoryStatusFactory(person=_child(concern), end_date=timezone.localdate().replace(year=2024))
    assert decision_checks(concern=concern) == []


def test_an_allocated_social_worker_and_an_open_request_are_checks(front_door, concern):
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES)
    worker = PractitionerFactory(agency=council, first_name="Siân", last_name="Gweithiwr")
    InvolvementFactory(person=_child(concern), agency=council, practitioner=worker)
    information_request_create(
        concern=concern, agency=AgencyFactory(), question="Known?", due_on=timezone.localdate(), requested_by=front_door
    )
    assert {(c.check, c.detail) for c in decision_checks(concern=concern)} == {
        ("social_worker", "Siân Gweithiwr"),
        ("open_requests", "1"),
    }


def test_the_allocated_social_worker_is_told_of_a_new_concern_without_its_text(school_lead):
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES)
    worker = PractitionerFactory(agency=council, roles=[RoleCode.LEAD_PRACTITIONER], email="sw@council.example")
    first = concern_submit(submitter=school_lead, data=make_input()).concern
    InvolvementFactory(person=_child(first), agency=council, practitioner=worker)
    second = concern_submit(submitter=school_lead, data=make_input(what_happened="Bruises on both arms.")).concern
    [told] = Notification.objects.filter(template="concern_about_allocated_child")
    assert told.recipient == worker
    assert second.reference in told.body
    assert f"/concerns/{second.reference}/" in told.body
    assert "Bruises" not in told.body
    assert "Cerys" not in told.body


def test_another_agencys_practitioner_is_not_told_as_a_social_worker(school_lead):
    person = concern_submit(submitter=school_lead, data=make_input()).concern
    InvolvementFactory(person=_child(person), practitioner=PractitionerFactory())  # a health visitor, not a council
    concern_submit(submitter=school_lead, data=make_input())
    assert not Notification.objects.filter(template="concern_about_allocated_child").exists()


def test_the_audit_entry_says_the_decision_went_below_the_statutory_level_despite_the_checks(front_door, concern):
    StatutoryStatusFactory(person=_child(concern))
    decision_record(
        concern=concern, user=front_door, outcome="early_help", rationale="Support.", below_statutory_reason="Plan."
    )
    [entry] = AccessLogEntry.objects.filter(page="threshold-decision")
    assert entry.details["below_statutory_despite"] == ["register"]
