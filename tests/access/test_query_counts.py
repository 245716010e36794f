"""Absolute query counts for the busiest paths: raising a concern through the API, the single view and the family
view, each over the same small fixture.

The numbers are pinned exactly. A change to any of them must be deliberate: if a query was added on purpose,
say why in the commit and update the number here; if it was not, look for a query inside a loop (a missing
select_related or prefetch_related) before touching the number. (Sealing the audit chain runs after commit, so
it is not counted here: these tests run inside one transaction that never commits.)
"""

from __future__ import annotations

import datetime
import json

import pytest
from rest_framework.test import APIClient

from cylch.accounts.models import RoleCode
from cylch.concerns.models import Concern
from cylch.people.models import RelationshipKind
from tests.concerns.conftest import api_payload
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    ConcernFactory,
    ConcernSubjectFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
    RelationshipFactory,
)
from tests.factories import test_nhs_number as nhs

pytestmark = pytest.mark.django_db

# Pinned: see the module docstring before changing any of these.
RAISE_CONCERN_QUERIES = 21  # 20, and one for the children's allocated social workers (who are told)
# A page's count includes django-otp reading the authenticator that verified the session (it must still exist).
# +1: the open cumulative-risk alerts on the page (cylch.risk); +1: the reader's agency (children's services are
# offered the register and looked-after pages); +1: the person's risk factors (cylch.risk); +1: whether the child
# has any meeting (cylch.meetings: its clocks, meetings and plan are read only if so); +2 (single view) and +2
# (family view): every agency ever involved, from involvements and from chronology events, for what a restricted
# view must still say.
SINGLE_VIEW_QUERIES = 32
FAMILY_VIEW_QUERIES = 29


@pytest.fixture
def agency():
    return AgencyFactory(name="Ysgol Gynradd Llanfair")


@pytest.fixture
def child(agency):
    """A child known to the agency, with a mother, a sibling, a shared household, two events and a concern."""
    # Fixed NHS numbers: the factory's sequence depends on what ran before, and must never hit the payload's nhs(7).
    child = PersonFactory(
        given_name="Branwen", family_name="Quarrington", date_of_birth=datetime.date(2015, 2, 3), nhs_number=nhs(901)
    )
    mother = PersonFactory(
        given_name="Morwenna", family_name="Quarrington", date_of_birth=datetime.date(1988, 7, 9), nhs_number=nhs(902)
    )
    sibling = PersonFactory(
        given_name="Taliesin", family_name="Quarrington", date_of_birth=datetime.date(2012, 1, 2), nhs_number=nhs(903)
    )
    InvolvementFactory(person=child, agency=agency)
    InvolvementFactory(person=sibling, agency=agency)
    ChronologyEventFactory(person=child, agency=agency)
    ChronologyEventFactory(person=sibling, agency=agency)
    RelationshipFactory(person=child, relative=mother, kind=RelationshipKind.PARENT)
    RelationshipFactory(person=sibling, relative=mother, kind=RelationshipKind.PARENT)
    RelationshipFactory(person=child, relative=sibling, kind=RelationshipKind.SIBLING)
    home = HouseholdFactory()
    for member in (child, mother, sibling):
        HouseholdMembershipFactory(household=home, person=member)
    ConcernSubjectFactory(person=child, concern=ConcernFactory())
    return child


@pytest.fixture
def practitioner(agency):
    return PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER], agency=agency)


def test_raising_a_concern_through_the_api(child, practitioner, django_assert_num_queries):
    """The payload's child (Cerys Jones) is new: linkage looks for her among the family and creates her."""
    api = APIClient()
    api.force_authenticate(practitioner)
    with django_assert_num_queries(RAISE_CONCERN_QUERIES):
        response = api.post("/api/v1/concerns", data=json.dumps(api_payload()), content_type="application/json")
    assert response.status_code == 201
    assert Concern.objects.filter(reference=response.json()["reference"]).exists()


def test_the_single_view(client, child, practitioner, django_assert_num_queries):
    client.force_login(practitioner)
    with django_assert_num_queries(SINGLE_VIEW_QUERIES):
        response = client.get(f"/people/{child.cylch_id}/")
    assert response.status_code == 200
    assert "Morwenna Quarrington" in response.content.decode()


def test_the_family_view(client, child, practitioner, django_assert_num_queries):
    client.force_login(practitioner)
    with django_assert_num_queries(FAMILY_VIEW_QUERIES):
        response = client.get(f"/people/{child.cylch_id}/family/")
    assert response.status_code == 200
    assert "Taliesin Quarrington" in response.content.decode()
