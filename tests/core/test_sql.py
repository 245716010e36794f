from __future__ import annotations

import pytest
from django.db import connection

from cylch.core.sql import any_of, first_column, quote, rows
from cylch.people.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
TABLE = quote(Person._meta.db_table)


@pytest.mark.parametrize("wanted", [0, 1, 3])
def test_any_of_finds_exactly_the_values_given(wanted):
    people = PersonFactory.create_batch(4)
    ids = [p.pk for p in people[:wanted]]
    term, params = any_of("id", ids)
    assert sorted(first_column(f"SELECT id FROM {TABLE} WHERE {term}", params)) == sorted(ids)  # noqa: S608


def test_not_any_of_nothing_is_everything():
    people = PersonFactory.create_batch(2)
    term, params = any_of("id", [])
    found = first_column(f"SELECT id FROM {TABLE} WHERE NOT ({term})", params)  # noqa: S608
    assert sorted(found) == sorted(p.pk for p in people)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no arrays: it gets an IN list")
def test_on_postgresql_the_statement_is_the_same_however_many_values():
    assert any_of("id", [1])[0] == any_of("id", [1, 2, 3])[0]


def test_rows_returns_whole_rows():
    person = PersonFactory(given_name="Cerys", family_name="Jones")
    assert rows(f"SELECT given_name, family_name FROM {TABLE} WHERE id = %s", [person.pk]) == [  # noqa: S608
        ("Cerys", "Jones")
    ]
