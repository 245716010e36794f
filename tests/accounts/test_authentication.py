from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cylch.accounts.authentication import PractitionerTokenAuthentication
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/concerns"


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_valid_token_acts_as_its_practitioner():
    user = PractitionerFactory()
    response = _client(Token.objects.create(user=user).key).get(URL)
    assert response.status_code == 200


def test_an_unknown_token_gets_401():
    response = _client("0" * 40).get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_an_inactive_practitioners_token_gets_401():
    user = PractitionerFactory(is_active=False)
    response = _client(Token.objects.create(user=user).key).get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


def test_one_query_reads_the_practitioner_and_their_agency(django_assert_num_queries):
    user = PractitionerFactory()
    key = Token.objects.create(user=user).key
    with django_assert_num_queries(1):
        found, token = PractitionerTokenAuthentication().authenticate_credentials(key)
        assert (found, found.agency, found.agency.local_authority_id) == (
            user,
            user.agency,
            user.agency.local_authority_id,
        )
    assert (token.key, token.user) == (key, user)


def test_the_practitioner_read_with_the_token_is_the_stored_one():
    user = PractitionerFactory(first_name="Cerys", language="cy")
    found, _token = PractitionerTokenAuthentication().authenticate_credentials(Token.objects.create(user=user).key)
    assert (found.username, found.first_name, found.language, found.date_joined) == (
        user.username,
        "Cerys",
        "cy",
        user.date_joined,
    )


def test_a_practitioner_without_an_agency_is_authenticated_without_one():
    user = PractitionerFactory(agency=None)
    found, _token = PractitionerTokenAuthentication().authenticate_credentials(Token.objects.create(user=user).key)
    assert found.agency is None
