"""The API's JSON parser: bounded depth, a clear 400 instead of a 5xx."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from cylch.concerns.models import Concern
from cylch.core.parsers import MAX_DEPTH, json_depth
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/concerns"


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(PractitionerFactory())
    return client


@pytest.mark.parametrize(
    ("text", "depth"),
    [("1", 0), ("[]", 1), ('{"a": [{"b": []}]}', 4), ('["[[[[", "\\"[["]', 1), ('{"a": "}}}{{{"}', 1)],
)
def test_depth_counts_brackets_outside_strings_only(text, depth):
    assert json_depth(text) == depth


def test_a_body_nested_100000_deep_is_a_clear_400_and_stores_nothing(api):
    response = api.post(URL, data="[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": f"The JSON is nested more than {MAX_DEPTH} levels deep."}
    assert not Concern.objects.exists()


def test_a_body_at_the_depth_limit_is_parsed(api):
    response = api.post(URL, data="[" * MAX_DEPTH + "]" * MAX_DEPTH, content_type="application/json")
    assert response.status_code == 400
    assert "nested" not in json.dumps(response.json())  # refused by the serializer, not the parser


def test_a_number_too_long_to_read_is_a_400(api):
    response = api.post(URL, data='{"kind": ' + "9" * 5000 + "}", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("The request body is not valid JSON")


def test_a_body_not_in_its_declared_charset_is_a_400(api):
    response = api.post(URL, data=b'{"kind": "\xff"}', content_type="application/json; charset=utf-8")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not text in utf-8."}
