"""The FHIR endpoints: Was Not Brought appointments in (valid, Bundle, re-send, each kind of invalid resource) and
flags out by NHS number."""

from __future__ import annotations

import copy
import datetime
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.accounts.scopes import APPOINTMENTS_WRITE, FLAGS_READ
from cylch.audit.models import AccessLogEntry
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.people.models import Person
from cylch.risk.fhir import NHS_NUMBER_SYSTEM
from cylch.risk.models import Alert
from cylch.risk.services import risk_evaluate
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    PersonFactory,
    PractitionerFactory,
    StatutoryStatusFactory,
    api_key,
)

pytestmark = pytest.mark.django_db
FHIR = "application/fhir+json"


def appointment(nhs_number: str, *, identifier: str = "appt-1", **changes) -> dict:
    resource = {
        "resourceType": "Appointment",
        "identifier": [{"system": "https://hv.example/appointments", "value": identifier}],
        "status": "noshow",
        "serviceType": [{"text": "Health visitor 9-12 month review"}],
        "start": (timezone.now() - datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "participant": [
            {
                "actor": {"type": "Patient", "identifier": {"system": NHS_NUMBER_SYSTEM, "value": nhs_number}},
                "status": "accepted",
            }
        ],
    }
    resource.update(changes)
    return resource


def missed(person, days_ago: int):
    """A Was Not Brought `days_ago` before the real clock (these tests go through the API, which reads it)."""
    occurred = timezone.now() - datetime.timedelta(days=days_ago)
    return ChronologyEventFactory(person=person, kind=EventKind.WAS_NOT_BROUGHT, occurred_at=occurred)


def bundle(*resources, kind="batch") -> dict:
    return {"resourceType": "Bundle", "type": kind, "entry": [{"resource": r} for r in resources]}


@pytest.fixture
def health_system():
    agency = AgencyFactory(kind=AgencyKind.HEALTH_VISITING)
    account = PractitionerFactory(agency=agency, is_system_account=True, roles=[])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(account, scopes=[APPOINTMENTS_WRITE])}")
    return client


@pytest.fixture
def child():
    return PersonFactory(date_of_birth=timezone.localdate() - datetime.timedelta(days=300))


def send(client, body, content_type=FHIR):
    return client.post("/api/v1/fhir/Appointment", data=json.dumps(body), content_type=content_type)


def wnb(person):
    return ChronologyEvent.objects.filter(person=person, kind=EventKind.WAS_NOT_BROUGHT)


# --- accepted ---------------------------------------------------------------------------------------------------
def test_a_no_show_becomes_a_was_not_brought_on_the_child(health_system, child):
    response = send(health_system, appointment(child.nhs_number))
    assert response.status_code == 201
    assert response["Content-Type"].startswith(FHIR)
    assert response.json()["resourceType"] == "Appointment"
    [recorded] = wnb(child)
    assert recorded.details["service"] == "Health visitor 9-12 month review"


def test_plain_json_is_accepted_too(health_system, child):
    assert send(health_system, appointment(child.nhs_number), content_type="application/json").status_code == 201


def test_a_batch_bundle_answers_a_batch_response(health_system, child):
    response = send(health_system, bundle(appointment(child.nhs_number), appointment(child.nhs_number, identifier="2")))
    assert response.status_code == 200
    body = response.json()
    assert (body["resourceType"], body["type"]) == ("Bundle", "batch-response")
    assert [e["response"]["status"] for e in body["entry"]] == ["201 Created", "201 Created"]
    assert wnb(child).count() == 2


def test_a_collection_bundle_is_accepted(health_system, child):
    assert send(health_system, bundle(appointment(child.nhs_number), kind="collection")).status_code == 200


def test_a_re_sent_appointment_is_not_duplicated(health_system, child):
    send(health_system, appointment(child.nhs_number))
    again = send(health_system, appointment(child.nhs_number))
    assert again.status_code == 200
    assert wnb(child).count() == 1


