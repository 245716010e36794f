"""The linkage API: candidates under need-to-know, and agency systems sending their records."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from cylch.audit.models import AccessLogEntry
from cylch.linkage.models import MatchReview
from cylch.people.models import Person, SourceRecord
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, PractitionerFactory, SourceRecordFactory
from tests.factories import test_nhs_number as nhs_number

pytestmark = pytest.mark.django_db

DOB = datetime.date(2015, 2, 3)


@pytest.fixture
def child():
    person = PersonFactory(given_name="Tegan", family_name="Pugh", date_of_birth=DOB, nhs_number="")
    SourceRecordFactory(person=person, postcode="CF10 1AA")
    InvolvementFactory(person=person, agency=AgencyFactory(name="Ysgol Gynradd"))
    return person


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _match(user, child, date_of_birth):
    response = _api(user).post(
        "/api/v1/persons/match",
        {"given_name": "Tegan", "family_name": "Pugh", "date_of_birth": date_of_birth, "postcode": "CF10 1AA"},
        format="json",
    )
    assert response.status_code == 200
    return next(c for c in response.json()["candidates"] if c["cylch_id"] == child.cylch_id)


def test_a_candidate_the_caller_may_not_open_shows_only_its_id_and_whom_to_contact(child):
    outsider = PractitionerFactory(agency=AgencyFactory())
    candidate = _match(outsider, child, "2015-02-03")
    assert set(candidate) == {"cylch_id", "detail_allowed", "other_agencies_hold_information", "contacts"}
    assert [c["agency"] for c in candidate["contacts"]] == ["Ysgol Gynradd"]
    # Exactly what the person API says about a record the caller may not open.
    assert candidate == _api(outsider).get(f"/api/v1/persons/{child.cylch_id}").json()


def test_a_guessed_birth_date_is_neither_confirmed_nor_denied(child):
    outsider = PractitionerFactory(agency=AgencyFactory())
    assert _match(outsider, child, "2015-02-03") == _match(outsider, child, "2016-07-09")


def test_a_candidate_the_caller_may_open_shows_its_evidence(child):
    involved = PractitionerFactory(agency=child.involvements.get().agency)
    candidate = _match(involved, child, "2015-02-03")
    assert candidate["detail_allowed"] is True
    assert {"field": "date_of_birth", "level": "exact"} in [
        {"field": e["field"], "level": e["level"]} for e in candidate["evidence"]
    ]
    assert candidate["decision"] == "link"


# --- POST /api/v1/source-records ---

RECORD = {
    "local_id": "GP-1001",
    "given_name": "Nia",
    "family_name": "Morgan",
    "date_of_birth": "2019-02-01",
    "sex": "female",
    "postcode": "CF10 1AA",
    "address": "1 Heol y Test, Cardiff",
    "identifiers": {"gp_local": "1001"},
}


@pytest.fixture
def sender():
    return PractitionerFactory(agency=AgencyFactory(name="Meddygfa"))


def test_a_new_record_is_stored_as_the_callers_agency_sent_it_and_gets_a_cylch_id(sender):
    response = _api(sender).post("/api/v1/source-records", RECORD, format="json")
    assert response.status_code == 201
    record = SourceRecord.objects.get(agency=sender.agency, local_id="GP-1001")
    assert response.json() == {"cylch_id": record.person.cylch_id, "decision": "new", "replayed": False}
    assert (record.given_name, record.identifiers) == ("Nia", {"gp_local": "1001"})


def test_a_received_record_is_linked_on_the_audit_chain_with_the_account_that_sent_it(sender):
    cylch_id = _api(sender).post("/api/v1/source-records", RECORD, format="json").json()["cylch_id"]
    [entry] = AccessLogEntry.objects.filter(page="person-link")
    assert (entry.person.cylch_id, entry.practitioner) == (cylch_id, sender)


def test_a_record_sharing_an_nhs_number_is_linked_and_no_other_data_is_returned(sender):
    known = PersonFactory(given_name="Nia", family_name="Morgan", nhs_number=nhs_number(40))
    response = _api(sender).post("/api/v1/source-records", {**RECORD, "nhs_number": known.nhs_number}, format="json")
    assert response.status_code == 201
    assert response.json() == {"cylch_id": known.cylch_id, "decision": "linked", "replayed": False}


def test_a_possible_match_is_reported_as_going_to_review(sender):
    dob = datetime.date(2018, 3, 14)
    lily = PersonFactory(given_name="Lily", family_name="Evans", date_of_birth=dob, nhs_number="")
    SourceRecordFactory(person=lily, postcode="CF10 1AA")
    body = {**RECORD, "given_name": "Lila", "family_name": "Evans", "date_of_birth": "2018-03-14"}
    response = _api(sender).post("/api/v1/source-records", body, format="json")
    assert response.json()["decision"] == "review"
    assert response.json()["cylch_id"] != lily.cylch_id
    assert MatchReview.objects.filter(candidate=lily).exists()


def test_sending_the_same_record_again_changes_nothing_and_returns_the_same_cylch_id(sender):
    first = _api(sender).post("/api/v1/source-records", RECORD, format="json").json()
    people = Person.objects.count()
    again = _api(sender).post("/api/v1/source-records", {**RECORD, "given_name": "Siân"}, format="json")
    assert again.status_code == 200
    assert again.json() == {**first, "replayed": True}
    assert SourceRecord.objects.get(agency=sender.agency, local_id="GP-1001").given_name == "Nia"
    assert Person.objects.count() == people


@pytest.mark.parametrize(
    ("field", "value"),
    [("nhs_number", "9990000019"), ("date_of_birth", "2999-01-01"), ("postcode", "NOT A POSTCODE"), ("local_id", "")],
)
def test_an_invalid_field_is_refused_by_name_and_nothing_is_stored(sender, field, value):
    people = Person.objects.count()
    response = _api(sender).post("/api/v1/source-records", {**RECORD, field: value}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not SourceRecord.objects.exists()
    assert Person.objects.count() == people


def test_the_endpoint_is_in_the_openapi_schema(client):
    from io import StringIO

    import yaml
    from django.core.management import call_command

    out = StringIO()
    call_command("spectacular", "--fail-on-warn", stdout=out, stderr=StringIO())
    operation = yaml.safe_load(out.getvalue())["paths"]["/api/v1/source-records"]["post"]
    assert operation["operationId"] == "source_record_receive"
    assert {"201", "200", "400"} <= set(operation["responses"])
