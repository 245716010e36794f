"""Events fed in bulk: re-sends answered from the items stored before, people found by the agency's own ids."""

from __future__ import annotations

import datetime

import pytest

from cylch.chronology.models import ChronologyEvent
from cylch.feeds.models import ItemOutcome
from cylch.feeds.services.intake import feed_items_receive
from tests.factories import PersonFactory, SourceRecordFactory

pytestmark = pytest.mark.django_db


def _event(item_id: str, local_id: str = "P-77", summary: str = "Officers attended") -> tuple[str, dict[str, object]]:
    return (
        "event",
        {
            "id": item_id,
            "person": {"local_id": local_id},
            "kind": "police_incident",
            "occurred_at": "2025-03-01T22:10:00Z",
            "summary": summary,
        },
    )


def test_a_re_sent_event_is_answered_already_stored_with_its_persons_cylch_id(police, police_record, child):
    feed_items_receive(agency=police, items=[_event("E-1"), _event("E-2")])
    results = feed_items_receive(agency=police, items=[_event("E-2"), _event("E-3")])
    assert [(r.outcome, r.cylch_id) for r in results] == [
        (ItemOutcome.ALREADY_STORED, child.cylch_id),
        (ItemOutcome.STORED, child.cylch_id),
    ]
    assert ChronologyEvent.objects.count() == 3


def test_a_re_sent_id_with_other_content_is_refused_beside_items_of_another_agency_with_the_same_id(
    police, council, police_record, child
):
    SourceRecordFactory(agency=council, person=child, local_id="C-1")
    feed_items_receive(agency=council, items=[_event("E-1", local_id="C-1", summary="Council's own")])
    feed_items_receive(agency=police, items=[_event("E-1")])
    results = feed_items_receive(agency=police, items=[_event("E-1", summary="Changed")])
    assert results[0].outcome == ItemOutcome.REJECTED
    assert "id" in results[0].errors


def test_events_by_local_id_find_each_record_of_the_agency_and_only_its_own(police, council, police_record, child):
    other = PersonFactory(date_of_birth=datetime.date(2014, 1, 1))
    SourceRecordFactory(agency=police, person=other, local_id="P-78")
    SourceRecordFactory(agency=council, person=other, local_id="P-79")
    results = feed_items_receive(
        agency=police, items=[_event("E-1"), _event("E-2", local_id="P-78"), _event("E-3", local_id="P-79")]
    )
    assert [r.outcome for r in results] == [ItemOutcome.STORED, ItemOutcome.STORED, ItemOutcome.REJECTED]
    assert [r.cylch_id for r in results[:2]] == [child.cylch_id, other.cylch_id]
    assert "person" in results[2].errors


def test_an_event_by_the_local_id_of_a_merged_record_goes_on_the_survivors_chronology(police):
    survivor = PersonFactory(date_of_birth=datetime.date(2015, 1, 1))
    merged = PersonFactory(date_of_birth=datetime.date(2015, 1, 1), merged_into=survivor)
    SourceRecordFactory(agency=police, person=merged, local_id="P-90")
    results = feed_items_receive(agency=police, items=[_event("E-1", local_id="P-90")])
    assert results[0].cylch_id == survivor.cylch_id
    assert ChronologyEvent.objects.get().person == survivor
