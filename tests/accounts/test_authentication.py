from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from cylch.accounts.authentication import PractitionerTokenAuthentication
from cylch.accounts.models import ApiToken
from cylch.accounts.services import api_token_revoke
from tests.factories import PractitionerFactory, api_key

pytestmark = pytest.mark.django_db
URL = "/api/v1/concerns"


def _client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_valid_token_acts_as_its_practitioner():
    response = _client(api_key(PractitionerFactory())).get(URL)
    assert response.status_code == 200


@pytest.mark.parametrize("key", ["0" * 64, "not-hex-at-all", "abc"])
def test_an_unknown_or_malformed_token_gets_401(key):
    response = _client(key).get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_a_key_with_the_right_prefix_but_the_wrong_secret_gets_401():
    key = api_key(PractitionerFactory())
    forged = key[:12] + ("0" if key[12] != "0" else "1") + key[13:]
    response = _client(forged).get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_an_expired_token_gets_401():
    key = api_key(PractitionerFactory(), days=1)
    ApiToken.objects.filter(prefix=key[:12]).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = _client(key).get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has expired."}


def test_a_token_in_its_last_minute_still_works():
    key = api_key(PractitionerFactory(), days=1)
    ApiToken.objects.filter(prefix=key[:12]).update(expires_at=timezone.now() + datetime.timedelta(minutes=1))
    assert _client(key).get(URL).status_code == 200


def test_a_revoked_token_gets_401():
    key = api_key(PractitionerFactory())
    api_token_revoke(token=ApiToken.objects.get(prefix=key[:12]))
    response = _client(key).get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "This token has been revoked."}


def test_an_inactive_practitioners_token_gets_401():
    user = PractitionerFactory()
    key = api_key(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = _client(key).get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


def test_one_query_reads_the_token_the_practitioner_and_their_agency(django_assert_num_queries):
    user = PractitionerFactory()
    key = api_key(user, name="School system")
    with django_assert_num_queries(1):
        found, token = PractitionerTokenAuthentication().authenticate_credentials(key)
        assert (found, found.agency, found.agency.local_authority_id) == (
            user,
            user.agency,
            user.agency.local_authority_id,
        )
        assert (token.prefix, token.name, token.practitioner) == (key[:12], "School system", user)
        assert token.scope_set() == {"concerns:read", "concerns:write", "persons:match", "persons:read"}


def test_the_practitioner_read_with_the_token_is_the_stored_one():
    user = PractitionerFactory(first_name="Cerys", language="cy")
    found, _token = PractitionerTokenAuthentication().authenticate_credentials(api_key(user))
    assert (found.username, found.first_name, found.language, found.date_joined) == (
        user.username,
        "Cerys",
        "cy",
        user.date_joined,
    )


def test_a_practitioner_without_an_agency_is_authenticated_without_one():
    user = PractitionerFactory(agency=None)
    found, _token = PractitionerTokenAuthentication().authenticate_credentials(api_key(user))
    assert found.agency is None


def test_the_key_is_nowhere_in_the_database():
    """Only the prefix and the hash are stored: no column of the token's row holds the key or its secret part."""
    key = api_key(PractitionerFactory())
    table = connection.ops.quote_name(ApiToken._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        [row] = cursor.fetchall()
    stored = " ".join(str(value) for value in row)
    assert key[:12] in stored
    assert key not in stored
    assert key[12:] not in stored
