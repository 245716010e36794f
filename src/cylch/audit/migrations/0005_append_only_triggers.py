"""Database triggers that make the audit log append-only below the application.

They refuse DELETE, and any UPDATE except sealing (setting sequence, previous_hash and entry_hash,
once, on an entry not yet sealed); the chain's head may only move forward and is never deleted.
Whoever owns the tables can still drop or disable them, which the signed chain then exposes.
PostgreSQL's TRUNCATE fires no row trigger: do not grant TRUNCATE (or ownership) to the
application's database role. Django's test flush relies on TRUNCATE there.
"""

from django.db import migrations

SEAL_COLUMNS = ("sequence", "previous_hash", "entry_hash")
CONTENT_COLUMNS = (
    "id", "practitioner_id", "roles", "agency_id", "person_id", "action", "page", "outcome", "reason", "path",
    "ip_address", "details", "at", "nonce", "signature",
)

POSTGRESQL = [
    f"""
    CREATE FUNCTION audit_accesslogentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.sequence IS NULL AND NEW.sequence IS NOT NULL
           AND (to_jsonb(NEW) - {" - ".join(f"'{c}'" for c in SEAL_COLUMNS)})
             = (to_jsonb(OLD) - {" - ".join(f"'{c}'" for c in SEAL_COLUMNS)}) THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION USING MESSAGE = 'The audit log is append-only: ' || TG_OP || ' refused',
                              ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_accesslogentry_append_only BEFORE UPDATE OR DELETE ON audit_accesslogentry
        FOR EACH ROW EXECUTE FUNCTION audit_accesslogentry_append_only()
    """,
    """
    CREATE FUNCTION audit_chainhead_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.sequence >= OLD.sequence THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION USING MESSAGE = 'The audit log is append-only: ' || TG_OP || ' of its head refused',
                              ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_chainhead_forward_only BEFORE UPDATE OR DELETE ON audit_chainhead
        FOR EACH ROW EXECUTE FUNCTION audit_chainhead_forward_only()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER audit_chainhead_forward_only ON audit_chainhead",
    "DROP FUNCTION audit_chainhead_forward_only()",
    "DROP TRIGGER audit_accesslogentry_append_only ON audit_accesslogentry",
    "DROP FUNCTION audit_accesslogentry_append_only()",
]

SQLITE = [
    """
    CREATE TRIGGER audit_accesslogentry_no_delete BEFORE DELETE ON audit_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: DELETE refused'); END
    """,
    f"""
    CREATE TRIGGER audit_accesslogentry_contents_fixed
        BEFORE UPDATE OF {", ".join(CONTENT_COLUMNS)} ON audit_accesslogentry
    BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_accesslogentry_sealed_once BEFORE UPDATE ON audit_accesslogentry
        WHEN OLD.sequence IS NOT NULL OR NEW.sequence IS NULL
    BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER audit_chainhead_no_delete BEFORE DELETE ON audit_chainhead
    BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: DELETE of its head refused'); END
    """,
    """
    CREATE TRIGGER audit_chainhead_forward_only BEFORE UPDATE ON audit_chainhead
        WHEN NEW.id IS NOT OLD.id OR NEW.sequence < OLD.sequence
    BEGIN SELECT RAISE(ABORT, 'The audit log is append-only: UPDATE of its head refused'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER audit_chainhead_forward_only",
    "DROP TRIGGER audit_chainhead_no_delete",
    "DROP TRIGGER audit_accesslogentry_sealed_once",
    "DROP TRIGGER audit_accesslogentry_contents_fixed",
    "DROP TRIGGER audit_accesslogentry_no_delete",
]

STATEMENTS = {"postgresql": (POSTGRESQL, POSTGRESQL_REVERSE), "sqlite": (SQLITE, SQLITE_REVERSE)}


def _run(schema_editor, forwards):
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"No append-only triggers written for {vendor}; Cylch runs on PostgreSQL or SQLite.")
    for statement in STATEMENTS[vendor][0 if forwards else 1]:
        schema_editor.execute(statement)


def install(apps, schema_editor):
    _run(schema_editor, forwards=True)


def remove(apps, schema_editor):
    _run(schema_editor, forwards=False)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_signed_chain_and_head'),
    ]

    operations = [migrations.RunPython(install, remove)]
