"""Need-to-know, tested as can/cannot pairs."""

import datetime

import pytest
from django.utils import timezone

from cylch.accounts.models import RoleCode
from cylch.people.access import can_see_detail, detail_access_among, people_with_detail_access
from tests.factories import InvolvementFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def involvement():
    return InvolvementFactory()


def test_practitioner_can_see_a_person_their_agency_is_involved_with(involvement):
    practitioner = PractitionerFactory(agency=involvement.agency)
    assert can_see_detail(user=practitioner, person=involvement.person)
    assert involvement.person in people_with_detail_access(user=practitioner)


def test_practitioner_cannot_see_a_person_only_another_agency_is_involved_with(involvement):
    practitioner = PractitionerFactory()
    assert not can_see_detail(user=practitioner, person=involvement.person)
    assert involvement.person not in people_with_detail_access(user=practitioner)


def test_practitioner_cannot_see_a_person_after_the_involvement_ended():
    involvement = InvolvementFactory(end_date=timezone.localdate() - datetime.timedelta(days=1))
    practitioner = PractitionerFactory(agency=involvement.agency)
    assert not can_see_detail(user=practitioner, person=involvement.person)


def test_practitioner_cannot_see_a_person_before_the_involvement_starts():
    involvement = InvolvementFactory(start_date=timezone.localdate() + datetime.timedelta(days=3))
    practitioner = PractitionerFactory(agency=involvement.agency)
    assert not can_see_detail(user=practitioner, person=involvement.person)


def test_front_door_can_see_a_person_without_involvement():
    practitioner = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    assert can_see_detail(user=practitioner, person=PersonFactory())


@pytest.mark.parametrize(
    "role",
    [RoleCode.BOARD_OFFICER, RoleCode.INFORMATION_GOVERNANCE, RoleCode.ADMINISTRATOR, RoleCode.LEAD_PRACTITIONER],
)
def test_other_roles_cannot_see_a_person_without_involvement(role):
    practitioner = PractitionerFactory(roles=[role])
    assert not can_see_detail(user=practitioner, person=PersonFactory())


def test_deactivated_practitioner_cannot_see_anyone(involvement):
    practitioner = PractitionerFactory(agency=involvement.agency, is_active=False)
    assert not can_see_detail(user=practitioner, person=involvement.person)
    assert not people_with_detail_access(user=practitioner).exists()


def test_list_rule_and_detail_rule_agree(involvement):
    practitioner = PractitionerFactory(agency=involvement.agency)
    stranger = PersonFactory()
    allowed = detail_access_among(user=practitioner, person_ids=[involvement.person.pk, stranger.pk])
    assert allowed == {involvement.person.pk}
