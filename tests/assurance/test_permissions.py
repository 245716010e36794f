"""Who may do what in a cycle, as can/cannot pairs: the board of the cycle's region runs it; a partner agency sees
it and writes only its own part; everyone else sees nothing; a signed-off cycle is read-only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cylch.accounts.models import RoleCode
from cylch.assurance.permissions import can_contribute, can_view_cycle, cycle_editable, is_partner, runs_cycle
from tests.assurance.factories import CycleFactory, board_officer, partner_practitioner
from tests.factories import AgencyFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def test_the_region_s_board_officer_runs_the_cycle():
    cycle = CycleFactory()
    assert runs_cycle(cycle.opened_by, cycle)


def test_another_region_s_board_officer_does_not_run_or_see_the_cycle():
    cycle = CycleFactory()
    other = board_officer()
    assert not runs_cycle(other, cycle)
    assert not can_view_cycle(other, cycle)


def test_a_partner_sees_the_cycle_but_does_not_run_it():
    cycle = CycleFactory()
    practitioner = partner_practitioner(cycle)
    assert can_view_cycle(practitioner, cycle)
    assert not runs_cycle(practitioner, cycle)


def test_a_partner_contributes_for_its_own_agency_only():
    cycle = CycleFactory()
    practitioner = partner_practitioner(cycle)
    other = AgencyFactory(local_authority__region=cycle.region)
    cycle.partner_agencies.add(other)
    assert can_contribute(practitioner, cycle, practitioner.agency)
    assert not can_contribute(practitioner, cycle, other)


def test_an_agency_of_the_region_that_is_not_a_partner_sees_nothing():
    cycle = CycleFactory()
    outsider = PractitionerFactory(agency=AgencyFactory(local_authority__region=cycle.region))
    assert not can_view_cycle(outsider, cycle)


def test_a_deactivated_practitioner_of_a_partner_is_no_partner():
    cycle = CycleFactory()
    practitioner = partner_practitioner(cycle, is_active=False)
    assert not is_partner(practitioner, cycle)


def test_a_board_role_without_an_agency_runs_nothing():
    cycle = CycleFactory()
    assert not runs_cycle(PractitionerFactory(agency=None, roles=[RoleCode.BOARD_OFFICER]), cycle)


def test_an_open_cycle_is_editable_and_a_signed_off_one_is_not():
    cycle = CycleFactory()
    cycle_editable(cycle)
    cycle.signed_off_at, cycle.signed_off_by = timezone.now(), cycle.opened_by
    with pytest.raises(ValidationError, match="signed off"):
        cycle_editable(cycle)


@pytest.mark.parametrize(
    "role", [RoleCode.AGENCY_PRACTITIONER, RoleCode.LEAD_PRACTITIONER, RoleCode.FRONT_DOOR_MANAGER]
)
def test_a_partner_s_practitioner_with_a_contributing_role_contributes(role):
    cycle = CycleFactory()
    practitioner = partner_practitioner(cycle, roles=[role])
    assert can_view_cycle(practitioner, cycle)
    assert can_contribute(practitioner, cycle, practitioner.agency)


@pytest.mark.parametrize("role", [RoleCode.FRONT_DOOR, RoleCode.INFORMATION_GOVERNANCE, RoleCode.ADMINISTRATOR])
def test_a_partner_s_front_door_worker_or_governance_account_neither_sees_nor_writes_its_part(role):
    cycle = CycleFactory()
    practitioner = partner_practitioner(cycle, roles=[role])
    assert not is_partner(practitioner, cycle)
    assert not can_view_cycle(practitioner, cycle)
    assert not can_contribute(practitioner, cycle, practitioner.agency)


def test_the_board_officer_running_the_cycle_moderates_but_does_not_contribute_for_their_own_partner_agency():
    board = PractitionerFactory(roles=[RoleCode.BOARD_OFFICER, RoleCode.AGENCY_PRACTITIONER])
    cycle = CycleFactory(opened_by=board, partner_agencies=[board.agency])
    assert can_view_cycle(board, cycle)
    assert not is_partner(board, cycle)
    assert not can_contribute(board, cycle, board.agency)


def test_another_region_s_board_officer_whose_agency_is_a_partner_does_not_see_the_cycle():
    cycle = CycleFactory()
    other = board_officer()
    cycle.partner_agencies.add(other.agency)
    assert not can_view_cycle(other, cycle)
