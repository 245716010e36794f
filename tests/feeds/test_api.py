"""POST /api/v1/events and the other feed endpoints: each item's outcome, re-sends, bad input and who may send."""

from __future__ import annotations

import datetime

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from cylch.accounts.models import AgencyKind
from cylch.accounts.scopes import FEEDS_WRITE, SOURCE_RECORDS_WRITE
from cylch.audit.models import AccessLogEntry
from cylch.chronology.models import ChronologyEvent
from cylch.feeds.models import FeedItem
from cylch.feeds.signals import events_recorded
from cylch.linkage.models import MatchReview
from cylch.people.models import HouseholdMembership, Involvement, SourceRecord, StatutoryStatus
from tests.factories import AgencyFactory, PersonFactory, PractitionerFactory, SourceRecordFactory, api_key
from tests.feeds.conftest import token_client

pytestmark = pytest.mark.django_db


def _event(item_id="E-1", local_id="P-77", **changes):
    event = {
        "id": item_id,
        "person": {"local_id": local_id},
        "kind": "domestic_abuse_incident",
        "occurred_at": "2026-03-01T23:10:00Z",
        "summary": "Call-out to the home; children present",
        "sensitivity": "sensitive",
        "child_words": "Mam was crying",
    }
    return {**event, **changes}


def _post(api, path, body):
    return api.post(f"/api/v1/{path}", body, format="json")


def _outcomes(response):
    assert response.status_code == 200, response.content
    return [r["outcome"] for r in response.json()["results"]]


def test_an_event_about_a_person_sent_before_is_stored_on_their_chronology(police_api, police_record, child):
    response = _post(police_api, "events", _event())
    assert _outcomes(response) == ["stored"]
    assert response.json()["results"][0]["cylch_id"] == child.cylch_id
    event = ChronologyEvent.objects.get(person=child)
    assert (event.agency, event.source_record, event.child_words) == (
        police_record.agency,
        police_record,
        "Mam was crying",
    )


def test_re_sending_the_same_event_is_already_stored_and_changes_nothing(police_api, police_record):
    _post(police_api, "events", _event())
    response = _post(police_api, "events", _event())
    assert _outcomes(response) == ["already_stored"]
    assert ChronologyEvent.objects.count() == 1


def test_an_event_id_re_used_for_a_different_event_is_rejected(police_api, police_record):
    _post(police_api, "events", _event())
    response = _post(police_api, "events", _event(summary="Something else"))
    assert _outcomes(response) == ["rejected"]
    assert "different item" in response.json()["results"][0]["errors"]["id"][0]
    assert ChronologyEvent.objects.count() == 1


def test_an_event_about_an_unmatched_person_waits_for_a_match_review_and_is_stored(police_api, police):
    lily = PersonFactory(
        given_name="Lily", family_name="Evans", date_of_birth=datetime.date(2018, 3, 14), nhs_number=""
    )
    SourceRecordFactory(person=lily, postcode="CF10 1AA")
    details = {
        "local_id": "P-9",
        "given_name": "Lila",
        "family_name": "Evans",
        "date_of_birth": "2018-03-14",
        "postcode": "CF10 1AA",
    }
    response = _post(police_api, "events", _event(person=details))
    [result] = response.json()["results"]
    assert result["outcome"] == "review"
    assert MatchReview.objects.filter(candidate=lily).exists()
    assert ChronologyEvent.objects.filter(person__cylch_id=result["cylch_id"]).exists()


def test_identifying_details_of_a_new_person_create_their_record(police_api, police):
    details = {"local_id": "P-10", "given_name": "Anwen", "family_name": "Price", "date_of_birth": "2018-01-02"}
    response = _post(police_api, "events", _event(person=details))
    assert _outcomes(response) == ["stored"]
    assert SourceRecord.objects.get(agency=police, local_id="P-10").person.given_name == "Anwen"


def test_identity_at_intake_fills_what_the_person_lacks(police_api, police):
    details = {
        "local_id": "P-11",
        "given_name": "Olek",
        "family_name": "Nowak",
        "date_of_birth": "2017-03-03",
        "ethnicity": "WOTH",
        "first_language": "pol",
        "interpreter_needed": True,
    }
    _post(police_api, "events", _event(person=details))
    record = SourceRecord.objects.get(agency=police, local_id="P-11")
    person = record.person
    assert (person.ethnicity, person.first_language, person.interpreter_needed) == ("WOTH", "pol", True)
    assert (record.ethnicity, record.first_language, record.interpreter_needed) == ("WOTH", "pol", True)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "alien_abduction"}, "kind"),
        ({"occurred_at": "2999-01-01T00:00:00Z"}, "occurred_at"),
        ({"occurred_at": "2010-01-01T00:00:00Z"}, "occurred_at"),  # before the child was born
        ({"person": {"local_id": "NEVER-SENT"}}, "person"),
        ({"summary": ""}, "summary"),
        ({"details": {"note": "a\u0000b"}}, "details"),
    ],
    ids=["unknown-kind", "future", "before-birth", "local-id-never-sent", "no-summary", "nul-in-details"],
)
def test_a_bad_event_is_rejected_by_field_and_the_rest_of_the_batch_goes_in(police_api, police_record, changes, field):
    body = {"items": [_event("bad", **changes), _event("good")]}
    response = _post(police_api, "events", body)
    bad, good = response.json()["results"]
    assert (bad["outcome"], good["outcome"]) == ("rejected", "stored")
    assert field in bad["errors"]
    assert ChronologyEvent.objects.count() == 1
    assert list(FeedItem.objects.values_list("item_id", flat=True)) == ["good"]


