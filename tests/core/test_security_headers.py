"""Pinned security headers: losing or weakening one (a settings change, a middleware dropped) fails here."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

HTML_PAGE = "/concerns/mine/"  # a signed-in page listing the practitioner's own concerns
API_LIST = "/api/v1/concerns"

PINNED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Content-Language": "en",
}


def _pinned(response) -> dict[str, str | None]:
    return {name: response.headers.get(name) for name in PINNED}


def test_a_signed_in_html_page_sends_the_pinned_security_headers(client):
    client.force_login(PractitionerFactory())
    response = client.get(HTML_PAGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert _pinned(response) == PINNED


def test_an_api_response_sends_the_pinned_security_headers():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=PractitionerFactory()).key}")
    response = client.get(API_LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert _pinned(response) == PINNED
