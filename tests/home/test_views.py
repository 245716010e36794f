"""The home page: each role is pointed at the work its permissions allow, and at nothing it would be refused."""

import datetime

import pytest
from django.utils import timezone

from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessOutcome
from tests.factories import (
    AgencyFactory,
    InvolvementFactory,
    LocalAuthorityFactory,
    PersonFactory,
    PractitionerFactory,
    StatutoryStatusFactory,
)

pytestmark = pytest.mark.django_db

HOME = "/"

MATCHES_LINK = 'href="/linkage/reviews/"'


@pytest.mark.parametrize(("role", "shown"), [(RoleCode.FRONT_DOOR_MANAGER, True), (RoleCode.FRONT_DOOR, False)])
def test_only_those_who_review_matches_are_pointed_at_them(client, role, shown):
    client.force_login(PractitionerFactory(roles=[role]))
    assert (MATCHES_LINK in client.get("/").content.decode()) is shown


def test_an_agency_practitioner_sees_their_caseload_own_allocations_first(client):
    practitioner = PractitionerFactory(first_name="Nia", last_name="Bowen", roles=[RoleCode.AGENCY_PRACTITIONER])
    colleagues_child = PersonFactory(given_name="Aled", family_name="Abbott")
    my_child = PersonFactory(given_name="Zara", family_name="Zephaniah")
    other_agency_child = PersonFactory(given_name="Carys", family_name="Cole")
    InvolvementFactory(person=colleagues_child, agency=practitioner.agency)
    InvolvementFactory(person=my_child, agency=practitioner.agency, practitioner=practitioner)
    InvolvementFactory(person=other_agency_child)
    client.force_login(practitioner)

    page = client.get(HOME).content.decode()

    assert "Nia Bowen" in page
    assert practitioner.agency.name in page
    assert "Agency practitioner" in page
    assert "The children your agency works with" in page
    assert page.index("Zara Zephaniah") < page.index("Aled Abbott")
    assert "Carys Cole" not in page
    assert f'href="/people/{my_child.cylch_id}/"' in page


def test_a_long_caseload_says_how_many_and_pages_through_everyone(client, monkeypatch):
    monkeypatch.setattr("cylch.records.selectors.caseload.CASELOAD_PAGE_SIZE", 2)
    practitioner = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    children = [PersonFactory(given_name="Child", family_name=name) for name in ("Ash", "Birch", "Cedar")]
    for child in children:
        InvolvementFactory(person=child, agency=practitioner.agency)
    client.force_login(practitioner)
    first = client.get(HOME).content.decode()
    second = client.get(HOME, {"page": 2}).content.decode()
    assert "Your agency is working with 3 people." in first
    assert "Showing 1 to 2, your own allocations first." in first
    assert [f"Child {name}" in first for name in ("Ash", "Birch", "Cedar")] == [True, True, False]
    assert [f"Child {name}" in second for name in ("Ash", "Birch", "Cedar")] == [False, False, True]
    assert 'href="?page=2#caseload"' in first


def test_a_practitioner_whose_agency_works_with_no_one_is_told_so(client):
    client.force_login(PractitionerFactory())
    assert "Your agency is not working with anyone in Cylch at the moment." in client.get(HOME).content.decode()


def test_the_front_door_sees_register_and_looked_after_counts_for_its_authority(client):
    authority = LocalAuthorityFactory(name="Casnewydd")
    practitioner = PractitionerFactory(agency=AgencyFactory(local_authority=authority), roles=[RoleCode.FRONT_DOOR])
    StatutoryStatusFactory(local_authority=authority)
    StatutoryStatusFactory(local_authority=authority, kind="looked_after", category="")
    StatutoryStatusFactory(local_authority=authority, end_date=timezone.localdate() - datetime.timedelta(days=1))
    StatutoryStatusFactory()  # another authority
    client.force_login(practitioner)

    response = client.get(HOME)
    counts = response.context["summary"].local_statuses

    assert (counts.on_register, counts.looked_after) == (1, 1)
    page = response.content.decode()
    assert "Children on the child protection register (Casnewydd)" in page
    assert "CPR" not in page
    assert "The children your agency works with" not in page


def test_information_governance_sees_last_weeks_access_log(client):
    practitioner = PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE])
    viewer = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    person = PersonFactory()
    client.force_login(viewer)
    client.get(f"/people/{person.cylch_id}/")
    client.force_login(practitioner)

    summary = client.get(HOME).context["summary"]

    assert summary.access_log.views == 1
    assert summary.access_log.restricted_views == 1
    assert viewer.access_log.get().outcome == AccessOutcome.RESTRICTED


def test_the_administrator_is_pointed_at_the_admin(client):
    client.force_login(PractitionerFactory(roles=[RoleCode.ADMINISTRATOR]))
    page = client.get(HOME).content.decode()
    assert 'href="/admin/"' in page


def test_the_board_officer_sees_regional_counts(client):
    practitioner = PractitionerFactory(roles=[RoleCode.BOARD_OFFICER])
    StatutoryStatusFactory(local_authority=practitioner.agency.local_authority)
    client.force_login(practitioner)
    summary = client.get(HOME).context["summary"]
    assert summary.regional_statuses.on_register == 1
    assert summary.caseload is None
