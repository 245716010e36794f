"""The front door allocates from the decision section (#14 item 2): after a decision for children's services' work
it picks a social worker or a team of the local authority's children's services, and the allocation shows as an
involvement on the child's single view."""

from __future__ import annotations

import pytest

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.concerns.services import concern_submit
from cylch.concerns.triage import decision_record
from cylch.people.models import Involvement
from tests.concerns.conftest import make_input
from tests.factories import AgencyFactory, PractitionerFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(school_lead):
    return concern_submit(submitter=school_lead, data=make_input()).concern


@pytest.fixture
def council(front_door):
    return front_door.agency


@pytest.fixture
def social_worker(council):
    return PractitionerFactory(
        agency=council,
        first_name="Rhian",
        last_name="Evans",
        job_title="Social worker",
        job_title_cy="Gweithiwr cymdeithasol",
        roles=[RoleCode.LEAD_PRACTITIONER],
    )


def _decide(concern, front_door, outcome: str) -> None:
    decision_record(concern=concern, user=front_door, outcome=outcome, rationale="Reasons.")


def _decision_page(client, concern) -> str:
    return client.get(f"/concerns/{concern.reference}/?section=decision").content.decode()


def _allocate(client, concern, **data):
    return client.post(f"/concerns/{concern.reference}/", {"action": "allocate", **data}, follow=True)


def _child(concern):
    return concern.subjects.get(role="child").person


def test_an_assessment_decision_offers_the_allocation_with_childrens_services_social_workers(
    client, front_door, concern, social_worker
):
    _decide(concern, front_door, "assessment")
    PractitionerFactory(agency=AgencyFactory(kind=AgencyKind.POLICE), first_name="Dai", last_name="Heddlu")
    client.force_login(front_door)
    html = _decision_page(client, concern)
    assert 'name="action" value="allocate"' in html
    assert "Rhian Evans, Social worker" in html
    assert "Dai Heddlu" not in html


def test_a_decision_below_childrens_services_work_offers_no_allocation(client, front_door, concern, social_worker):
    _decide(concern, front_door, "early_help")
    client.force_login(front_door)
    assert 'name="action" value="allocate"' not in _decision_page(client, concern)


def test_the_referrer_is_not_offered_the_allocation(client, front_door, school_lead, concern, social_worker):
    _decide(concern, front_door, "strategy_discussion")
    client.force_login(school_lead)
    assert 'name="action" value="allocate"' not in _decision_page(client, concern)


def test_allocating_a_social_worker_shows_a_banner_and_the_involvement_on_the_childs_record(
    client, front_door, concern, social_worker, council
):
    _decide(concern, front_door, "strategy_discussion")
    team = TeamFactory(agency=council, name="Assessment team")
    client.force_login(front_door)
    response = _allocate(client, concern, practitioner=social_worker.pk, team=team.pk, role="Allocated social worker")
    assert response.redirect_chain[-1][0] == f"/concerns/{concern.reference}/?section=decision"
    assert "The allocation has been recorded: it shows on each child&#x27;s record." in response.content.decode()
    child = _child(concern)
    involvement = Involvement.objects.get(person=child)
    assert (involvement.agency, involvement.practitioner, involvement.team) == (council, social_worker, team)
    client.force_login(social_worker)
    record = client.get(f"/people/{child.cylch_id}/").content.decode()
    contacts = record.split('id="contacts"', 1)[1]
    assert "Rhian Evans, Social worker" in contacts
    assert "Allocated social worker" in contacts


def test_allocating_a_team_alone_is_enough(client, front_door, concern, council):
    _decide(concern, front_door, "immediate_protection")
    team = TeamFactory(agency=council)
    client.force_login(front_door)
    _allocate(client, concern, team=team.pk)
    assert Involvement.objects.get(person=_child(concern)).team == team


def test_a_practitioner_of_another_agency_is_refused_by_name_and_nothing_is_stored(client, front_door, concern):
    _decide(concern, front_door, "assessment")
    police = AgencyFactory(kind=AgencyKind.POLICE, name="South Wales Police")
    officer = PractitionerFactory(agency=police, first_name="Dai", last_name="Heddlu")
    client.force_login(front_door)
    html = _allocate(client, concern, practitioner=officer.pk).content.decode()
    assert "govuk-error-summary" in html
    assert "Dai Heddlu works for South Wales Police" in html
    assert not Involvement.objects.exists()


def test_allocating_nobody_asks_for_a_social_worker_or_a_team(client, front_door, concern):
    _decide(concern, front_door, "assessment")
    client.force_login(front_door)
    html = _allocate(client, concern, practitioner="", team="").content.decode()
    assert "Select the social worker or the team to allocate to." in html
    assert not Involvement.objects.exists()


def test_a_team_of_another_agency_is_not_a_choice(client, front_door, concern, social_worker):
    _decide(concern, front_door, "assessment")
    client.force_login(front_door)
    html = _allocate(client, concern, practitioner=social_worker.pk, team=TeamFactory().pk).content.decode()
    assert "Select a team from the list." in html
    assert not Involvement.objects.exists()


def test_allocating_after_a_decision_below_childrens_services_work_is_refused(
    client, front_door, concern, social_worker
):
    _decide(concern, front_door, "nfa")
    client.force_login(front_door)
    assert _allocate(client, concern, practitioner=social_worker.pk).status_code == 403
    assert not Involvement.objects.exists()


def test_the_allocation_form_in_welsh_lists_welsh_job_titles(client, front_door, concern, social_worker):
    _decide(concern, front_door, "assessment")
    client.force_login(front_door)
    html = client.get(f"/concerns/{concern.reference}/?section=decision", HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Rhian Evans, Gweithiwr cymdeithasol" in html
