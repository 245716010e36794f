"""PostgreSQL: refuse TRUNCATE of a non-empty audit table.

TRUNCATE fires no row trigger, so migration 0005's triggers never saw it: an owner (or any role granted
TRUNCATE) could empty the log in one statement. A statement-level BEFORE TRUNCATE trigger closes that. A
TRUNCATE of an empty table destroys nothing and is let through, so Django's test flush (a TRUNCATE of every
table, after the tests have emptied a committed log as its owner would) keeps working. Dropping the trigger
still needs the owner's deliberate DDL, which the anchor file outside the database then exposes.
SQLite has no TRUNCATE (its `DELETE FROM` without WHERE fires the DELETE trigger of 0005).
"""

from django.db import migrations

TABLES = ("audit_accesslogentry", "audit_chainhead")

POSTGRESQL = [
    """
    CREATE FUNCTION audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        holds_rows boolean;
    BEGIN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO holds_rows;
        IF holds_rows THEN
            RAISE EXCEPTION USING MESSAGE = 'The audit log is append-only: TRUNCATE of ' || TG_TABLE_NAME || ' refused',
                                  ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NULL;
    END;
    $$
    """,
    *(
        f"""
        CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_truncate()
        """
        for table in TABLES
    ),
]
POSTGRESQL_REVERSE = [
    *(f"DROP TRIGGER {table}_no_truncate ON {table}" for table in TABLES),
    "DROP FUNCTION audit_refuse_truncate()",
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL:
            schema_editor.execute(statement, params=None)  # no parameters: format()'s %I passes through


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_REVERSE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0007_delete_accessgrant"),
    ]

    operations = [migrations.RunPython(install, remove)]
