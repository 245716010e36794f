from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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


def test_the_practitioners_agency_is_read_with_the_token():
    user = PractitionerFactory()
    client = _client(Token.objects.create(user=user).key)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    token_query = next(q["sql"] for q in queries.captured_queries if "authtoken_token" in q["sql"])
    assert "accounts_agency" in token_query
