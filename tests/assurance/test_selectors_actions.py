"""Who sees which actions: the board its region's, an owner and the owning agency theirs; the work list puts the
owner's own first; overdue means open and past its due date."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from cylch.assurance.models import ImprovementAction
from cylch.assurance.selectors.actions import action_get, assessment_actions, my_actions, overdue_actions
from tests.assurance.factories import board_officer
from tests.assurance.factories_returns import ActionFactory
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 10, 1)


def test_the_board_sees_every_action_of_a_c():
    action = ActionFactory()
    assert list(assessment_actions(user=action.assessment.cycle.opened_by, assessment=action.assessment)) == [action]


def test_a_partner_sees_only_its_own_agencys_actions_of_a_c():
    action = ActionFactory()
    other = ActionFactory(assessment=action.assessment)
    colleague = PractitionerFactory(agency=action.owner_agency)
    assert list(assessment_actions(user=colleague, assessment=action.assessment)) == [action]
    assert other not in assessment_actions(user=colleague, assessment=action.assessment)


def test_an_action_of_another_agency_does_not_exist_for_a_practitioner():
    action = ActionFactory()
    with pytest.raises(ImprovementAction.DoesNotExist):
        action_get(user=PractitionerFactory(), pk=action.pk)


def test_the_owners_own_actions_come_first_in_their_work_list():
    mine = ActionFactory(due_on=datetime.date(2026, 1, 1))
    colleague = PractitionerFactory(agency=mine.owner_agency)
    theirs = ActionFactory(owner=colleague, owner_agency=mine.owner_agency, due_on=datetime.date(2025, 6, 1))
    assert list(my_actions(user=mine.owner)) == [mine, theirs]


def test_completed_actions_leave_the_work_list():
    done = ActionFactory(status="completed", completed_on=TODAY, evidence_of_completion="Done")
    assert list(my_actions(user=done.owner)) == []


def test_overdue_actions_are_open_and_past_due():
    late = ActionFactory(due_on=datetime.date(2025, 9, 30))
    ActionFactory(assessment=late.assessment, due_on=TODAY)
    assert list(overdue_actions(user=late.assessment.cycle.opened_by, today=TODAY)) == [late]


def test_another_regions_overdue_actions_are_not_listed():
    ActionFactory(due_on=datetime.date(2025, 9, 30))
    assert list(overdue_actions(user=board_officer(), today=TODAY)) == []


def test_only_the_board_lists_overdue_actions():
    with pytest.raises(PermissionDenied):
        overdue_actions(user=PractitionerFactory())
