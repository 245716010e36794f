"""Pinned security headers: losing or weakening one (a settings change, a middleware dropped) fails here."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import PractitionerFactory, api_key

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
    "Permissions-Policy": (
        "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), "
        "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(), "
        "publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()"
    ),
}
# Directive by directive (django-csp does not keep their order): nothing inline, nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "default-src": {"'none'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "manifest-src": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
    "base-uri": {"'none'"},
}


def _pinned(response) -> dict[str, str | None]:
    return {name: response.headers.get(name) for name in PINNED}


def _policy(response) -> dict[str, set[str]]:
    directives = (d.split() for d in response["Content-Security-Policy"].split(";") if d.strip())
    return {name: set(sources) for name, *sources in directives}


def test_a_signed_in_html_page_sends_the_pinned_security_headers(client):
    client.force_login(PractitionerFactory())
    response = client.get(HTML_PAGE)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert _pinned(response) == PINNED
    assert _policy(response) == CONTENT_SECURITY_POLICY


def test_an_api_response_sends_the_pinned_security_headers():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(PractitionerFactory())}")
    response = client.get(API_LIST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert _pinned(response) == PINNED
    assert _policy(response) == CONTENT_SECURITY_POLICY


def test_the_api_documentation_widens_the_policy_only_for_what_redoc_makes_at_run_time(client):
    client.force_login(PractitionerFactory())
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert _policy(response) == {
        **CONTENT_SECURITY_POLICY,
        "style-src": {"'self'", "'unsafe-inline'"},
        "img-src": {"'self'", "data:"},
        "worker-src": {"blob:"},
    }


def test_hsts_is_off_until_the_deployment_switches_it_on(client):
    assert "Strict-Transport-Security" not in client.get("/sign-in/", secure=True).headers


@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_when_switched_on_is_sent_over_https(client):
    assert client.get("/sign-in/", secure=True)["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in client.get("/sign-in/").headers  # never over plain HTTP (RFC 6797)
