"""Action pages: the board adds an action (an owner required, named in the error), the owner records progress on
their work list, the board sees the region's overdue actions; other agencies are told the action does not exist."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cylch.accounts.models import RoleCode
from cylch.assurance.models import ActionStatus, ImprovementAction
from tests.assurance.factories import CycleFactory
from tests.assurance.factories_returns import ActionFactory
from tests.factories import AgencyFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def cycle():
    return CycleFactory()


@pytest.fixture
def owner(cycle):
    return PractitionerFactory(agency=AgencyFactory(local_authority__region=cycle.region))


def new_action(client, cycle, who, **changes):
    data = {
        "description": "Audit supervision records in every team",
        "owner_agency": who.agency.pk,
        "owner": who.pk,
        "due_on_day": "30",
        "due_on_month": "9",
        "due_on_year": "2025",
        **changes,
    }
    return client.post(reverse("assurance:action-new", args=[cycle.pk, "c2"]), data)


def test_the_board_adds_an_action_to_a_cs_plan(client, cycle, owner):
    response = new_action(signed_in(client, cycle.opened_by), cycle, owner)
    assert response.status_code == 302
    assert ImprovementAction.objects.get().assessment.component == "c2"


def test_an_action_without_an_owner_is_an_error_naming_the_owner(client, cycle, owner):
    response = new_action(signed_in(client, cycle.opened_by), cycle, owner, owner="")
    assert response.status_code == 400
    assert "Choose the owner of the action" in response.content.decode()
    assert not ImprovementAction.objects.exists()


@pytest.mark.parametrize(
    ("box", "value", "message"),
    [
        ("owner", "99999999999999999999", "Choose the owner from the list"),
        ("owner", "1\x00", "Choose the owner from the list"),
        ("description", "x" * 3000, "The action must be 2000 characters or fewer"),
        ("description", "a\x00b", "The action must not contain control characters"),
        ("due_on_year", "9" * 20, "Year must include 4 numbers"),
    ],
)
def test_hostile_input_on_a_new_action_is_refused_by_name(client, cycle, owner, box, value, message):
    response = new_action(signed_in(client, cycle.opened_by), cycle, owner, **{box: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImprovementAction.objects.exists()


def test_a_partner_cannot_add_an_action(client, cycle, owner):
    cycle.partner_agencies.add(owner.agency)
    assert new_action(signed_in(client, owner), cycle, owner).status_code == 403


def test_an_unknown_component_is_not_found(client, cycle):
    url = reverse("assurance:action-new", args=[cycle.pk, "c99"])
    assert signed_in(client, cycle.opened_by).get(url).status_code == 404


def test_the_owner_sees_the_action_in_their_work_list(client, owner):
    action = ActionFactory(owner=owner, owner_agency=owner.agency)
    page = signed_in(client, owner).get(reverse("assurance:actions")).content.decode()
    assert reverse("assurance:action", args=[action.pk]) in page


def test_another_agencys_action_is_not_in_the_work_list(client, owner):
    action = ActionFactory()
    page = signed_in(client, owner).get(reverse("assurance:actions")).content.decode()
    assert reverse("assurance:action", args=[action.pk]) not in page


def test_the_owner_completes_an_action_with_evidence(client, owner):
    action = ActionFactory(owner=owner, owner_agency=owner.agency)
    signed_in(client, owner).post(
        reverse("assurance:action", args=[action.pk]),
        {"status": "completed", "evidence_of_completion": "Audit report, May 2025"},
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED


def test_completing_without_evidence_names_the_evidence_box(client, owner):
    action = ActionFactory(owner=owner, owner_agency=owner.agency)
    response = signed_in(client, owner).post(
        reverse("assurance:action", args=[action.pk]), {"status": "completed", "evidence_of_completion": ""}
    )
    assert response.status_code == 400
    assert "Enter the evidence of completion" in response.content.decode()


def test_another_agency_is_told_the_action_does_not_exist(client):
    action = ActionFactory()
    response = signed_in(client, PractitionerFactory()).get(reverse("assurance:action", args=[action.pk]))
    assert response.status_code == 404


def test_a_governance_colleague_of_the_owning_agency_reads_the_action_without_a_progress_form(client, owner):
    action = ActionFactory(owner=owner, owner_agency=owner.agency)
    colleague = PractitionerFactory(agency=owner.agency, roles=[RoleCode.INFORMATION_GOVERNANCE])
    page = signed_in(client, colleague).get(reverse("assurance:action", args=[action.pk])).content.decode()
    assert 'data-testid="progress-read-only"' in page
    assert 'name="evidence_of_completion"' not in page


def test_the_owner_is_offered_the_progress_form(client, owner):
    action = ActionFactory(owner=owner, owner_agency=owner.agency)
    page = signed_in(client, owner).get(reverse("assurance:action", args=[action.pk])).content.decode()
    assert 'name="evidence_of_completion"' in page


def test_the_board_sees_overdue_actions_across_the_region(client, cycle):
    late = ActionFactory(assessment=cycle.assessments.get(component="c4"), due_on=datetime.date(2025, 1, 31))
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:actions-overdue")).content.decode()
    assert reverse("assurance:action", args=[late.pk]) in page


def test_an_action_not_yet_due_is_not_on_the_overdue_page(client, cycle):
    soon = ActionFactory(assessment=cycle.assessments.get(component="c4"), due_on=timezone.localdate())
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:actions-overdue")).content.decode()
    assert reverse("assurance:action", args=[soon.pk]) not in page


def test_a_practitioner_cannot_open_the_overdue_page(client, owner):
    assert signed_in(client, owner).get(reverse("assurance:actions-overdue")).status_code == 403


def test_the_board_changes_the_owner_before_sign_off(client, cycle, owner):
    action = ActionFactory(assessment=cycle.assessments.get(component="c4"))
    signed_in(client, cycle.opened_by).post(
        reverse("assurance:action-edit", args=[action.pk]),
        {
            "description": action.description,
            "owner_agency": owner.agency.pk,
            "owner": owner.pk,
            "due_on_day": "30",
            "due_on_month": "9",
            "due_on_year": "2025",
        },
    )
    action.refresh_from_db()
    assert action.owner == owner


def test_the_owners_open_action_is_on_the_home_page(client, owner):
    action = ActionFactory(owner=owner, owner_agency=owner.agency)
    page = signed_in(client, owner).get(reverse("home:home")).content.decode()
    assert reverse("assurance:action", args=[action.pk]) in page
