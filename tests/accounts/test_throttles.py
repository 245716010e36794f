"""Per-token rate limits: over CYLCH_API_TOKEN_RATE a token gets 429 with Retry-After; each token counts alone."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import PractitionerFactory, api_key

pytestmark = pytest.mark.django_db
URL = "/api/v1/concerns"


def _api(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_a_token_over_its_rate_gets_429_with_retry_after(settings):
    settings.CYLCH_API_TOKEN_RATE = "3/min"
    api = _api(api_key(PractitionerFactory()))
    assert [api.get(URL).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(URL)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60


def test_each_token_has_its_own_allowance(settings):
    settings.CYLCH_API_TOKEN_RATE = "1/min"
    user = PractitionerFactory()
    first, second = _api(api_key(user)), _api(api_key(user))
    assert [first.get(URL).status_code, first.get(URL).status_code] == [200, 429]
    assert second.get(URL).status_code == 200


def test_a_session_is_not_counted(settings):
    settings.CYLCH_API_TOKEN_RATE = "1/min"
    api = APIClient()
    api.force_authenticate(PractitionerFactory())
    assert [api.get(URL).status_code for _ in range(3)] == [200, 200, 200]
