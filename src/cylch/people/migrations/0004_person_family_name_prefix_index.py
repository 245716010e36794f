"""An index for the search's family-name prefix (`family_name__istartswith`, which PostgreSQL runs as
UPPER(family_name) LIKE 'JON%'): without it every search by name read every person.

PostgreSQL only: the expression needs its pattern operator class, which SQLite has no use for."""

from django.db import migrations

INDEX = "people_person_family_upper_prefix"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {INDEX} ON people_person (UPPER(family_name::text) text_pattern_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_rekey_undecomposable_letters"),
    ]

    operations = [migrations.RunPython(create, drop)]
