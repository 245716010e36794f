"""Break glass on a child no agency is involved with: the front-door managers are told instead of a lead agency."""

import pytest

from cylch.access.services import break_glass
from cylch.accounts.models import RoleCode
from cylch.notifications.models import Notification
from tests.factories import (
    AgencyFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    LocalAuthorityFactory,
    PersonFactory,
    PractitionerFactory,
)

pytestmark = pytest.mark.django_db

REASON = "Child presented at A&E out of hours"


def _manager(local_authority, **kwargs):
    return PractitionerFactory(
        roles=[RoleCode.FRONT_DOOR_MANAGER], agency=AgencyFactory(local_authority=local_authority), **kwargs
    )


@pytest.fixture
def area():
    return LocalAuthorityFactory()


@pytest.fixture
def uninvolved_child(area):
    child = PersonFactory()
    HouseholdMembershipFactory(person=child, household=HouseholdFactory(local_authority=area))
    return child


def test_the_front_door_managers_of_the_childs_area_are_told(area, uninvolved_child):
    local = _manager(area)
    _manager(LocalAuthorityFactory())
    grant = break_glass(user=PractitionerFactory(), person=uninvolved_child, reason=REASON)
    assert grant.lead_agency is None
    assert list(Notification.objects.values_list("recipient", "email")) == [(local.pk, local.email)]


def test_every_front_door_manager_is_told_when_the_area_has_none(uninvolved_child):
    elsewhere = _manager(LocalAuthorityFactory())
    break_glass(user=PractitionerFactory(), person=uninvolved_child, reason=REASON)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [elsewhere.pk]


def test_an_inactive_front_door_manager_is_not_told(area, uninvolved_child):
    _manager(area, is_active=False)
    active = _manager(LocalAuthorityFactory())
    break_glass(user=PractitionerFactory(), person=uninvolved_child, reason=REASON)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [active.pk]


def test_the_lead_agency_alone_is_told_when_one_is_involved(area, uninvolved_child):
    involved = InvolvementFactory(person=uninvolved_child, agency=AgencyFactory(email="dsl@school.example"))
    _manager(area)
    break_glass(user=PractitionerFactory(), person=uninvolved_child, reason=REASON)
    assert list(Notification.objects.values_list("email", flat=True)) == [involved.agency.email]
