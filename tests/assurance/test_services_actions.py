"""A C's action plan: the board adds and edits actions with a named owner before sign-off; the owner, the owning
agency or the board record progress, also after sign-off; completed needs evidence; every change is a revision."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cylch.accounts.models import RoleCode
from cylch.assurance.models import ActionStatus, Component, ImprovementAction, Revision
from cylch.assurance.services.actions import action_add, action_progress, action_update
from tests.assurance.factories import CycleFactory, board_officer
from tests.assurance.factories_returns import ActionFactory
from tests.factories import AgencyFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

DUE = datetime.date(2025, 9, 30)


@pytest.fixture
def cycle():
    return CycleFactory()


@pytest.fixture
def assessment(cycle):
    return cycle.assessments.get(component=Component.C3)


@pytest.fixture
def owner(cycle):
    return PractitionerFactory(agency=AgencyFactory(local_authority__region=cycle.region))


def add(assessment, who, **overrides):
    values = {
        "user": assessment.cycle.opened_by,
        "description": "Refresher training for designated leads",
        "owner_agency": who.agency,
        "owner": who,
        "due_on": DUE,
        **overrides,
    }
    return action_add(assessment=assessment, **values)


def refused(assessment, who, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        add(assessment, who, **overrides)
    assert not ImprovementAction.objects.exists()
    return excinfo.value.message_dict


def signed_off(cycle):
    cycle.signed_off_at, cycle.signed_off_by = timezone.now(), cycle.opened_by
    cycle.save()


def test_the_board_adds_an_action_not_started(assessment, owner):
    action = add(assessment, owner)
    assert (action.owner, action.status) == (owner, ActionStatus.NOT_STARTED)


def test_adding_an_action_writes_a_revision_against_its_c(assessment, owner):
    action = add(assessment, owner)
    revision = Revision.objects.get(subject="action", subject_id=action.pk)
    assert (revision.component, revision.agency) == ("c3", owner.agency)


def test_an_action_without_an_owner_is_refused_by_name(assessment, owner):
    errors = refused(assessment, owner, owner=None)
    assert errors == {"owner": ["Choose the owner of the action: every action needs a named owner"]}


def test_an_action_without_an_owning_agency_is_refused(assessment, owner):
    assert "owner_agency" in refused(assessment, owner, owner_agency=None)


def test_an_owner_from_another_agency_is_refused(assessment, owner):
    other = AgencyFactory(local_authority=owner.agency.local_authority)
    assert list(refused(assessment, owner, owner_agency=other)) == ["owner"]


def test_an_owning_agency_outside_the_region_is_refused(assessment):
    stranger = PractitionerFactory()
    assert "owner_agency" in refused(assessment, stranger, owner_agency=stranger.agency)


def test_an_owner_who_has_left_is_refused(assessment, owner):
    owner.is_active = False
    owner.save()
    assert list(refused(assessment, owner)) == ["owner"]


def test_an_action_without_a_description_is_refused(assessment, owner):
    assert refused(assessment, owner, description="   ") == {"description": ["Enter the action"]}


def test_an_action_without_a_due_date_is_refused(assessment, owner):
    assert refused(assessment, owner, due_on=None) == {"due_on": ["Enter the due date"]}


def test_an_action_due_before_the_cycle_is_refused(assessment, owner):
    assert list(refused(assessment, owner, due_on=datetime.date(2020, 1, 1))) == ["due_on"]


def test_a_partner_cannot_add_an_action(assessment, owner):
    with pytest.raises(PermissionDenied):
        add(assessment, owner, user=owner)


def test_no_action_is_added_after_sign_off(cycle, assessment, owner):
    signed_off(cycle)
    with pytest.raises(ValidationError, match="signed off"):
        add(assessment, owner)


def test_the_board_changes_an_actions_due_date_and_its_chase_starts_again(assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner, chased_at=timezone.now())
    action_update(
        action=action,
        user=assessment.cycle.opened_by,
        description=action.description,
        owner_agency=owner.agency,
        owner=owner,
        due_on=DUE + datetime.timedelta(days=30),
    )
    action.refresh_from_db()
    assert (action.due_on, action.chased_at) == (DUE + datetime.timedelta(days=30), None)


def test_the_plan_cannot_be_changed_after_sign_off(cycle, assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    signed_off(cycle)
    with pytest.raises(ValidationError):
        action_update(
            action=action, user=cycle.opened_by, description="x", owner_agency=owner.agency, owner=owner, due_on=DUE
        )


def test_the_owner_records_progress(assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    action_progress(action=action, user=owner, status=ActionStatus.IN_PROGRESS, evidence_of_completion="")
    action.refresh_from_db()
    assert (action.status, action.updated_by) == (ActionStatus.IN_PROGRESS, owner)


def test_a_colleague_in_the_owning_agency_records_progress(assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    colleague = PractitionerFactory(agency=owner.agency)
    action_progress(action=action, user=colleague, status=ActionStatus.IN_PROGRESS, evidence_of_completion="")
    assert ImprovementAction.objects.get().status == ActionStatus.IN_PROGRESS


def test_another_agency_cannot_record_progress(assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    with pytest.raises(PermissionDenied):
        action_progress(action=action, user=PractitionerFactory(), status="in_progress", evidence_of_completion="")


def test_a_board_officer_of_another_region_cannot_record_progress(assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    with pytest.raises(PermissionDenied):
        action_progress(action=action, user=board_officer(), status="in_progress", evidence_of_completion="")


def test_completing_without_evidence_is_refused_by_name(assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    with pytest.raises(ValidationError) as excinfo:
        action_progress(action=action, user=owner, status=ActionStatus.COMPLETED, evidence_of_completion="  ")
    assert list(excinfo.value.message_dict) == ["evidence_of_completion"]
    assert ImprovementAction.objects.get().status == ActionStatus.NOT_STARTED


def test_completing_with_evidence_records_the_day(assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    action_progress(action=action, user=owner, status="completed", evidence_of_completion="Attendance register")
    action.refresh_from_db()
    assert action.completed_on == timezone.localdate()


def test_an_unknown_status_is_refused(assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    with pytest.raises(ValidationError) as excinfo:
        action_progress(action=action, user=owner, status="done\x00", evidence_of_completion="")
    assert list(excinfo.value.message_dict) == ["status"]


def test_progress_is_still_recorded_after_sign_off(cycle, assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    signed_off(cycle)
    action_progress(action=action, user=owner, status="completed", evidence_of_completion="Audit of 20 files")
    assert ImprovementAction.objects.get().status == ActionStatus.COMPLETED


def test_progress_after_sign_off_is_in_the_history(cycle, assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    signed_off(cycle)
    action_progress(action=action, user=owner, status="in_progress", evidence_of_completion="")
    assert Revision.objects.get(subject="action", subject_id=action.pk).summary == "Progress recorded: In progress"


def test_reopening_a_completed_action_clears_its_completion_day(assessment, owner):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    action_progress(action=action, user=owner, status="completed", evidence_of_completion="Done")
    action_progress(action=action, user=owner, status="in_progress", evidence_of_completion="Done")
    action.refresh_from_db()
    assert action.completed_on is None


@pytest.mark.parametrize("role", [RoleCode.FRONT_DOOR, RoleCode.INFORMATION_GOVERNANCE])
def test_a_colleague_without_a_contributing_role_cannot_record_progress(assessment, owner, role):
    action = ActionFactory(assessment=assessment, owner_agency=owner.agency, owner=owner)
    colleague = PractitionerFactory(agency=owner.agency, roles=[role])
    with pytest.raises(PermissionDenied):
        action_progress(action=action, user=colleague, status=ActionStatus.IN_PROGRESS, evidence_of_completion="")
    assert ImprovementAction.objects.get().status == ActionStatus.NOT_STARTED
