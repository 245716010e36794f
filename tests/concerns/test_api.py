from __future__ import annotations

import datetime
import json
import re

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from cylch.audit.models import AccessLogEntry
from cylch.concerns.api import NOT_AVAILABLE
from cylch.concerns.models import Concern
from cylch.concerns.references import reference_new
from tests.concerns.conftest import api_payload
from tests.factories import ConcernFactory, InvolvementFactory, PractitionerFactory, api_key

pytestmark = pytest.mark.django_db
URL = "/api/v1/concerns"


@pytest.fixture
def api(school_lead):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(school_lead)}")
    return client


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user)}")
    return client


def post(client, payload, **headers):
    return client.post(URL, data=json.dumps(payload), content_type="application/json", headers=headers)


def test_post_returns_201_with_the_reference(api):
    response = post(api, api_payload())
    assert response.status_code == 201
    assert response.json()["reference"] == Concern.objects.get().reference


def test_repeated_post_with_the_same_idempotency_key_returns_the_same_reference(api):
    first = post(api, api_payload(), **{"Idempotency-Key": "k-1"})
    second = post(api, api_payload(), **{"Idempotency-Key": "k-1"})
    assert second.status_code == 200
    assert second.json()["reference"] == first.json()["reference"]
    assert Concern.objects.count() == 1


def test_a_reused_key_with_different_content_is_422(api):
    post(api, api_payload(), **{"Idempotency-Key": "k-1"})
    response = post(api, api_payload(what_happened="Different"), **{"Idempotency-Key": "k-1"})
    assert response.status_code == 422


NEXT_MONTH = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


def _child(**fields):
    child = {"given_name": "Cerys", "family_name": "Jones"}
    child.update(fields)
    return child


