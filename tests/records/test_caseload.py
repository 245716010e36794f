"""The caseload page (#13 item 5): children by default and adults on request, each with their register and
looked-after flags and when the agency last recorded contact; narrowed to those flagged or allocated to me."""

from __future__ import annotations

import datetime

import pytest

from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry
from tests.factories import (
    ChronologyEventFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
    StatutoryStatusFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioner(client):
    user = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    client.force_login(user)
    return user


@pytest.fixture
def people(practitioner):
    child = PersonFactory(given_name="Cerys", family_name="Ash", date_of_birth=datetime.date(2019, 1, 1))
    flagged = PersonFactory(given_name="Dylan", family_name="Birch", date_of_birth=datetime.date(2015, 1, 1))
    adult = PersonFactory(given_name="Mared", family_name="Cedar", date_of_birth=datetime.date(1980, 1, 1))
    for someone in (child, flagged, adult):
        InvolvementFactory(person=someone, agency=practitioner.agency)
    InvolvementFactory(person=child, agency=practitioner.agency, practitioner=practitioner)
    StatutoryStatusFactory(person=flagged, kind="cp_register", start_date=datetime.date(2024, 1, 1))
    return child, flagged, adult


def _page(client, **query) -> str:
    response = client.get("/people/caseload/", query)
    assert response.status_code == 200
    return response.content.decode()


def _row(page: str, name: str) -> str:
    start = page.index(name)
    return page[start : page.index("</tr>", start)]


def test_the_caseload_lists_children_only_by_default(client, people):
    page = _page(client)
    assert "Cerys Ash" in page
    assert "Mared Cedar" not in page
    assert "2 children." in page


def test_adults_are_listed_when_asked_for(client, people):
    page = _page(client, ages="adults")
    assert "Mared Cedar" in page
    assert "Cerys Ash" not in page


def test_an_adult_listed_on_request_is_logged_with_the_filter(client, practitioner, people):
    _page(client, ages="adults")
    entry = AccessLogEntry.objects.get(person=people[2], practitioner=practitioner, page="caseload")
    assert entry.details["ages"] == "adults"


def test_the_caseload_flags_a_child_on_the_register(client, people):
    page = _page(client)
    assert "On the register" in _row(page, "Dylan Birch")
    assert "On the register" not in _row(page, "Cerys Ash")


def test_the_caseload_gives_the_last_contact_the_agency_recorded(client, practitioner, people):
    child = people[0]
    ChronologyEventFactory(
        person=child, agency=practitioner.agency, occurred_at=datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
    )
    ChronologyEventFactory(person=child, occurred_at=datetime.datetime(2026, 5, 2, 10, tzinfo=datetime.UTC))
    page = _page(client)
    assert "2 March 2026" in _row(page, "Cerys Ash")
    assert "None recorded" in _row(page, "Dylan Birch")


def test_the_caseload_narrows_to_those_flagged(client, people):
    page = _page(client, only="flagged")
    assert "Dylan Birch" in page
    assert "Cerys Ash" not in page


def test_the_caseload_narrows_to_my_own_allocations(client, people):
    page = _page(client, only="mine")
    assert "Cerys Ash" in page
    assert "Dylan Birch" not in page


def test_an_unknown_choice_is_refused_with_a_message(client, people):
    assert "Choose children, adults or everyone" in _page(client, ages="martians")


def test_an_agency_not_involved_lists_no_one(client, people):
    client.force_login(PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER]))
    assert "No one your agency works with matches." in _page(client)


def test_the_caseload_in_welsh_gives_the_last_contact_in_welsh(client, practitioner, people):
    ChronologyEventFactory(
        person=people[0], agency=practitioner.agency, occurred_at=datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
    )
    client.cookies["cylch_language"] = "cy"
    page = _page(client)
    assert '<html lang="cy"' in page
    assert "2 Mawrth 2026" in _row(page, "Cerys Ash")
