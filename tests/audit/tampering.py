"""Acting on the audit tables as their owner would, below the application's append-only triggers.

Tests use it to simulate tampering, and to empty a committed log that Django's test flush cannot
(on SQLite the flush is a DELETE, which the triggers refuse; on PostgreSQL a TRUNCATE, refused while the
tables hold rows).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection

AUDIT_TABLES = ("audit_accesslogentry", "audit_chainhead")


@contextlib.contextmanager
def audit_triggers_disabled() -> Iterator[None]:
    """PostgreSQL's replication role skips triggers; SQLite has no switch, so drop and recreate them."""
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


def audit_log_empty() -> None:
    with audit_triggers_disabled(), connection.cursor() as cursor:
        for table in AUDIT_TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608
