from __future__ import annotations

import pytest

from cylch.concerns.models import Concern, ConcernDraft
from cylch.concerns.services import concern_submit, decision_record
from tests.concerns.conftest import make_input
from tests.factories import PractitionerFactory
from tests.factories import test_nhs_number as nhs

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client(client, school_lead):
    client.force_login(school_lead)
    return client


def _draft(client) -> ConcernDraft:
    client.post("/concerns/new/")
    return ConcernDraft.objects.get()


def _fill(client, draft: ConcernDraft) -> None:
    base = f"/concerns/draft/{draft.token}"
    client.post(f"{base}/kind/", {"kind": "marf"})
    client.post(
        f"{base}/child/0/",
        {
            "given_name": "Cerys",
            "family_name": "Jones",
            "date_of_birth_day": "1",
            "date_of_birth_month": "5",
            "date_of_birth_year": "2016",
            "sex": "female",
            "nhs_number": nhs(3),
        },
    )
    client.post(f"{base}/member/0/", {"given_name": "Rhys", "family_name": "Jones", "relationship": "father"})
    client.post(f"{base}/categories/", {"categories": ["neglect", "domestic_abuse"]})
    client.post(f"{base}/what-happened/", {"what_happened": "Hungry again.", "how_known": "Saw it."})
    client.post(f"{base}/child-words/", {"child_words": "There's no food at home."})
    client.post(f"{base}/family/", {"family_aware": "no", "family_not_aware_reason": "Fear of reprisal."})
    client.post(f"{base}/risk/", {"immediate_risk": "no"})
    client.post(f"{base}/referrer/", {"referrer_phone": "029 2000 0001"})


def test_the_journey_stores_a_concern_and_shows_the_reference(lead_client):
    draft = _draft(lead_client)
    _fill(lead_client, draft)
    response = lead_client.post(f"/concerns/draft/{draft.token}/check/", {"token": str(draft.token)}, follow=True)
    concern = Concern.objects.get()
    assert concern.reference in response.content.decode()
    assert concern.subjects.count() == 2
    assert concern.family_not_aware_reason == "Fear of reprisal."


def test_a_double_click_on_send_stores_one_concern(lead_client):
    draft = _draft(lead_client)
    _fill(lead_client, draft)
    lead_client.post(f"/concerns/draft/{draft.token}/check/", {"token": str(draft.token)})
    lead_client.post(f"/concerns/draft/{draft.token}/check/", {"token": str(draft.token)})
    assert Concern.objects.count() == 1


def test_answers_are_saved_between_pages(lead_client):
    draft = _draft(lead_client)
    lead_client.post(f"/concerns/draft/{draft.token}/kind/", {"kind": "ppn"})
    draft.refresh_from_db()
    assert draft.data["kind"] == "ppn"


def test_the_journey_works_in_welsh(lead_client):
    draft = _draft(lead_client)
    response = lead_client.get(f"/concerns/draft/{draft.token}/kind/", HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 200


WEB_BAD_INPUTS = {
    "future date of birth": (
        {"given_name": "A", "date_of_birth_day": "1", "date_of_birth_month": "1", "date_of_birth_year": "2999"},
        "date_of_birth",
    ),
    "impossible date": (
        {"given_name": "A", "date_of_birth_day": "30", "date_of_birth_month": "2", "date_of_birth_year": "2019"},
        "date_of_birth",
    ),
    "bad NHS number": ({"given_name": "A", "nhs_number": "9434765918"}, "nhs_number"),
    "oversized name": ({"given_name": "x" * 101}, "given_name"),
    "no name or identifier": ({"sex": "female"}, "given_name"),
    "unknown sex code": ({"given_name": "A", "sex": "robot"}, "sex"),
}


@pytest.mark.parametrize("case", WEB_BAD_INPUTS, ids=list(WEB_BAD_INPUTS))
def test_bad_child_details_get_a_field_error(lead_client, case):
    data, field = WEB_BAD_INPUTS[case]
    draft = _draft(lead_client)
    response = lead_client.post(f"/concerns/draft/{draft.token}/child/0/", data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.data["children"] == []


def test_an_unknown_kind_gets_a_field_error(lead_client):
    draft = _draft(lead_client)
    response = lead_client.post(f"/concerns/draft/{draft.token}/kind/", {"kind": "telepathy"})
    assert "kind" in response.context["form"].errors


def test_oversized_text_gets_a_field_error(lead_client):
    draft = _draft(lead_client)
    response = lead_client.post(f"/concerns/draft/{draft.token}/what-happened/", {"what_happened": "x" * 10_001})
    assert "what_happened" in response.context["form"].errors


def test_sending_without_a_child_stores_nothing(lead_client):
    draft = _draft(lead_client)
    lead_client.post(f"/concerns/draft/{draft.token}/kind/", {"kind": "marf"})
    lead_client.post(f"/concerns/draft/{draft.token}/check/", {"token": str(draft.token)})
    assert Concern.objects.count() == 0


def test_another_practitioners_draft_is_not_found(client, school_lead):
    draft = ConcernDraft.objects.create(owner=school_lead)
    client.force_login(PractitionerFactory())
    assert client.get(f"/concerns/draft/{draft.token}/kind/").status_code == 404


def test_referrer_sees_the_outcome_in_my_concerns(lead_client, school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="early_help", rationale="Team Around the Family.")
    response = lead_client.get("/concerns/mine/")
    assert "Early help or preventative service" in response.content.decode()


def test_front_door_queue_lists_undecided_concerns(client, school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    client.force_login(front_door)
    assert concern.reference in client.get("/front-door/").content.decode()


def test_a_practitioner_cannot_open_the_queue(lead_client):
    assert lead_client.get("/front-door/").status_code == 403


def test_front_door_records_a_decision_on_the_concern_page(client, school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    client.force_login(front_door)
    client.post(f"/concerns/{concern.reference}/", {"action": "decision", "outcome": "iaa", "rationale": "Advice."})
    concern.refresh_from_db()
    assert concern.stage == "decided"


def test_a_decision_without_rationale_gets_a_field_error(client, school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    client.force_login(front_door)
    response = client.post(f"/concerns/{concern.reference}/", {"action": "decision", "outcome": "iaa"})
    assert "rationale" in response.context["decision_form"].errors


def test_the_concern_page_shows_what_is_known(client, school_lead, front_door):
    first = concern_submit(submitter=school_lead, data=make_input()).concern
    second = concern_submit(submitter=school_lead, data=make_input(what_happened="Again.")).concern
    client.force_login(front_door)
    assert first.reference in client.get(f"/concerns/{second.reference}/").content.decode()


def test_practitioner_of_another_agency_cannot_open_the_concern(client, school_lead):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    client.force_login(PractitionerFactory())
    assert client.get(f"/concerns/{concern.reference}/").status_code == 404


def test_metrics_page_and_csv(client, school_lead, front_door):
    concern_submit(submitter=school_lead, data=make_input())
    client.force_login(front_door)
    assert client.get("/front-door/metrics/").status_code == 200
    csv = client.get("/front-door/metrics/?format=csv").content.decode()
    assert "concerns,all,1" in csv
