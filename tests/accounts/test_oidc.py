"""Signing in through an agency's OpenID Connect provider: off unless configured; a provider's user signs in as
the practitioner they match, then the second factor. The provider's token and userinfo endpoints are faked at
the HTTP client (requests' transport adapter), so the library's own requests, parsing and checks all run."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from django.test import override_settings

from cylch.audit.models import AccessLogEntry, AuditAction
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

CLIENT_ID, SECRET = "cylch-test", "a-shared-secret-long-enough-for-hs256-signing"
PROVIDER = "https://login.agency.invalid"
OIDC = {
    "OIDC_RP_CLIENT_ID": CLIENT_ID,
    "OIDC_RP_CLIENT_SECRET": SECRET,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{PROVIDER}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{PROVIDER}/token",
    "OIDC_OP_USER_ENDPOINT": f"{PROVIDER}/userinfo",
    "OIDC_RP_SIGN_ALGO": "HS256",
    "CYLCH_OIDC_PROVIDER_NAME": "Heddlu Test",
}


class FakeProvider:
    """Answers the token and userinfo calls the way a provider would; records what it was sent."""

    def __init__(self, claims: dict[str, object], audience: str = CLIENT_ID) -> None:
        self.claims, self.audience, self.nonce, self.sent = claims, audience, "", []

    def send(self, request, **kwargs):
        self.sent.append(request)
        if request.url == f"{PROVIDER}/token":
            id_token = jwt.encode({"aud": self.audience, "nonce": self.nonce, "sub": "42"}, SECRET, algorithm="HS256")
            body = {"id_token": id_token, "access_token": "access", "token_type": "Bearer"}
        elif request.url == f"{PROVIDER}/userinfo":
            body = self.claims
        else:
            raise AssertionError(f"unexpected call to {request.url}")
        response = requests.Response()
        response.status_code, response.url, response._content = 200, request.url, json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        return response


def _through_the_provider(client, monkeypatch, provider):
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", lambda adapter, request, **kw: provider.send(request))
    redirect = client.get("/sign-in/provider/?next=/people/search/")
    assert redirect.status_code == 302
    query = parse_qs(urlsplit(redirect["Location"]).query)
    assert redirect["Location"].startswith(f"{PROVIDER}/authorize?")
    assert query["client_id"] == [CLIENT_ID]
    provider.nonce = query["nonce"][0]
    return client.get("/sign-in/provider/callback/", {"code": "the-code", "state": query["state"][0]})


def test_it_is_off_unless_configured(client):
    assert client.get("/sign-in/provider/").status_code == 404
    assert client.get("/sign-in/provider/callback/").status_code == 404
    assert "Sign in with" not in client.get("/sign-in/").content.decode()


@override_settings(**OIDC)
def test_the_sign_in_page_offers_the_provider(client):
    page = client.get("/sign-in/").content.decode()
    assert 'href="/sign-in/provider/"' in page
    assert "Sign in with Heddlu Test</a>" in page


@override_settings(**OIDC)
def test_a_provider_user_signs_in_as_the_practitioner_with_their_email_then_the_second_factor(client, monkeypatch):
    practitioner = PractitionerFactory(email="Ceri.Watkins@heddlu.example")
    provider = FakeProvider({"sub": "42", "email": "ceri.watkins@heddlu.example", "email_verified": True})

    response = _through_the_provider(client, monkeypatch, provider)

    assert response.status_code == 302
    assert response["Location"] == "/people/search/"
    assert client.session["_auth_user_id"] == str(practitioner.pk)
    assert client.get("/people/search/")["Location"].startswith("/sign-in/code/")
    assert parse_qs(provider.sent[0].body)["code"] == ["the-code"]


@override_settings(**OIDC, CYLCH_OIDC_USERNAME_CLAIM="preferred_username")
def test_a_configured_claim_matches_the_username_instead(client, monkeypatch):
    practitioner = PractitionerFactory(username="cwatkins", email="")
    provider = FakeProvider({"sub": "42", "preferred_username": "cwatkins"})
    assert _through_the_provider(client, monkeypatch, provider).status_code == 302
    assert client.session["_auth_user_id"] == str(practitioner.pk)


@override_settings(**OIDC)
def test_nobody_is_created_for_a_provider_user_who_is_not_a_practitioner(client, monkeypatch):
    provider = FakeProvider({"sub": "42", "email": "stranger@elsewhere.example"})
    response = _through_the_provider(client, monkeypatch, provider)
    assert response["Location"] == "/sign-in/"
    assert "_auth_user_id" not in client.session
    assert AccessLogEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED).exists()


@override_settings(**OIDC)
def test_an_id_token_issued_to_another_client_is_refused(client, monkeypatch):
    PractitionerFactory(email="ceri.watkins@heddlu.example")
    provider = FakeProvider({"sub": "42", "email": "ceri.watkins@heddlu.example"}, audience="another-service")
    response = _through_the_provider(client, monkeypatch, provider)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
