"""Agencies and their systems for the feed tests."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cylch.accounts.models import AgencyKind
from cylch.accounts.scopes import FEEDS_WRITE
from tests.factories import AgencyFactory, PersonFactory, PractitionerFactory, SourceRecordFactory, api_key


def token_client(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.fixture
def police():
    return AgencyFactory(name="Heddlu", kind=AgencyKind.POLICE)


@pytest.fixture
def council():
    return AgencyFactory(name="Cyngor", kind=AgencyKind.CHILDRENS_SERVICES)


@pytest.fixture
def police_system(police):
    return PractitionerFactory(agency=police, is_system_account=True, roles=[])


@pytest.fixture
def police_api(police_system):
    """The police force's system: a system account's token holding feeds:write."""
    return token_client(api_key(police_system, scopes=[FEEDS_WRITE], name="police feed"))


@pytest.fixture
def council_api(council):
    account = PractitionerFactory(agency=council, is_system_account=True, roles=[])
    return token_client(api_key(account, scopes=[FEEDS_WRITE], name="council feed"))


@pytest.fixture
def child():
    import datetime

    return PersonFactory(given_name="Cai", family_name="Rees", date_of_birth=datetime.date(2016, 5, 4))


@pytest.fixture
def police_record(police, child):
    """A record of the child the police sent before, under its own ID."""
    return SourceRecordFactory(agency=police, person=child, local_id="P-77")
