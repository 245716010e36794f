"""Lockout after repeated failed sign-ins, per account and per address (django-axes), and every failure audited."""

from __future__ import annotations

import pytest
from django.test import override_settings

from cylch.audit.models import AccessLogEntry, AccessOutcome, AuditAction
from tests.accounts.sign_in import authenticator_code
from tests.factories import TEST_PASSWORD, AuthenticatorFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

SIGN_IN, CODE = "/sign-in/", "/sign-in/code/"
LIMIT = 3


WRONG = "wrong-password"


def _attempt(client, username, password=WRONG, address="192.0.2.10"):
    return client.post(SIGN_IN, {"username": username, "password": password}, REMOTE_ADDR=address)


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_an_account_is_locked_after_repeated_failures_even_with_the_right_password(client):
    PractitionerFactory(username="siân")
    for _ in range(LIMIT - 1):
        assert _attempt(client, "siân").status_code == 200
    response = _attempt(client, "siân")
    assert response.status_code == 429
    assert "You cannot sign in at the moment" in response.content.decode()
    assert "Try again in 15 minutes." in response.content.decode()
    # from another address, with the right password: the account itself is locked
    assert _attempt(client, "siân", TEST_PASSWORD, address="198.51.100.7").status_code == 429
    assert client.get("/").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_an_address_guessing_across_accounts_is_locked(client):
    victim = PractitionerFactory()
    for n in range(LIMIT):
        _attempt(client, f"guess{n}")
    assert _attempt(client, victim.username, TEST_PASSWORD).status_code == 429
    assert _attempt(client, victim.username, TEST_PASSWORD, address="198.51.100.7").status_code == 302


def test_a_failed_sign_in_is_on_the_audit_chain(client):
    _attempt(client, "nobody.here")
    entry = AccessLogEntry.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert entry.practitioner is None
    assert entry.person is None
    assert entry.roles == ""
    assert entry.outcome == AccessOutcome.REFUSED
    assert entry.ip_address == "192.0.2.10"
    assert entry.details == {"username": "nobody.here", "step": "password"}
    assert entry.signature_valid()


@override_settings(AXES_FAILURE_LIMIT=LIMIT)
def test_wrong_codes_are_audited_and_lock_the_account_out(client):
    device = AuthenticatorFactory()
    username = device.user.username
    assert client.post(SIGN_IN, {"username": username, "password": TEST_PASSWORD}).status_code == 302
    wrong = "000000" if authenticator_code(device) != "000000" else "111111"
    for _ in range(LIMIT - 1):
        assert client.post(CODE, {"code": wrong}).status_code == 200
    response = client.post(CODE, {"code": wrong})
    assert response.status_code == 429
    assert client.get("/").status_code == 302  # signed out
    failures = AccessLogEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED)
    assert [entry.details for entry in failures] == [{"username": username, "step": "code"}] * LIMIT
    assert AccessLogEntry.objects.filter(action=AuditAction.SIGN_IN_LOCKED_OUT, details__username=username).exists()
    assert client.post(SIGN_IN, {"username": username, "password": TEST_PASSWORD}).status_code == 429
