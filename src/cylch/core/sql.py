"""Plain SQL for the reads that run for every subject of every concern (matching), where compiling an ORM
query costs several times running it. Each statement is written so that PostgreSQL can prepare it once per
connection and reuse its plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def any_of(column: str, values: Sequence[object]) -> tuple[str, list[object]]:
    """A WHERE term for `column` equal to any of `values`, and its parameters.

    On PostgreSQL the values are one array parameter, so the statement reads the same however many there are:
    it is prepared once and its plan reused, where an `IN` list would be a new statement for each length,
    planned afresh each time. SQLite, which has no arrays, gets the `IN` list."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def rows(sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)  # type: ignore[arg-type]  # dates, strings, numbers and (PostgreSQL) lists
        found: list[tuple[Any, ...]] = cursor.fetchall()
    return found


def first_column(sql: str, params: Sequence[object]) -> list[Any]:
    return [row[0] for row in rows(sql, params)]
