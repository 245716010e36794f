"""Need-to-know, tested as can/cannot pairs."""

import datetime

import pytest
from django.utils import timezone

from cylch.access.rule import (
    Access,
    AccessBasis,
    access_basis,
    access_basis_among,
    can_see_detail,
    people_with_detail_access,
)
from cylch.access.services import break_glass
from cylch.accounts.models import RoleCode
from cylch.people.models import Person
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


def detail_access_among(*, user, person_ids):
    """The list rule (a queryset) for these people, to compare with the rule for one person."""
    return set(people_with_detail_access(user=user).filter(pk__in=person_ids).values_list("pk", flat=True))


def test_list_rule_and_detail_rule_agree(involvement):
    practitioner = PractitionerFactory(agency=involvement.agency)
    stranger = PersonFactory()
    allowed = detail_access_among(user=practitioner, person_ids=[involvement.person.pk, stranger.pk])
    assert allowed == {involvement.person.pk}


def test_the_bulk_basis_agrees_with_the_basis_of_each_person(involvement):
    practitioner = PractitionerFactory(agency=involvement.agency)
    granted, stranger, merged = PersonFactory(), PersonFactory(), PersonFactory()
    break_glass(user=practitioner, person=granted, reason="Child in the emergency department at 2am")
    InvolvementFactory(person=merged, agency=involvement.agency)
    Person.objects.filter(pk=merged.pk).update(merged_into=stranger)
    merged.refresh_from_db()
    people = [involvement.person, granted, stranger, merged]
    bases = access_basis_among(user=practitioner, person_ids=[p.pk for p in people])
    assert bases == {p.pk: a for p in people if (a := access_basis(user=practitioner, person=p)) is not None}
    assert set(bases) == detail_access_among(user=practitioner, person_ids=[p.pk for p in people])


def test_the_bulk_basis_of_the_front_door_leaves_out_merged_records():
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    survivor, merged = PersonFactory(), PersonFactory()
    Person.objects.filter(pk=merged.pk).update(merged_into=survivor)
    bases = access_basis_among(user=front_door, person_ids=[survivor.pk, merged.pk])
    assert bases == {survivor.pk: Access(AccessBasis.FRONT_DOOR)}


def test_the_bulk_basis_asks_once_per_kind_of_basis(involvement, django_assert_num_queries):
    practitioner = PractitionerFactory(agency=involvement.agency)
    people = [involvement.person, *(PersonFactory() for _ in range(3))]
    practitioner.role_codes()  # fetched once per request, before any list
    with django_assert_num_queries(2):  # the involvements, then the grants of those without one
        access_basis_among(user=practitioner, person_ids=[p.pk for p in people])
