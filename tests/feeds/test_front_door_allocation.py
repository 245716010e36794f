"""The front door's threshold decision allocates a social worker or a team (#14 item 2): the allocation is an
involvement written through the feeds, so it grants detail access and is on the audit chain."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cylch.access.rule import can_see_detail
from cylch.accounts.models import AgencyKind, RoleCode
from cylch.audit.models import AccessLogEntry
from cylch.concerns.services import decision_allocate
from cylch.concerns.triage import decision_record
from tests.factories import AgencyFactory, ConcernSubjectFactory, PractitionerFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES)


@pytest.fixture
def front_door(council):
    return PractitionerFactory(agency=council, roles=[RoleCode.FRONT_DOOR])


@pytest.fixture
def decision(front_door):
    subject = ConcernSubjectFactory()
    return decision_record(
        concern=subject.concern, user=front_door, outcome="assessment", rationale="Needs an assessment."
    )


def _child(decision):
    return decision.concern.subjects.get().person


def test_allocating_a_social_worker_opens_their_agencys_involvement_and_grants_detail(front_door, decision, council):
    worker = PractitionerFactory(agency=council, roles=[RoleCode.LEAD_PRACTITIONER])
    team = TeamFactory(agency=council)
    [involvement] = decision_allocate(decision=decision, user=front_door, practitioner=worker, team=team)
    child = _child(decision)
    assert (involvement.person, involvement.agency, involvement.practitioner, involvement.team) == (
        child,
        council,
        worker,
        team,
    )
    assert involvement.recorded_by == front_door
    assert can_see_detail(user=worker, person=child)
    assert AccessLogEntry.objects.filter(page="involvement-open", person=child, practitioner=front_door).exists()


def test_allocating_again_changes_nothing(front_door, decision, council):
    worker = PractitionerFactory(agency=council, roles=[RoleCode.LEAD_PRACTITIONER])
    first = decision_allocate(decision=decision, user=front_door, practitioner=worker)
    assert decision_allocate(decision=decision, user=front_door, practitioner=worker) == first


def test_an_allocation_names_a_worker_or_a_team_of_one_agency(front_door, decision, council):
    with pytest.raises(ValidationError) as nobody:
        decision_allocate(decision=decision, user=front_door)
    assert "practitioner" in nobody.value.message_dict
    with pytest.raises(ValidationError) as mismatched:
        decision_allocate(
            decision=decision,
            user=front_door,
            practitioner=PractitionerFactory(agency=council),
            team=TeamFactory(agency=AgencyFactory()),
        )
    assert "team" in mismatched.value.message_dict
    assert not _child(decision).involvements.exists()


def test_only_the_front_door_allocates(decision, council):
    worker = PractitionerFactory(agency=council, roles=[RoleCode.LEAD_PRACTITIONER])
    with pytest.raises(PermissionDenied):
        decision_allocate(decision=decision, user=worker, practitioner=worker)
    assert not _child(decision).involvements.exists()