def test_a_re_sent_appointment_by_id_is_not_duplicated(health_system, child):
    resource = appointment(child.nhs_number, id="A123")
    del resource["identifier"]
    send(health_system, resource)
    send(health_system, resource)
    assert wnb(child).count() == 1


def test_an_unknown_nhs_number_is_linked_as_a_new_record_not_dropped(health_system):
    response = send(health_system, appointment("9434765919"))
    assert response.status_code == 201
    assert wnb(Person.objects.get(nhs_number="9434765919")).count() == 1


def test_the_second_missed_appointment_raises_an_alert(health_system, child, django_capture_on_commit_callbacks):
    missed(child, 40)
    with django_capture_on_commit_callbacks(execute=True):
        send(health_system, appointment(child.nhs_number))
    assert Alert.objects.filter(rule__code="wnb-young-or-registered", subjects__person=child).exists()


# --- refused: an OperationOutcome naming the element, nothing stored -------------------------------------------
def _refused(response, status, element):
    assert response.status_code == status
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["expression"] == [element]
    assert not ChronologyEvent.objects.exists()


def test_wrong_resource_type(health_system, child):
    _refused(
        send(health_system, {**appointment(child.nhs_number), "resourceType": "Patient"}),
        400,
        "Appointment.resourceType",
    )


def test_no_patient(health_system, child):
    _refused(send(health_system, appointment(child.nhs_number, participant=[])), 400, "Appointment.participant")


def test_a_patient_without_an_nhs_number(health_system, child):
    resource = appointment(child.nhs_number)
    resource["participant"][0]["actor"]["identifier"]["system"] = "https://hospital.example/mrn"
    _refused(send(health_system, resource), 400, "Appointment.participant")


def test_bad_nhs_check_digit(health_system):
    _refused(send(health_system, appointment("9434765918")), 400, "Appointment.participant[0].actor.identifier.value")


def test_non_numeric_nhs_number(health_system):
    _refused(send(health_system, appointment("94347A5919")), 400, "Appointment.participant[0].actor.identifier.value")


def test_unknown_status(health_system, child):
    _refused(send(health_system, appointment(child.nhs_number, status="vanished")), 400, "Appointment.status")


def test_an_attended_appointment_is_not_a_was_not_brought(health_system, child):
    _refused(send(health_system, appointment(child.nhs_number, status="fulfilled")), 422, "Appointment.status")


def test_impossible_date(health_system, child):
    _refused(send(health_system, appointment(child.nhs_number, start="2026-02-30T10:00:00Z")), 400, "Appointment.start")


def test_a_start_in_the_future(health_system, child):
    _refused(send(health_system, appointment(child.nhs_number, start="2999-01-01T10:00:00Z")), 422, "Appointment.start")


def test_no_service_type(health_system, child):
    resource = appointment(child.nhs_number)
    del resource["serviceType"]
    _refused(send(health_system, resource), 400, "Appointment.serviceType")


def test_no_identifier_or_id(health_system, child):
    resource = appointment(child.nhs_number)
    del resource["identifier"]
    _refused(send(health_system, resource), 400, "Appointment.identifier")


def test_an_unknown_element(health_system, child):
    _refused(send(health_system, appointment(child.nhs_number, colour="red")), 400, "Appointment.colour")


def test_one_bad_entry_stores_nothing_from_the_bundle(health_system, child):
    bad = copy.deepcopy(appointment(child.nhs_number, identifier="2"))
    bad["participant"][0]["actor"]["identifier"]["value"] = "9434765918"
    response = send(health_system, bundle(appointment(child.nhs_number), bad))
    _refused(response, 400, "Bundle.entry[1].resource.participant[0].actor.identifier.value")


def test_a_transaction_bundle_is_not_accepted(health_system, child):
    _refused(send(health_system, bundle(appointment(child.nhs_number), kind="transaction")), 400, "Bundle.type")


def test_not_an_object(health_system):
    _refused(send(health_system, [1, 2]), 400, "Appointment")


# --- who may send -----------------------------------------------------------------------------------------------
def test_a_practitioners_token_cannot_send(child):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(PractitionerFactory(), scopes=[FLAGS_READ])}")
    assert send(client, appointment(child.nhs_number)).status_code == 403


