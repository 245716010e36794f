"""Rows inserted without building model instances: a bulk file's chunk writes thousands of rows, and Django's
`bulk_create` spends more of the importer's time making and preparing instances (a few dozen calls per field of
each row) than PostgreSQL spends storing them.

On PostgreSQL the ids are taken from the table's sequence in one statement and the rows go in by COPY; elsewhere
(SQLite, the tests' database) by multi-row INSERTs that return the ids. Either way the caller's transaction holds
it all, so a rollback takes it back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value of `field` goes to the database when the driver cannot take it as it is (None: as it is)."""
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda value: json.dumps(value, cls=encoder)
    if connection.vendor != "postgresql" and isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value
    return None


def _adapted(adapters: list[tuple[int, Callable[[Any], Any]]], row: Sequence[Any]) -> list[Any]:
    values = list(row)
    for n, adapt in adapters:
        if values[n] is not None:
            values[n] = adapt(values[n])
    return values


def rows_insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Insert `rows` (values in the order of `columns`, the fields' attnames, as Python values) into `model`'s
    table; their new ids, in the order of `rows`. Defaults are not applied: give every column a value."""
    if not rows:
        return []
    meta = model._meta
    fields = [field for name in columns if isinstance(field := meta.get_field(name), models.Field)]
    if len(fields) != len(columns):
        raise ValueError(f"not all of {columns} are columns of {meta.label}")
    adapters = [(n, adapt) for n, f in enumerate(fields) if (adapt := _adapter(f)) is not None]
    quote = connection.ops.quote_name
    table, names = quote(meta.db_table), ", ".join(quote(str(f.column)) for f in fields)
    pk = str(meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
                [meta.db_table, pk, len(rows)],
            )
            ids: list[int] = [row[0] for row in cursor.fetchall()]
            statement = f"COPY {table} ({quote(pk)}, {names}) FROM STDIN"
            with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:  # Django's errors, e.g.
                for pk_value, row in zip(ids, rows, strict=True):  # IntegrityError for a duplicate
                    copy.write_row((pk_value, *_adapted(adapters, row)))
            return ids
        ids = []
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        per_statement = max(1, 999 // len(columns))  # SQLite's oldest limit on parameters
        for start in range(0, len(rows), per_statement):
            part = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(part))} RETURNING {quote(pk)}",  # noqa: S608
                [value for row in part for value in _adapted(adapters, row)],
            )
            ids += [row[0] for row in cursor.fetchall()]
        return ids