def test_a_batch_over_a_thousand_items_is_refused_whole(police_api, police_record):
    response = _post(police_api, "events", {"items": [_event(f"E-{n}") for n in range(1001)]})
    assert response.status_code == 400
    assert "1,000" in response.json()["items"][0]
    assert not ChronologyEvent.objects.exists()


def test_a_batch_answers_each_item_in_the_order_sent(police_api, police_record):
    _post(police_api, "events", _event("E-1"))
    body = {"items": [_event("E-2"), _event("E-1"), _event("E-3", kind="nope"), _event("E-2")]}
    response = _post(police_api, "events", body)
    assert _outcomes(response) == ["stored", "already_stored", "rejected", "already_stored"]
    assert [r["index"] for r in response.json()["results"]] == [0, 1, 2, 3]
    assert ChronologyEvent.objects.count() == 2


def test_every_stored_event_is_on_the_audit_chain_with_the_system_account_and_its_token(
    police_api, police_system, police_record, child
):
    _post(police_api, "events", {"items": [_event("E-1"), _event("E-2")]})
    entries = AccessLogEntry.objects.filter(page="chronology-event", person=child)
    assert entries.count() == 2
    assert {e.practitioner for e in entries} == {police_system}
    assert all(e.details["token"] for e in entries)


def test_an_involvement_is_opened_and_then_closed_by_re_sending_it_with_an_end_date(police_api, police_record, child):
    item = {"id": "I-1", "person": {"local_id": "P-77"}, "start_date": "2026-01-05", "role": "PPN officer"}
    assert _outcomes(_post(police_api, "involvements", item)) == ["stored"]
    closing = {**item, "id": "I-1-end", "end_date": "2026-02-01"}
    assert _outcomes(_post(police_api, "involvements", closing)) == ["stored"]
    involvement = Involvement.objects.get(person=child)
    assert (involvement.end_date, involvement.recorded_by_agency) == (datetime.date(2026, 2, 1), police_record.agency)


def test_an_involvement_ending_before_it_starts_is_rejected_and_nothing_is_stored(police_api, police_record):
    item = {"id": "I-1", "person": {"local_id": "P-77"}, "start_date": "2026-01-05", "end_date": "2026-01-01"}
    response = _post(police_api, "involvements", item)
    assert _outcomes(response) == ["rejected"]
    assert "end_date" in response.json()["results"][0]["errors"]
    assert not Involvement.objects.exists()


def test_a_household_membership_is_stored_with_its_provenance(police_api, police_record, child):
    item = {
        "id": "H-1",
        "person": {"local_id": "P-77"},
        "address_line_1": "3 Stryd Fawr",
        "town": "Aberystwyth",
        "postcode": "sy23 1aa",
        "start_date": "2025-06-01",
    }
    assert _outcomes(_post(police_api, "household-memberships", item)) == ["stored"]
    membership = HouseholdMembership.objects.get(person=child)
    assert membership.household.postcode == "SY23 1AA"
    assert membership.recorded_by_agency == police_record.agency
    assert membership.recorded_at is not None


def test_a_relationship_names_both_people_by_the_agencys_records(police_api, police, police_record, child):
    mother = SourceRecordFactory(agency=police, local_id="P-78", person=PersonFactory()).person
    item = {"id": "R-1", "person": {"local_id": "P-77"}, "relative": {"local_id": "P-78"}, "kind": "parent"}
    assert _outcomes(_post(police_api, "relationships", item)) == ["stored"]
    assert child.relationships.get().relative == mother


def test_the_council_registers_a_child_with_a_category(council_api, council, child):
    SourceRecordFactory(agency=council, person=child, local_id="C-1")
    item = {
        "id": "S-1",
        "person": {"local_id": "C-1"},
        "kind": "cp_register",
        "category": "NEG",
        "start_date": "2026-02-02",
    }
    assert _outcomes(_post(council_api, "statuses", item)) == ["stored"]
    assert StatutoryStatus.objects.get(person=child).category == "NEG"


