"""Audit tests: their own anchor file, and a way to simulate someone who switched the append-only triggers off."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import override_settings

AUDIT_TABLES = ("audit_accesslogentry", "audit_chainhead")


@pytest.fixture(autouse=True)
def _anchor_file_per_test(tmp_path):
    """The worker's anchor file lives under VAR_DIR; each test gets an empty one."""
    with override_settings(VAR_DIR=tmp_path):
        yield


@contextlib.contextmanager
def audit_triggers_disabled() -> Iterator[None]:
    """Tampering as the tables' owner would: PostgreSQL replication role (skips triggers), SQLite drops them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
            try:
                yield
            finally:
                cursor.execute("SET session_replication_role = DEFAULT")
            return
        placeholders = ", ".join(["%s"] * len(AUDIT_TABLES))
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({placeholders})",  # noqa: S608
            list(AUDIT_TABLES),
        )
        triggers = cursor.fetchall()
        assert triggers, "the append-only triggers are missing"
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            yield
        finally:
            for _name, sql in triggers:
                cursor.execute(sql)


@pytest.fixture
def tamper():
    return audit_triggers_disabled


@pytest.fixture
def empties_audit_log_afterwards(transactional_db):
    """A committed audit log cannot be flushed by Django's DELETE on SQLite, so empty it as an owner would."""
    yield
    with audit_triggers_disabled(), connection.cursor() as cursor:
        for table in AUDIT_TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
