"""Scopes: each API endpoint names the scope a token needs, and a token without it is refused (403)."""

from __future__ import annotations

import pytest
from django.urls import URLPattern
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from cylch.accounts.scopes import (
    CONCERNS_READ,
    CONCERNS_WRITE,
    PERSONS_MATCH,
    PERSONS_READ,
    PRACTITIONER_SCOPES,
    SCOPES,
    SOURCE_RECORDS_WRITE,
)
from cylch.api_urls import urlpatterns as api_patterns
from tests.concerns.conftest import api_payload
from tests.factories import ConcernFactory, PersonFactory, PractitionerFactory, api_key

pytestmark = pytest.mark.django_db


def _call(method, path, scopes, *, system=False):
    user = PractitionerFactory(is_system_account=system)
    concern = ConcernFactory(referrer=user)
    person = PersonFactory()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user, scopes=scopes)}")
    url = path.format(reference=concern.reference, cylch_id=person.cylch_id)
    body = {
        "/api/v1/concerns": api_payload(),
        "/api/v1/persons/match": {"given_name": "Nia"},
        "/api/v1/source-records": {"local_id": "GP-1", "given_name": "Nia", "family_name": "Morgan"},
    }.get(path)
    return api.post(url, body, format="json") if method == "post" else api.get(url)


ENDPOINTS = [
    ("post", "/api/v1/concerns", CONCERNS_WRITE, 201),
    ("get", "/api/v1/concerns", CONCERNS_READ, 200),
    ("get", "/api/v1/concerns/{reference}", CONCERNS_READ, 200),
    ("get", "/api/v1/persons/{cylch_id}", PERSONS_READ, 200),
    ("post", "/api/v1/persons/match", PERSONS_MATCH, 200),
    ("post", "/api/v1/source-records", SOURCE_RECORDS_WRITE, 201),
]


@pytest.mark.parametrize(("method", "path", "scope", "allowed"), ENDPOINTS)
def test_a_token_with_the_endpoints_scope_is_let_through(method, path, scope, allowed):
    response = _call(method, path, [scope], system=scope == SOURCE_RECORDS_WRITE)
    assert response.status_code == allowed, response.content


@pytest.mark.parametrize(("method", "path", "scope", "allowed"), ENDPOINTS)
def test_a_token_with_every_other_scope_is_refused_with_403(method, path, scope, allowed):
    others = set(SCOPES) - {scope}
    response = _call(method, path, others, system=True)
    assert response.status_code == 403
    assert response.json() == {"detail": f"This token lacks the {scope} scope this call needs."}


def test_every_api_endpoint_names_a_known_scope_for_each_of_its_methods():
    """A method without a scope would be closed to every token (see the next test): name one when adding it."""
    for pattern in api_patterns:
        assert isinstance(pattern, URLPattern)
        view = pattern.callback.view_class  # type: ignore[attr-defined]
        methods = {m.upper() for m in view.http_method_names if m not in {"options", "head"} and hasattr(view, m)}
        assert methods, pattern
        assert set(view.required_scopes) == methods, pattern
        assert set(view.required_scopes.values()) <= set(SCOPES), pattern


class _Unscoped(APIView):
    def get(self, request):
        return Response({"ok": True})


def test_a_view_that_names_no_scope_is_closed_to_tokens_but_open_to_a_session():
    user = PractitionerFactory()
    key = api_key(user, scopes=PRACTITIONER_SCOPES)
    with_token = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Token {key}")
    assert _Unscoped.as_view()(with_token).status_code == 403
    signed_in = APIRequestFactory().get("/")
    force_authenticate(signed_in, user=user)  # as a session: the user, and no token
    assert _Unscoped.as_view()(signed_in).status_code == 200


def test_a_session_is_not_limited_by_scopes():
    """The web calls the API as the signed-in practitioner: only the role rules apply."""
    api = APIClient()
    api.force_authenticate(PractitionerFactory())
    assert api.get("/api/v1/concerns").status_code == 200
    assert api.post("/api/v1/persons/match", {"given_name": "Nia"}, format="json").status_code == 200


def test_options_describes_an_endpoint_to_any_token():
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key(PractitionerFactory(), scopes=[PERSONS_READ])}")
    assert api.options("/api/v1/concerns").status_code == 200