def test_a_system_token_without_the_scope_cannot_send(child):
    account = PractitionerFactory(is_system_account=True, roles=[])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(account, scopes=[FLAGS_READ])}")
    assert send(client, appointment(child.nhs_number)).status_code == 403


# --- flags out --------------------------------------------------------------------------------------------------
@pytest.fixture
def gp_system():
    account = PractitionerFactory(
        agency=AgencyFactory(kind=AgencyKind.GP_PRACTICE), roles=[RoleCode.AGENCY_PRACTITIONER]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(account, scopes=[FLAGS_READ])}")
    client.account = account
    return client


def flags(client, nhs_number):
    return client.get("/api/v1/fhir/Flag", {"patient": f"{NHS_NUMBER_SYSTEM}|{nhs_number}"}, HTTP_ACCEPT=FHIR)


def test_a_registered_child_has_a_register_flag_with_category_and_contact(gp_system, child):
    status = StatutoryStatusFactory(person=child, category="NEG", start_date=datetime.date(2025, 1, 1))
    council = AgencyFactory(
        kind=AgencyKind.CHILDRENS_SERVICES, local_authority=status.local_authority, phone="01443 000000"
    )
    body = flags(gp_system, child.nhs_number).json()
    assert (body["type"], body["total"]) == ("searchset", 1)
    flag = body["entry"][0]["resource"]
    assert [c["code"] for c in flag["code"]["coding"]] == ["cp_register", "NEG"]
    assert flag["subject"]["identifier"]["value"] == child.nhs_number
    assert flag["contained"][0]["name"] == council.name
    assert {"system": "phone", "value": "01443 000000"} in flag["contained"][0]["telecom"]


def test_a_looked_after_child_has_a_looked_after_flag(gp_system, child):
    StatutoryStatusFactory(person=child, kind="looked_after", category="")
    body = flags(gp_system, child.nhs_number).json()
    assert [e["resource"]["code"]["coding"][0]["code"] for e in body["entry"]] == ["looked_after"]


def test_an_ended_registration_is_no_flag(gp_system, child):
    StatutoryStatusFactory(person=child, start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 6, 1))
    assert flags(gp_system, child.nhs_number).json()["total"] == 0


def test_an_open_alert_is_a_flag_that_says_only_that_it_exists(gp_system, child):
    missed(child, 40)
    missed(child, 4)
    risk_evaluate(people=[child.pk])
    [entry] = flags(gp_system, child.nhs_number).json()["entry"]
    assert entry["resource"]["code"]["coding"][0]["code"] == "risk_alert"
    assert "Was Not Brought" not in json.dumps(entry)


def test_an_unknown_nhs_number_answers_an_empty_bundle(gp_system):
    response = flags(gp_system, "9434765919")
    assert response.status_code == 200
    assert (response.json()["type"], response.json()["total"], response.json()["entry"]) == ("searchset", 0, [])


def test_every_flag_search_is_audited(gp_system, child):
    flags(gp_system, child.nhs_number)
    assert AccessLogEntry.objects.filter(person=child, page="fhir-flag", practitioner=gp_system.account).exists()


def test_an_unknown_nhs_number_search_is_audited_too(gp_system):
    flags(gp_system, "9434765919")
    assert AccessLogEntry.objects.filter(page="fhir-flag", practitioner=gp_system.account, person=None).exists()


@pytest.mark.parametrize(
    "patient", ["", "9434765919", f"{NHS_NUMBER_SYSTEM}|9434765918", f"{NHS_NUMBER_SYSTEM}|abc", "x|9434765919"]
)
def test_a_bad_patient_parameter_is_an_operation_outcome(gp_system, patient):
    response = gp_system.get("/api/v1/fhir/Flag", {"patient": patient})
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["patient"]


def test_a_token_without_flags_read_is_refused(child):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(PractitionerFactory(), scopes=['persons:read'])}")
    assert flags(client, child.nhs_number).status_code == 403
