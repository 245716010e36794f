"""Shared fixtures for the front door's tests."""

from __future__ import annotations

import datetime

import pytest

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.concerns.services import ConcernInput, SubjectInput
from tests.factories import AgencyFactory, PractitionerFactory
from tests.factories import test_nhs_number as nhs


@pytest.fixture
def school(db):
    return AgencyFactory(kind=AgencyKind.SCHOOL, name="Ysgol y Test")


@pytest.fixture
def school_lead(school):
    return PractitionerFactory(agency=school, username="school.lead", email="lead@school.example")


@pytest.fixture
def front_door(school):
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES, local_authority=school.local_authority)
    return PractitionerFactory(agency=council, roles=[RoleCode.FRONT_DOOR], email="mash@council.example")


@pytest.fixture
def manager(front_door):
    return PractitionerFactory(
        agency=front_door.agency, roles=[RoleCode.FRONT_DOOR_MANAGER], email="manager@council.example"
    )


def make_input(**overrides) -> ConcernInput:
    child = SubjectInput(
        given_name="Cerys", family_name="Jones", date_of_birth=datetime.date(2016, 5, 1), nhs_number=nhs(7)
    )
    values = {
        "kind": "marf",
        "what_happened": "Came to school hungry three days running.",
        "family_aware": "yes",
        "subjects": (child,),
        "categories": ("neglect",),
    }
    values.update(overrides)
    return ConcernInput(**values)


def api_payload(**overrides) -> dict:
    payload = {
        "kind": "marf",
        "categories": ["neglect"],
        "what_happened": "Came to school hungry three days running.",
        "family_aware": "yes",
        "subjects": [
            {"given_name": "Cerys", "family_name": "Jones", "date_of_birth": "2016-05-01", "nhs_number": nhs(7)}
        ],
    }
    payload.update(overrides)
    return payload