BAD_INPUTS = {
    "no child": (api_payload(subjects=[]), "subjects"),
    "only an adult": (api_payload(subjects=[_child(role="household_member")]), "subjects"),
    "future date of birth": (api_payload(subjects=[_child(date_of_birth="2999-01-01")]), "subjects"),
    "impossible date": (api_payload(subjects=[_child(date_of_birth="2019-02-30")]), "subjects"),
    "bad NHS number": (api_payload(subjects=[_child(nhs_number="9434765918")]), "subjects"),
    "short NHS number": (api_payload(subjects=[_child(nhs_number="12345")]), "subjects"),
    "bad UPN": (api_payload(subjects=[_child(upn="X801200101001")]), "subjects"),
    "oversized text": (api_payload(what_happened="x" * 10_001), "what_happened"),
    "oversized name": (api_payload(subjects=[_child(given_name="x" * 101)]), "subjects"),
    "wrong type for subjects": (api_payload(subjects="Cerys"), "subjects"),
    "wrong type for a flag": (api_payload(immediate_risk="perhaps"), "immediate_risk"),
    "wrong type for a date": (api_payload(happened_on=20250101), "happened_on"),
    "unknown kind": (api_payload(kind="telepathy"), "kind"),
    "unknown category": (api_payload(categories=["witchcraft"]), "categories"),
    "unknown family-aware answer": (api_payload(family_aware="maybe"), "family_aware"),
    "missing what happened": ({k: v for k, v in api_payload().items() if k != "what_happened"}, "what_happened"),
    "family not told without a reason": (api_payload(family_aware="no"), "family_not_aware_reason"),
    "future incident date": (api_payload(happened_on="2999-01-01"), "happened_on"),
    "unborn child with a date of birth": (
        api_payload(subjects=[_child(is_unborn=True, date_of_birth="2020-01-01", expected_delivery_date="2020-01-01")]),
        "subjects",
    ),
    "a person with no name or identifier": (api_payload(subjects=[{"sex": "female"}]), "subjects"),
    "no categories": ({k: v for k, v in api_payload().items() if k != "categories"}, "categories"),
    "empty categories": (api_payload(categories=[]), "categories"),
    "a due date for a born child": (
        api_payload(subjects=[_child(is_unborn=False, expected_delivery_date=NEXT_MONTH)]),
        "subjects",
    ),
    "a number for text": (api_payload(what_happened=42), "what_happened"),
    "a boolean for text": (api_payload(how_known=True), "how_known"),
    "a number for a name": (api_payload(subjects=[_child(given_name=7)]), "subjects"),
    "immediate risk without details": (api_payload(immediate_risk=True), "immediate_risk_details"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_gets_a_field_error_and_stores_nothing(api, case):
    payload, field = BAD_INPUTS[case]
    response = post(api, payload)
    assert response.status_code == 400
    assert field in response.json()
    assert Concern.objects.count() == 0


def test_malformed_json_is_400(api):
    response = api.post(URL, data="{not json", content_type="application/json")
    assert response.status_code == 400


def test_anonymous_post_is_401_and_stores_nothing(client):
    response = client.post(URL, data=json.dumps(api_payload()), content_type="application/json")
    assert response.status_code == 401
    assert Concern.objects.count() == 0


def test_anonymous_get_of_a_real_reference_is_401(client, api):
    reference = post(api, api_payload()).json()["reference"]
    assert APIClient().get(f"{URL}/{reference}").status_code == 401


def test_referrer_can_get_their_concern(api):
    reference = post(api, api_payload()).json()["reference"]
    response = api.get(f"{URL}/{reference}")
    assert response.status_code == 200
    assert response.json()["stage"] == "received"


def test_reading_a_concern_is_logged_for_each_subject(api, school_lead):
    reference = post(api, api_payload()).json()["reference"]
    api.get(f"{URL}/{reference}")
    assert AccessLogEntry.objects.filter(practitioner=school_lead, page="api-concern").count() == 1


def test_the_referrers_read_records_that_they_raised_it(api, school_lead):
    reference = post(api, api_payload()).json()["reference"]
    api.get(f"{URL}/{reference}")
    assert AccessLogEntry.objects.get(practitioner=school_lead, page="api-concern").reason == "referrer"


def test_the_front_doors_read_records_its_basis(api, front_door):
    reference = post(api, api_payload()).json()["reference"]
    client_for(front_door).get(f"{URL}/{reference}")
    assert AccessLogEntry.objects.get(practitioner=front_door, page="api-concern").reason == "front_door"


def test_an_involved_colleagues_read_records_the_involvement(api):
    reference = post(api, api_payload()).json()["reference"]
    involvement = InvolvementFactory(person=Concern.objects.get(reference=reference).subjects.get().person)
    colleague = PractitionerFactory(agency=involvement.agency)
    client_for(colleague).get(f"{URL}/{reference}")
    assert AccessLogEntry.objects.get(practitioner=colleague, page="api-concern").reason == "involvement"


def test_other_agency_cannot_get_the_concern_and_learns_nothing(api):
    reference = post(api, api_payload()).json()["reference"]
    unused = reference_new(2025)  # well formed, check character and all, but no concern has it
    assert not Concern.objects.filter(reference=unused).exists()
    stranger = client_for(PractitionerFactory())
    forbidden = stranger.get(f"{URL}/{reference}")
    missing = stranger.get(f"{URL}/{unused}")
    assert forbidden.status_code == missing.status_code == 403
    assert forbidden.content == missing.content
    assert {k: v for k, v in forbidden.items() if k != "Date"} == {k: v for k, v in missing.items() if k != "Date"}


def test_the_not_available_answer_is_in_welsh_for_a_welsh_caller(api):
    stranger = client_for(PractitionerFactory())
    response = stranger.get(f"{URL}/{reference_new(2025)}", headers={"Accept-Language": "cy"})
    with translation.override("cy"):
        welsh = str(NOT_AVAILABLE)
    with translation.override("en"):
        assert welsh != str(NOT_AVAILABLE)
    assert response.json() == {"detail": welsh}


def test_an_over_long_idempotency_key_gets_a_translated_error(api):
    response = post(api, api_payload(), **{"Idempotency-Key": "k" * 101})
    assert response.status_code == 400
    assert response.json() == {"Idempotency-Key": ["Use 100 characters or fewer."]}
    assert Concern.objects.count() == 0


def test_the_api_reports_the_same_message_as_the_web_for_a_missing_category(api):
    response = post(api, api_payload(categories=[]))
    assert response.json()["categories"] == ["Select at least one category of concern."]


def test_the_api_docs_load_redoc_from_our_own_static_files(client, school_lead):
    client.force_login(school_lead)
    page = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script src=\"([^\"]+)\"", page)
    assert scripts == ["/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"]


def test_the_api_docs_reference_no_other_host(client, school_lead):
    client.force_login(school_lead)
    page = client.get("/api/docs/").content.decode()
    assert "Redoc.init" in page or "<redoc " in page
    assert "https://" not in page
    assert "http://" not in page


def test_involved_agency_can_get_the_concern(api):
    reference = post(api, api_payload()).json()["reference"]
    concern = Concern.objects.get(reference=reference)
    involvement = InvolvementFactory(person=concern.subjects.get().person)
    colleague = client_for(PractitionerFactory(agency=involvement.agency))
    assert colleague.get(f"{URL}/{reference}").status_code == 200


def test_list_shows_only_the_callers_concerns(api):
    post(api, api_payload())
    other = client_for(PractitionerFactory())
    post(other, api_payload())
    assert len(api.get(URL).json()) == 1


def test_the_schema_describes_the_concern_endpoints():
    response = client_for(PractitionerFactory()).get("/api/schema/")  # it needs sign-in or a token
    assert b"/api/v1/concerns/{reference}" in response.content


def _raised(school_lead, count):
    now = timezone.now()
    return [ConcernFactory(referrer=school_lead, received_at=now - datetime.timedelta(hours=n)) for n in range(count)]


def test_my_concerns_come_a_page_at_a_time_with_the_total_and_a_link_to_the_next(api, school_lead, monkeypatch):
    monkeypatch.setattr("cylch.concerns.selectors.MINE_PAGE_SIZE", 2)
    newest, middle, oldest = _raised(school_lead, 3)
    first, second = api.get(URL), api.get(URL, {"page": 2})
    assert [c["reference"] for c in first.json()] == [newest.reference, middle.reference]
    assert [c["reference"] for c in second.json()] == [oldest.reference]
    assert first["X-Total-Count"] == "3"
    assert 'concerns?page=2>; rel="next"' in first["Link"]
    assert 'rel="next"' not in second["Link"]
    assert 'concerns?page=1>; rel="prev"' in second["Link"]


def test_identity_sent_through_the_api_reaches_the_subject_and_the_person(api):
    child = {"given_name": "Amal", "family_name": "Hassan", "ethnicity": "BAFR", "first_language": "som"}
    response = post(api, api_payload(subjects=[{**child, "interpreter_needed": True}]))
    assert response.status_code == 201
    subject = Concern.objects.get().subjects.select_related("person").get()
    assert (subject.ethnicity, subject.first_language, subject.interpreter_needed) == ("BAFR", "som", True)
    assert (subject.person.ethnicity, subject.person.first_language) == ("BAFR", "som")


def test_an_ethnicity_outside_the_census_codes_is_a_field_error(api):
    response = post(api, api_payload(subjects=[{"given_name": "Amal", "ethnicity": "white"}]))
    assert response.status_code == 400
    assert "ethnicity" in json.dumps(response.json())
    assert not Concern.objects.exists()
