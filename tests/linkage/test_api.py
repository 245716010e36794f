"""The linkage API: candidates under need-to-know, and agency systems sending their records."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from cylch.accounts.scopes import PERSONS_MATCH, PRACTITIONER_SCOPES, SOURCE_RECORDS_WRITE
from cylch.audit.models import AccessLogEntry
from cylch.linkage.models import MatchReview
from cylch.people.models import Person, SourceRecord
from tests.factories import (
    AgencyFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
    SourceRecordFactory,
    api_key,
)
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
    """A GP practice's system: a system account with a token that may send records."""
    account = PractitionerFactory(agency=AgencyFactory(name="Meddygfa"), is_system_account=True, roles=[])
    return _token_api(api_key(account, scopes=[SOURCE_RECORDS_WRITE], name="GP system"))


def _token_api(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def _send(api, body=RECORD):
    return api.post("/api/v1/source-records", body, format="json")


def test_a_new_record_is_stored_as_the_callers_agency_sent_it_and_gets_a_cylch_id(sender):
    response = _send(sender)
    assert response.status_code == 201
    record = SourceRecord.objects.get(agency__name="Meddygfa", local_id="GP-1001")
    assert response.json() == {"cylch_id": record.person.cylch_id, "decision": "new", "replayed": False}
    assert (record.given_name, record.identifiers) == ("Nia", {"gp_local": "1001"})


def test_a_received_record_is_linked_on_the_audit_chain_with_the_account_and_token_that_sent_it():
    account = PractitionerFactory(is_system_account=True, roles=[])
    key = api_key(account, scopes=[SOURCE_RECORDS_WRITE])
    cylch_id = _send(_token_api(key)).json()["cylch_id"]
    [entry] = AccessLogEntry.objects.filter(page="person-link")
    assert (entry.person.cylch_id, entry.practitioner, entry.details["token"]) == (cylch_id, account, key[:12])
    assert entry.path == "/api/v1/source-records"


def test_a_record_sharing_an_nhs_number_is_linked_and_no_other_data_is_returned(sender):
    known = PersonFactory(given_name="Nia", family_name="Morgan", nhs_number=nhs_number(40))
    response = _send(sender, {**RECORD, "nhs_number": known.nhs_number})
    assert response.status_code == 201
    assert response.json() == {"cylch_id": known.cylch_id, "decision": "linked", "replayed": False}


def test_a_possible_match_is_reported_as_going_to_review(sender):
    dob = datetime.date(2018, 3, 14)
    lily = PersonFactory(given_name="Lily", family_name="Evans", date_of_birth=dob, nhs_number="")
    SourceRecordFactory(person=lily, postcode="CF10 1AA")
    body = {**RECORD, "given_name": "Lila", "family_name": "Evans", "date_of_birth": "2018-03-14"}
    response = _send(sender, body)
    assert response.json()["decision"] == "review"
    assert response.json()["cylch_id"] != lily.cylch_id
    assert MatchReview.objects.filter(candidate=lily).exists()


def test_sending_the_same_record_again_changes_nothing_and_returns_the_same_cylch_id(sender):
    first = _send(sender).json()
    people = Person.objects.count()
    again = _send(sender, {**RECORD, "given_name": "Siân"})
    assert again.status_code == 200
    assert again.json() == {**first, "replayed": True}
    assert SourceRecord.objects.get(agency__name="Meddygfa", local_id="GP-1001").given_name == "Nia"
    assert Person.objects.count() == people


@pytest.mark.parametrize(
    ("field", "value"),
    [("nhs_number", "9990000019"), ("date_of_birth", "2999-01-01"), ("postcode", "NOT A POSTCODE"), ("local_id", "")],
)
def test_an_invalid_field_is_refused_by_name_and_nothing_is_stored(sender, field, value):
    people = Person.objects.count()
    response = _send(sender, {**RECORD, field: value})
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
    assert {"201", "200", "400", "401", "403", "429"} <= set(operation["responses"])


# --- the date-of-birth oracle: only a system account's scoped token may send ---


def _counts():
    return Person.objects.count(), SourceRecord.objects.count()


def test_an_ordinary_practitioners_token_cannot_send_and_learns_nothing(child):
    """A practitioner guessing a restricted child's date of birth: refused alike for a right and a wrong guess,
    and no person is made for either."""
    before = _counts()
    api = _token_api(api_key(PractitionerFactory(), scopes=PRACTITIONER_SCOPES))
    right = _send(api, {**RECORD, "given_name": "Tegan", "family_name": "Pugh", "date_of_birth": "2015-02-03"})
    wrong = _send(api, {**RECORD, "given_name": "Tegan", "family_name": "Pugh", "date_of_birth": "2015-02-04"})
    assert (right.status_code, wrong.status_code) == (403, 403)
    lacks = {"detail": "This token lacks the source-records:write scope this call needs."}
    assert right.json() == wrong.json() == lacks
    assert _counts() == before


def test_a_practitioner_cannot_hold_the_source_records_scope():
    with pytest.raises(ValidationError, match="Only a system account"):
        api_key(PractitionerFactory(), scopes=[SOURCE_RECORDS_WRITE])


def test_a_token_whose_account_is_no_longer_a_system_account_is_refused():
    account = PractitionerFactory(is_system_account=True, roles=[])
    api = _token_api(api_key(account, scopes=[SOURCE_RECORDS_WRITE]))
    account.is_system_account = False
    account.save(update_fields=["is_system_account"])
    before = _counts()
    response = _send(api)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only an agency's system account can send source records."}
    assert _counts() == before


def test_a_system_accounts_token_without_the_scope_is_refused():
    account = PractitionerFactory(is_system_account=True, roles=[])
    response = _send(_token_api(api_key(account, scopes=[PERSONS_MATCH])))
    assert response.status_code == 403
    assert not SourceRecord.objects.exists()


@pytest.mark.parametrize("system_account", [False, True])
def test_a_signed_in_session_cannot_send(client, system_account):
    """Records come from systems with tokens, never from a browser (however the account is flagged)."""
    client.force_login(PractitionerFactory(is_system_account=system_account))
    response = client.post("/api/v1/source-records", RECORD, content_type="application/json")
    assert response.status_code == 401
    assert not SourceRecord.objects.exists()


def test_sending_is_rate_limited_per_token_with_retry_after(settings):
    settings.CYLCH_API_SOURCE_RECORD_RATE = "2/min"
    account = PractitionerFactory(is_system_account=True, roles=[])
    api = _token_api(api_key(account, scopes=[SOURCE_RECORDS_WRITE]))
    statuses = [_send(api, {**RECORD, "local_id": f"GP-{n}"}).status_code for n in range(2)]
    refused = _send(api, {**RECORD, "local_id": "GP-3"})
    assert (statuses, refused.status_code) == ([201, 201], 429)
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert not SourceRecord.objects.filter(local_id="GP-3").exists()
    # Another system's token has its own allowance.
    other = _token_api(api_key(PractitionerFactory(is_system_account=True, roles=[]), scopes=[SOURCE_RECORDS_WRITE]))
    assert _send(other, {**RECORD, "local_id": "GP-3"}).status_code == 201
