"""Involvements grant and end detail access; each change is on the audit chain and the who-saw-this page."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cylch.access.rule import can_see_detail
from cylch.access.selectors import access_log_for_person
from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry
from cylch.feeds.services import involvement_close, involvement_open
from tests.factories import AgencyFactory, PersonFactory, PractitionerFactory, TeamFactory

pytestmark = pytest.mark.django_db

LAST_MONTH = timezone.localdate() - datetime.timedelta(days=30)
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def school():
    return AgencyFactory(name="Ysgol")


@pytest.fixture
def teacher(school):
    return PractitionerFactory(agency=school)


@pytest.fixture
def school_system(school):
    return PractitionerFactory(agency=school, is_system_account=True, roles=[])


def test_opening_an_involvement_lets_the_agencys_practitioners_see_the_child(school, teacher, school_system):
    child = PersonFactory()
    assert not can_see_detail(user=teacher, person=child)
    involvement_open(person=child, agency=school, start_date=LAST_MONTH, opened_by=school_system)
    assert can_see_detail(user=teacher, person=child)


def test_closing_an_involvement_ends_the_agencys_detail_access(school, teacher, school_system):
    child = PersonFactory()
    involvement = involvement_open(person=child, agency=school, start_date=LAST_MONTH, opened_by=school_system)
    involvement_close(involvement=involvement, end_date=YESTERDAY, closed_by=school_system)
    assert not can_see_detail(user=teacher, person=child)


def test_an_involvement_cannot_end_before_it_started(school, school_system):
    involvement = involvement_open(person=PersonFactory(), agency=school, start_date=YESTERDAY, opened_by=school_system)
    with pytest.raises(ValidationError) as error:
        involvement_close(involvement=involvement, end_date=LAST_MONTH, closed_by=school_system)
    assert "end_date" in error.value.message_dict


def test_a_practitioner_cannot_give_their_own_agency_an_involvement(school, teacher):
    with pytest.raises(PermissionDenied):
        involvement_open(person=PersonFactory(), agency=school, start_date=YESTERDAY, opened_by=teacher)


def test_another_agencys_system_cannot_open_an_involvement_for_this_agency(school):
    police_system = PractitionerFactory(is_system_account=True, roles=[])
    with pytest.raises(PermissionDenied):
        involvement_open(person=PersonFactory(), agency=school, start_date=YESTERDAY, opened_by=police_system)


def test_the_front_door_allocates_an_involvement_to_an_agency(school, teacher):
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    child = PersonFactory()
    involvement = involvement_open(
        person=child, agency=school, start_date=YESTERDAY, practitioner=teacher, opened_by=front_door
    )
    assert (involvement.practitioner, involvement.recorded_by, involvement.recorded_by_agency) == (
        teacher,
        front_door,
        front_door.agency,
    )


def test_a_team_of_another_agency_is_refused(school, school_system):
    with pytest.raises(ValidationError) as error:
        involvement_open(
            person=PersonFactory(), agency=school, start_date=YESTERDAY, team=TeamFactory(), opened_by=school_system
        )
    assert "team" in error.value.message_dict


def test_opening_the_same_involvement_again_changes_nothing(school, school_system):
    child = PersonFactory()
    first = involvement_open(person=child, agency=school, start_date=LAST_MONTH, opened_by=school_system)
    again = involvement_open(person=child, agency=school, start_date=LAST_MONTH, opened_by=school_system)
    assert first == again
    assert AccessLogEntry.objects.filter(page="involvement-open").count() == 1


def test_every_involvement_change_is_on_the_who_saw_this_page(school, school_system):
    child = PersonFactory()
    involvement = involvement_open(person=child, agency=school, start_date=LAST_MONTH, opened_by=school_system)
    involvement_close(involvement=involvement, end_date=YESTERDAY, closed_by=school_system)
    ig = PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE])
    pages = [entry.page for entry in access_log_for_person(user=ig, cylch_id=child.cylch_id).entries]
    assert {"involvement-open", "involvement-close"} <= set(pages)
    opened = AccessLogEntry.objects.get(page="involvement-open")
    assert (opened.practitioner, opened.details["involvement"]) == (school_system, involvement.pk)
