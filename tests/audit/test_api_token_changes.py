"""Issuing, rotating and revoking an API token is on the audit chain: holder, scopes and expiry, never the key."""

from __future__ import annotations

import pytest

from cylch.accounts.services import api_token_create, api_token_revoke, api_token_rotate
from cylch.audit.chain import chain_seal, chain_verify
from cylch.audit.models import AccessLogEntry, AuditAction
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


def _token_entries():
    return list(AccessLogEntry.objects.filter(action=AuditAction.API_TOKEN).order_by("pk"))


def test_issuing_a_token_names_its_holder_scopes_and_expiry():
    holder = PractitionerFactory(username="hv.jones")
    issued = api_token_create(practitioner=holder, scopes=["persons:read"], days=30)
    [entry] = _token_entries()
    assert entry.details == {
        "change": "issued",
        "prefix": issued.token.prefix,
        "holder": "hv.jones",
        "scopes": "persons:read",
        "expires_at": issued.token.expires_at.isoformat(),
    }


def test_the_key_itself_is_never_written_to_the_chain():
    issued = api_token_create(practitioner=PractitionerFactory(), scopes=["persons:read"])
    assert issued.key not in str(_token_entries()[0].details)


def test_rotating_writes_one_entry_naming_the_token_it_replaces():
    old = api_token_create(practitioner=PractitionerFactory(), scopes=["persons:read"]).token
    new = api_token_rotate(token=old).token
    entry = _token_entries()[-1]
    assert (len(_token_entries()), entry.details["change"]) == (2, "rotated")
    assert (entry.details["prefix"], entry.details["replaces"]) == (new.prefix, old.prefix)


def test_revoking_is_recorded_once_even_when_asked_twice():
    token = api_token_create(practitioner=PractitionerFactory(), scopes=["persons:read"]).token
    api_token_revoke(token=token)
    api_token_revoke(token=token)
    assert [entry.details["change"] for entry in _token_entries()] == ["issued", "revoked"]


def test_the_chain_verifies_after_token_changes():
    token = api_token_create(practitioner=PractitionerFactory(), scopes=["persons:read"]).token
    api_token_revoke(token=token)
    chain_seal()
    assert chain_verify().intact
