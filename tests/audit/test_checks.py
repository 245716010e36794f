"""`cylch check --deploy` fails while the audit log is signed with a key derived from the secret key, and warns
while the application's PostgreSQL role could bypass the audit triggers."""

import pytest
from django.core import checks
from django.db import connection
from django.test import override_settings

from cylch.audit.checks import AUDIT_TABLES, DERIVED_AUDIT_KEY, DERIVED_AUDIT_KEY_IN_DEBUG, audit_privileges_check


def _deploy_messages():
    return checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])


@override_settings(CYLCH_AUDIT_KEY="", DEBUG=False)
def test_the_deploy_check_fails_when_the_audit_key_is_derived_from_the_secret_key():
    (message,) = [m for m in _deploy_messages() if m.id.startswith("cylch.audit.")]
    assert message == DERIVED_AUDIT_KEY
    assert message.is_serious()


@override_settings(CYLCH_AUDIT_KEY="", DEBUG=True)
def test_a_derived_audit_key_is_only_a_warning_on_a_developers_debug_machine():
    assert DERIVED_AUDIT_KEY_IN_DEBUG in _deploy_messages()
    assert not DERIVED_AUDIT_KEY_IN_DEBUG.is_serious()


@override_settings(CYLCH_AUDIT_KEY="a-long-random-secret-from-the-environment", DEBUG=False)
def test_the_deploy_check_is_quiet_when_an_audit_key_is_set():
    assert not [m for m in _deploy_messages() if m.id.startswith("cylch.audit.")]


def _privilege_warnings():
    return [
        message
        for message in checks.run_checks(
            include_deployment_checks=True, tags=[checks.Tags.database], databases=["default"]
        )
        if message.id == "cylch.audit.W002"
    ]


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="roles and privileges are PostgreSQL's")


@postgresql_only
@pytest.mark.django_db
def test_the_deploy_check_warns_when_the_application_role_can_bypass_the_audit_triggers():
    # The test suite connects as the cluster's superuser, which owns the tables and may TRUNCATE them.
    (warning,) = _privilege_warnings()
    assert "is a superuser" in warning.msg
    assert "may TRUNCATE an audit table" in warning.msg


@postgresql_only
@pytest.mark.django_db
def test_the_deploy_check_is_quiet_for_a_role_granted_only_select_insert_and_update():
    tables = ", ".join(AUDIT_TABLES)
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute("CREATE ROLE cylch_check_application NOLOGIN")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE ON {tables} TO cylch_check_application")
        cursor.execute("SET LOCAL ROLE cylch_check_application")
    assert _privilege_warnings() == []


def test_the_privilege_check_queries_nothing_unless_a_database_is_named():
    assert audit_privileges_check(databases=None) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite has no roles")
@pytest.mark.django_db
def test_the_privilege_check_has_nothing_to_say_on_sqlite():
    assert audit_privileges_check(databases=["default"]) == []
