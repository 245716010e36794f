"""Rows inserted without model instances read back as the ORM wrote them, with their ids in order."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from cylch.chronology.models import ChronologyEvent
from cylch.core.bulk import rows_insert
from cylch.feeds.models import FeedItem
from cylch.people.models import Person
from tests.factories import AgencyFactory, PersonFactory

pytestmark = pytest.mark.django_db

COLUMNS = (
    "person_id",
    "agency_id",
    "kind",
    "occurred_at",
    "recorded_at",
    "summary",
    "details",
    "sensitivity",
    "child_words",
)


def _event_rows(count):
    person, agency = PersonFactory(), AgencyFactory()
    when = datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.UTC)
    return [
        (person.pk, agency.pk, "note", when, when, f"event {n}", {"n": n, "words": "Cymraeg ŵ"}, "standard", "")
        for n in range(count)
    ]


def test_the_ids_come_back_in_the_order_of_the_rows():
    rows = _event_rows(1200)  # more than one statement's worth on SQLite
    ids = rows_insert(ChronologyEvent, COLUMNS, rows)
    stored = {e.pk: e for e in ChronologyEvent.objects.filter(pk__in=ids)}
    assert len(stored) == 1200
    for pk, row in zip(ids, rows, strict=True):
        event = stored[pk]
        assert (event.summary, event.details, event.occurred_at) == (row[5], row[6], row[3])


def test_nothing_to_insert_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert rows_insert(ChronologyEvent, COLUMNS, []) == []


def test_a_duplicate_is_djangos_integrity_error_and_the_savepoint_takes_it_back():
    agency = AgencyFactory()
    now = datetime.datetime.now(datetime.UTC)
    row = (agency.pk, "I-1", "event", "h", "stored", None, {}, now)
    columns = ("agency_id", "item_id", "item_type", "content_hash", "outcome", "person_id", "created", "received_at")
    rows_insert(FeedItem, columns, [row])
    with pytest.raises(IntegrityError), transaction.atomic():
        rows_insert(FeedItem, columns, [(agency.pk, "I-2", "event", "h", "stored", None, {}, now), row])
    assert list(FeedItem.objects.values_list("item_id", flat=True)) == ["I-1"]


def test_a_relation_that_is_not_a_column_is_refused():
    with pytest.raises(ValueError, match="columns"):
        rows_insert(Person, ("given_name", "chronology_events"), [("Cai", 2)])
