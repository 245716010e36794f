"""Chasing late returns and overdue actions: the owner or the agency's contributors first, the board from the second
reminder on, never twice in one interval, each message in its recipient's language."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cylch.accounts.models import RoleCode
from cylch.assurance.chasing import CHASE_INTERVAL, assurance_chase
from cylch.assurance.models import AssuranceReturn
from cylch.assurance.services.returns import return_create, return_extend
from cylch.notifications.models import Notification
from tests.assurance.factories import CycleFactory, board_officer, partner_practitioner
from tests.assurance.factories_returns import FIGURES, ActionFactory, ReturnFactory
from tests.factories import AgencyFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

# A day after the factories' cycle's returns were due (31 May 2025) and its actions (30 September 2025).
NOW = datetime.datetime(2025, 10, 6, 9, tzinfo=datetime.UTC)


def emails(template: str) -> list[str]:
    return sorted(Notification.objects.filter(template=template).values_list("email", flat=True))


@pytest.fixture
def action():
    return ActionFactory()


def test_an_overdue_action_is_chased_with_its_owner(action):
    result = assurance_chase(now=NOW)
    assert result.actions_chased == 1
    assert emails("action_chase") == [action.owner.email]


def test_the_first_reminder_does_not_go_to_the_board(action):
    assurance_chase(now=NOW)
    assert emails("action_escalation") == []


def test_an_action_is_not_chased_twice_in_one_interval(action):
    assurance_chase(now=NOW)
    assurance_chase(now=NOW + CHASE_INTERVAL - datetime.timedelta(hours=1))
    assert Notification.objects.filter(template="action_chase").count() == 1


def test_after_an_interval_the_owner_is_reminded_and_the_board_told(action):
    board = action.assessment.cycle.opened_by
    assurance_chase(now=NOW)
    result = assurance_chase(now=NOW + CHASE_INTERVAL)
    assert (result.actions_chased, result.actions_escalated) == (1, 1)
    assert emails("action_escalation") == [board.email]


def test_a_board_officer_of_another_region_is_not_told(action):
    stranger = board_officer()
    assurance_chase(now=NOW)
    assurance_chase(now=NOW + CHASE_INTERVAL)
    assert stranger.email not in emails("action_escalation")


def test_a_completed_action_is_not_chased():
    ActionFactory(status="completed", completed_on=datetime.date(2025, 9, 1), evidence_of_completion="Done")
    assert assurance_chase(now=NOW).actions_chased == 0


def test_an_action_not_yet_due_is_not_chased():
    ActionFactory(due_on=datetime.date(2025, 12, 1))
    assert assurance_chase(now=NOW).actions_chased == 0


def test_an_action_is_still_chased_after_sign_off(action):
    cycle = action.assessment.cycle
    cycle.signed_off_at, cycle.signed_off_by = timezone.now(), cycle.opened_by
    cycle.save()
    assert assurance_chase(now=NOW).actions_chased == 1


def test_a_contributor_who_prefers_welsh_reads_the_agencys_welsh_name():
    cycle = CycleFactory()
    agency = AgencyFactory(local_authority__region=cycle.region, name_cy="Asiantaeth Brawf")
    writer = PractitionerFactory(agency=agency, language="cy")
    ReturnFactory(cycle=cycle, agency=agency, updated_by=writer)
    assurance_chase(now=NOW)
    assert "Asiantaeth Brawf" in Notification.objects.get(template="return_chase").body


def test_a_late_return_is_chased_with_the_agency_that_wrote_it():
    found = ReturnFactory()
    assurance_chase(now=NOW)
    assert emails("return_chase") == [found.updated_by.email]


def test_a_submitted_return_is_not_chased():
    ReturnFactory(submitted=True)
    assert assurance_chase(now=NOW).returns_chased == 0


def test_an_agency_that_never_started_its_return_is_chased_at_its_safeguarding_address():
    cycle = CycleFactory()
    silent = partner_practitioner(cycle)
    assurance_chase(now=NOW)
    assert emails("return_chase") == [silent.agency.email]
    assert AssuranceReturn.objects.get(agency=silent.agency).chased_at == NOW


def test_a_late_return_is_escalated_to_the_board_after_an_interval():
    found = ReturnFactory()
    assurance_chase(now=NOW)
    assurance_chase(now=NOW + CHASE_INTERVAL)
    assert emails("return_escalation") == [found.cycle.opened_by.email]


def test_returns_in_a_signed_off_cycle_are_not_chased():
    found = ReturnFactory()
    found.cycle.signed_off_at, found.cycle.signed_off_by = timezone.now(), found.cycle.opened_by
    found.cycle.save()
    assert assurance_chase(now=NOW).returns_chased == 0


def test_the_agencys_first_save_fills_in_the_blank_draft_the_chase_made():
    cycle = CycleFactory()
    author = partner_practitioner(cycle)
    assurance_chase(now=NOW)
    made = return_create(cycle=cycle, agency=author.agency, user=author, counts=FIGURES)
    assert AssuranceReturn.objects.get() == made


def test_board_officers_role_is_what_escalation_follows(action):
    deputy = PractitionerFactory(agency=action.assessment.cycle.opened_by.agency, roles=[RoleCode.BOARD_OFFICER])
    assurance_chase(now=NOW)
    assurance_chase(now=NOW + CHASE_INTERVAL)
    assert deputy.email in emails("action_escalation")


def test_a_return_given_a_later_due_date_is_not_chased_before_it():
    found = ReturnFactory()
    return_extend(
        assurance_return=found, due_on=datetime.date(2025, 10, 31), reason="Lead on leave", user=found.cycle.opened_by
    )
    assert assurance_chase(now=NOW).returns_chased == 0


def test_an_extended_return_still_late_after_its_new_date_is_chased_with_the_agency_first():
    found = ReturnFactory()
    assurance_chase(now=NOW)  # chased once: the next chase would reach the board
    return_extend(
        assurance_return=found, due_on=datetime.date(2025, 10, 10), reason="Lead on leave", user=found.cycle.opened_by
    )
    result = assurance_chase(now=NOW + CHASE_INTERVAL)
    assert (result.returns_chased, result.returns_escalated) == (1, 0)
    assert "was due on 10/10/2025" in Notification.objects.filter(template="return_chase").latest("pk").body


def test_a_late_return_is_not_chased_with_a_front_door_worker_who_wrote_in_it():
    cycle = CycleFactory()
    agency = AgencyFactory(local_authority__region=cycle.region)
    cycle.partner_agencies.add(agency)
    ReturnFactory(
        cycle=cycle, agency=agency, updated_by=PractitionerFactory(agency=agency, roles=[RoleCode.FRONT_DOOR])
    )
    assurance_chase(now=NOW)
    assert emails("return_chase") == [agency.email]
