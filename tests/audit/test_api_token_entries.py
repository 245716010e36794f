"""Each API call's token is on the audit chain: every entry written during the call names it by prefix."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from cylch.audit.models import AccessLogEntry
from tests.concerns.conftest import api_payload
from tests.factories import InvolvementFactory, PersonFactory, PractitionerFactory, api_key

pytestmark = pytest.mark.django_db


def _api(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_a_read_through_the_api_names_the_token_on_the_persons_access_log():
    user = PractitionerFactory()
    person = PersonFactory()
    InvolvementFactory(person=person, agency=user.agency)
    key = api_key(user)
    assert _api(key).get(f"/api/v1/persons/{person.cylch_id}").status_code == 200
    [entry] = AccessLogEntry.objects.filter(person=person)
    path = f"/api/v1/persons/{person.cylch_id}"
    assert (entry.practitioner, entry.details["token"], entry.path) == (user, key[:12], path)


def test_a_concern_raised_through_the_api_names_the_token_on_every_entry_it_writes():
    user = PractitionerFactory()
    key = api_key(user)
    response = _api(key).post("/api/v1/concerns", json.dumps(api_payload()), content_type="application/json")
    assert response.status_code == 201
    entries = AccessLogEntry.objects.filter(page__in=["concern-raise", "person-link"])
    assert {entry.page for entry in entries} == {"concern-raise", "person-link"}
    assert {(entry.practitioner, entry.details["token"]) for entry in entries} == {(user, key[:12])}
    assert all(key[12:] not in json.dumps(entry.details) for entry in entries)  # the prefix and nothing more


def test_a_session_call_names_no_token():
    user = PractitionerFactory()
    person = PersonFactory()
    api = APIClient()
    api.force_authenticate(user)
    api.get(f"/api/v1/persons/{person.cylch_id}")
    [entry] = AccessLogEntry.objects.filter(person=person)
    assert "token" not in entry.details
