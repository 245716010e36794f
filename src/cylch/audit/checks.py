"""`cylch check --deploy` fails while the audit log is signed with a key derived from SECRET_KEY, and (with
`--database default`) warns while the application's PostgreSQL role could remove audit rows below the triggers.

A derived key is an error, not a warning: whoever reads SECRET_KEY (it sits in every web process's
environment and in many a settings backup) could re-sign the whole chain and its anchors, and nothing would
show it. Production runs `cylch check --deploy` before starting (docs/deploy.md), so it refuses to start.
With DEBUG on (a developer's own machine) it stays a warning."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django.db import connections

from cylch.audit.models import AccessLogEntry, ChainHead
from cylch.audit.signing import KEY_SETTING, audit_key_is_default

_DERIVED_KEY = f"{KEY_SETTING} is not set, so the audit log is signed with a key derived from SECRET_KEY."
_DERIVED_KEY_HINT = (
    f"Set {KEY_SETTING} to a long random secret kept outside the database and its backups, and never change it "
    f"while the log holds entries signed with it (rotate through {KEY_SETTING} and CYLCH_AUDIT_RETIRED_KEYS)."
)
DERIVED_AUDIT_KEY = Error(_DERIVED_KEY, hint=_DERIVED_KEY_HINT, id="cylch.audit.E001")
DERIVED_AUDIT_KEY_IN_DEBUG = Warning(_DERIVED_KEY, hint=_DERIVED_KEY_HINT, id="cylch.audit.W001")
AUDIT_TABLES = (AccessLogEntry._meta.db_table, ChainHead._meta.db_table)

# Whether the role the application connects as is a superuser, owns an audit table (and so can drop or disable
# its triggers) or may TRUNCATE it (TRUNCATE fires no row trigger).
_PRIVILEGES_SQL = """
    SELECT c.relname,
           (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
           pg_has_role(current_user, c.relowner, 'USAGE'),
           has_table_privilege(current_user, c.oid, 'TRUNCATE')
    FROM pg_class c
    WHERE c.relname = ANY(%s) AND c.relkind = 'r' AND pg_table_is_visible(c.oid)
    ORDER BY c.relname
"""


def audit_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not audit_key_is_default():
        return []
    return [DERIVED_AUDIT_KEY_IN_DEBUG if settings.DEBUG else DERIVED_AUDIT_KEY]


def audit_privileges_check(
    app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Name each power over the audit tables that lets the application's role bypass append-only."""
    messages: list[CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue  # SQLite has no roles: whoever can write the file can do anything to it
        with connection.cursor() as cursor:
            cursor.execute(_PRIVILEGES_SQL, [list(AUDIT_TABLES)])
            rows = cursor.fetchall()
        held = [
            ("is a superuser", any(row[1] for row in rows)),
            ("owns an audit table", any(row[2] for row in rows)),
            ("may TRUNCATE an audit table", any(row[3] for row in rows)),
        ]
        powers = [power for power, yes in held if yes]
        if powers:
            messages.append(
                Warning(
                    f"The application's database role (connection '{alias}') {' and '.join(powers)} "
                    f"({', '.join(AUDIT_TABLES)}), so it could remove audit entries below the append-only triggers.",
                    hint="Run migrations as a separate owner role and connect the application as a role granted "
                    "only SELECT, INSERT and UPDATE on the audit tables (see the README's deployment notes).",
                    id="cylch.audit.W002",
                )
            )
    return messages