def test_a_register_entry_without_a_category_is_rejected(council_api, council, child):
    SourceRecordFactory(agency=council, person=child, local_id="C-1")
    item = {"id": "S-1", "person": {"local_id": "C-1"}, "kind": "cp_register", "start_date": "2026-02-02"}
    response = _post(council_api, "statuses", item)
    assert _outcomes(response) == ["rejected"]
    assert "category" in response.json()["results"][0]["errors"]
    assert not StatutoryStatus.objects.exists()
    assert not ChronologyEvent.objects.exists()


def test_an_agency_other_than_childrens_services_cannot_record_a_status(police_api, police_record):
    item = {"id": "S-1", "person": {"local_id": "P-77"}, "kind": "looked_after", "start_date": "2026-02-02"}
    assert _outcomes(_post(police_api, "statuses", item)) == ["rejected"]
    assert not StatutoryStatus.objects.exists()


# --- who may send ---


def test_an_agency_writes_only_as_itself_and_cannot_use_another_agencys_records(police_api, child):
    school = AgencyFactory(kind=AgencyKind.SCHOOL)
    SourceRecordFactory(agency=school, person=child, local_id="S-5")
    response = _post(police_api, "events", _event(local_id="S-5"))
    assert _outcomes(response) == ["rejected"]
    assert not ChronologyEvent.objects.exists()


def test_an_event_is_recorded_as_the_tokens_agency_whatever_the_body_says(police_api, police, police_record):
    _post(police_api, "events", _event(agency=AgencyFactory().pk))
    assert ChronologyEvent.objects.get().agency == police


def test_an_ordinary_practitioners_token_cannot_send(police):
    practitioner = PractitionerFactory(agency=police)
    response = _post(token_client(api_key(practitioner)), "events", _event())
    assert response.status_code == 403


def test_a_practitioner_cannot_hold_the_feeds_scope(police):
    with pytest.raises(ValidationError, match="feeds:write"):
        api_key(PractitionerFactory(agency=police), scopes=[FEEDS_WRITE])


def test_a_system_accounts_token_without_the_feeds_scope_is_refused(police_system):
    response = _post(token_client(api_key(police_system, scopes=[SOURCE_RECORDS_WRITE])), "events", _event())
    assert response.status_code == 403
    assert "feeds:write" in response.json()["detail"]


@pytest.mark.parametrize("path", ["events", "involvements", "household-memberships", "relationships", "statuses"])
def test_a_signed_in_session_cannot_send(client, police_system, path):
    client.force_login(police_system)
    response = client.post(f"/api/v1/{path}", _event(), content_type="application/json")
    assert response.status_code in (401, 403)
    assert not FeedItem.objects.exists()


@pytest.mark.parametrize(
    "body", [[1, 2], "text", {"items": "x"}, {"items": []}], ids=["list", "string", "items-not-list", "empty"]
)
def test_a_body_that_is_neither_an_item_nor_a_batch_is_a_400(police_api, body):
    assert _post(police_api, "events", body).status_code == 400


def test_every_feed_endpoint_is_in_the_openapi_schema():
    from io import StringIO

    out = StringIO()
    call_command("spectacular", stdout=out)
    paths = yaml.safe_load(out.getvalue())["paths"]
    for path in ("events", "involvements", "household-memberships", "relationships", "statuses"):
        assert "post" in paths[f"/api/v1/{path}"]


def test_occurred_at_is_kept_to_the_second_as_sent(police_api, police_record):
    _post(police_api, "events", _event(occurred_at="2026-03-01T23:10:05+01:00"))
    expected = datetime.datetime(2026, 3, 1, 22, 10, 5, tzinfo=datetime.UTC)
    assert ChronologyEvent.objects.get().occurred_at == expected
    assert ChronologyEvent.objects.get().recorded_at <= timezone.now()


def test_events_stored_in_bulk_are_announced_for_whatever_reacts_to_new_events(police_api, police_record, child):
    heard = []

    def listener(sender, person_ids, **kwargs):
        heard.append(person_ids)

    events_recorded.connect(listener)
    try:
        _post(police_api, "events", {"items": [_event("E-1"), _event("E-2")]})
    finally:
        events_recorded.disconnect(listener)
    assert heard == [[child.pk]]


def test_a_person_described_in_full_may_be_named_by_local_id_later_in_the_same_batch(police_api, police):
    details = {"local_id": "P-20", "given_name": "Gwen", "family_name": "Ellis", "date_of_birth": "2015-09-09"}
    body = {"items": [_event("E-2", local_id="P-20"), _event("E-1", person=details)]}
    response = _post(police_api, "events", body)
    assert _outcomes(response) == ["stored", "stored"]
    first, second = response.json()["results"]
    assert first["cylch_id"] == second["cylch_id"]


def test_an_unborn_child_without_an_expected_date_of_delivery_is_rejected_by_field(police_api, police):
    details = {"local_id": "P-30", "family_name": "Ellis", "is_unborn": True}
    response = _post(police_api, "events", _event(person=details, kind="antenatal_booking"))
    assert _outcomes(response) == ["rejected"]
    assert "expected_delivery_date" in response.json()["results"][0]["errors"]["person"]
