"""accounts/0005: DRF's plaintext tokens become hashed API tokens that accept the same key, then are deleted."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from rest_framework.test import APIClient

from cylch.accounts.models import ApiToken
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cylch.accounts.migrations.0005_api_tokens_from_drf")
DRF_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # DRF's own format: 40 hexadecimal characters


def _drf_table(*rows: tuple[str, int]) -> None:
    """DRF's token table as an older database still has it (the app is no longer installed)."""
    with connection.cursor() as cursor:
        cursor.execute(
            'CREATE TABLE authtoken_token ("key" varchar(40) PRIMARY KEY, created timestamp, user_id integer)'
        )
        for key, user_id in rows:
            cursor.execute('INSERT INTO authtoken_token ("key", user_id) VALUES (%s, %s)', [key, user_id])


def _run() -> None:
    migration.tokens_from_drf(apps, SimpleNamespace(connection=connection))


def test_a_drf_token_keeps_working_hashed_with_a_practitioners_scopes_and_the_plaintext_is_gone():
    user = PractitionerFactory()
    _drf_table((DRF_KEY, user.pk))
    _run()
    token = ApiToken.objects.get()
    assert (token.practitioner, token.prefix, token.revoked_at) == (user, DRF_KEY[:12], None)
    assert token.scope_set() == {"concerns:read", "concerns:write", "persons:match", "persons:read"}
    assert DRF_KEY not in token.key_hash
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone() == (0,)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {DRF_KEY}")
    assert api.get("/api/v1/concerns").status_code == 200


def test_a_database_without_drfs_table_has_nothing_to_migrate():
    _run()
    assert not ApiToken.objects.exists()
