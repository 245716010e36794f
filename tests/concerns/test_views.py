from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape

from cylch.accounts.models import RoleCode
from cylch.concerns import drafts
from cylch.concerns.models import Concern, ConcernDraft, InformationRequest
from cylch.concerns.services import concern_submit
from cylch.concerns.triage import decision_record, information_request_create
from tests.concerns.conftest import make_input
from tests.factories import (
    AgencyFactory,
    ConcernFactory,
    ConcernSubjectFactory,
    InvolvementFactory,
    PractitionerFactory,
)
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


def _welsh(english: str) -> str:
    with translation.override("cy"):
        welsh = translation.gettext(english)
    assert welsh != english, f"no Welsh for {english!r}"
    return welsh


WELSH_PAGES = {
    "kind": "What kind of concern is this?",
    "children": "Children the concern is about",
    "household": "Other people in the household",
    "categories": "What is the concern about?",
    "what-happened": "What happened?",
    "child-words": "What has the child said, in their own words?",
    "family": "Does the family know you are raising this concern?",
    "risk": "Is the child at immediate risk of harm?",
    "referrer": "How can the front door reach you?",
    "check": "Check your answers before sending the concern",
}


def test_every_page_of_the_journey_is_in_welsh(lead_client):
    draft = _draft(lead_client)
    _fill(lead_client, draft)
    lead_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    for step, english in WELSH_PAGES.items():
        page = lead_client.get(f"/concerns/draft/{draft.token}/{step}/").content.decode()
        assert escape(_welsh(english)) in page, step
        assert english not in page, step
    sent = lead_client.post(f"/concerns/draft/{draft.token}/check/", {"token": str(draft.token)}, follow=True)
    assert escape(_welsh("Concern sent")) in sent.content.decode()


def test_the_check_page_refuses_an_incomplete_concern_and_says_what_is_missing(lead_client):
    draft = _draft(lead_client)
    _fill(lead_client, draft)
    draft.refresh_from_db()
    drafts.draft_save(draft=draft, answers={"categories": [], "what_happened": ""})
    response = lead_client.post(f"/concerns/draft/{draft.token}/check/", {"token": str(draft.token)})
    assert Concern.objects.count() == 0
    problems = {p["field"]: p for p in response.context["problems"]}
    assert set(problems) == {"categories", "what_happened"}
    assert problems["categories"]["message"] == "Select at least one category of concern."
    assert problems["categories"]["url"] == f"/concerns/draft/{draft.token}/categories/?change=1"
    page = response.content.decode()
    assert "Select at least one category of concern." in page
    assert "Send the concern" not in page


def test_the_check_page_refuses_immediate_risk_without_details(lead_client):
    draft = _draft(lead_client)
    _fill(lead_client, draft)
    draft.refresh_from_db()
    drafts.draft_save(draft=draft, answers={"immediate_risk": "yes", "immediate_risk_details": ""})
    response = lead_client.post(f"/concerns/draft/{draft.token}/check/", {"token": str(draft.token)})
    assert [p["message"] for p in response.context["problems"]] == ["Describe the immediate risk."]
    assert Concern.objects.count() == 0


def test_the_check_page_of_a_new_draft_names_the_questions_not_their_codes(lead_client):
    draft = _draft(lead_client)
    page = lead_client.get(f"/concerns/draft/{draft.token}/check/").content.decode()
    assert "Select what kind of concern this is." in page
    assert "Answer this question" not in page
    assert "what-happened</a>" not in page


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


@pytest.mark.parametrize("remove", ["abc", "9" * 5000, "-1", ""])
def test_removing_a_person_not_in_the_list_is_a_400_that_changes_nothing(lead_client, remove):
    draft = _draft(lead_client)
    _fill(lead_client, draft)
    response = lead_client.post(f"/concerns/draft/{draft.token}/children/", {"remove": remove})
    assert response.status_code == 400
    assert "Choose a person to remove from the list." in response.content.decode()
    draft.refresh_from_db()
    assert len(draft.data["children"]) == 1


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


def test_my_concerns_says_how_many_and_pages_through_all_newest_first(lead_client, school_lead, monkeypatch):
    monkeypatch.setattr("cylch.concerns.selectors.MINE_PAGE_SIZE", 2)
    now = timezone.now()
    newest, middle, oldest = (
        ConcernFactory(referrer=school_lead, received_at=now - datetime.timedelta(hours=hours)) for hours in (0, 1, 2)
    )
    first = lead_client.get("/concerns/mine/").content.decode()
    second = lead_client.get("/concerns/mine/", {"page": 2}).content.decode()
    assert "You have raised 3 concerns." in first
    assert "Showing 1 to 2, newest first." in first
    assert [c.reference in first for c in (newest, middle, oldest)] == [True, True, False]
    assert [c.reference in second for c in (newest, middle, oldest)] == [False, False, True]


def test_front_door_queue_lists_undecided_concerns(client, school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    client.force_login(front_door)
    assert concern.reference in client.get("/front-door/").content.decode()


def _queue_queries(client, front_door):
    client.force_login(front_door)
    client.get("/front-door/")  # the session's first request reads more (language, two-factor device)
    with CaptureQueriesContext(connection) as read:
        assert client.get("/front-door/").status_code == 200
    return len(read.captured_queries)


def test_the_queue_reads_and_logs_a_page_in_as_many_queries_whatever_its_length(client, school_lead, front_door):
    ConcernSubjectFactory.create_batch(2, concern__referrer=school_lead)
    few = _queue_queries(client, front_door)
    ConcernSubjectFactory.create_batch(6, concern__referrer=school_lead)
    assert _queue_queries(client, front_door) == few


def test_the_queue_says_how_many_are_waiting_and_overdue_and_pages_through_all(
    client, school_lead, front_door, monkeypatch
):
    monkeypatch.setattr("cylch.concerns.selectors.QUEUE_PAGE_SIZE", 2)
    now = timezone.now()
    oldest, older, newest = (
        ConcernFactory(referrer=school_lead, received_at=now - datetime.timedelta(days=days)) for days in (3, 2, 0)
    )
    client.force_login(front_door)
    first = client.get("/front-door/").content.decode()
    second = client.get("/front-door/", {"page": 2}).content.decode()
    assert "3 concerns are waiting for a decision" in first
    assert "2 past their deadline" in first
    assert "Showing 1 to 2, most urgent first." in first
    assert [c.reference in first for c in (oldest, older, newest)] == [True, True, False]
    assert [c.reference in second for c in (oldest, older, newest)] == [False, False, True]
    assert 'class="govuk-pagination"' in first


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
    assert first.reference in client.get(f"/concerns/{second.reference}/?section=known").content.decode()


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


def test_the_board_reads_the_front_door_figures(client):
    client.force_login(PractitionerFactory(roles=[RoleCode.BOARD_OFFICER]))
    assert client.get("/front-door/metrics/").status_code == 200


def test_an_agency_practitioner_cannot_read_the_front_door_figures(client, school_lead):
    client.force_login(school_lead)
    assert client.get("/front-door/metrics/").status_code == 403


def test_the_concern_page_names_the_categories_not_their_codes(client, school_lead, front_door):
    data = make_input(categories=("neglect", "parental_substance_misuse"))
    concern = concern_submit(submitter=school_lead, data=data).concern
    client.force_login(front_door)
    page = client.get(f"/concerns/{concern.reference}/").content.decode()
    assert "Neglect, Parental drug or alcohol misuse" in page
    assert "parental_substance_misuse" not in page


def test_the_queue_names_the_referring_agency_in_welsh(client, school_lead, front_door):
    school_lead.agency.name_cy = "Ysgol Gynradd y Prawf"
    school_lead.agency.save()
    concern_submit(submitter=school_lead, data=make_input())
    client.force_login(front_door)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    assert "Ysgol Gynradd y Prawf" in client.get("/front-door/").content.decode()


@pytest.fixture
def asked(school_lead, front_door):
    """A concern about a child a health visiting team works with, and an information request to that team."""
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    involvement = InvolvementFactory(person=concern.subjects.get().person)
    request = information_request_create(
        concern=concern,
        agency=involvement.agency,
        question="When was the child last seen?",
        due_on=timezone.localdate(),
        requested_by=front_door,
    )
    return request


def _make_overdue(request: InformationRequest) -> None:
    InformationRequest.objects.filter(pk=request.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))


def test_an_overdue_information_request_is_shown_on_the_concern(client, front_door, asked):
    _make_overdue(asked)
    client.force_login(front_door)
    page = client.get(f"/concerns/{asked.concern.reference}/?section=requests").content.decode()
    assert "Reply overdue" in page


def test_a_request_not_yet_due_is_not_shown_as_overdue(client, front_door, asked):
    client.force_login(front_door)
    page = client.get(f"/concerns/{asked.concern.reference}/?section=requests").content.decode()
    assert "Reply overdue" not in page


def test_the_queue_counts_a_concerns_overdue_replies(client, front_door, asked):
    _make_overdue(asked)
    client.force_login(front_door)
    response = client.get("/front-door/")
    [row] = response.context["rows"]
    assert row.replies_overdue == 1
    assert "1 information reply overdue" in response.content.decode()


def test_the_asked_agency_records_its_reply_on_the_concern_page(client, asked):
    colleague = PractitionerFactory(agency=asked.agency)
    client.force_login(colleague)
    url = f"/concerns/{asked.concern.reference}/"
    assert "When was the child last seen?" in client.get(f"{url}?section=requests").content.decode()
    client.post(url, {"action": "respond", "request_id": asked.pk, "response": "Seen at clinic on Monday."})
    asked.refresh_from_db()
    assert asked.response == "Seen at clinic on Monday."
    assert asked.responded_at is not None


def test_another_involved_agency_cannot_record_the_reply(client, asked):
    other = InvolvementFactory(person=asked.concern.subjects.get().person, agency=AgencyFactory())
    client.force_login(PractitionerFactory(agency=other.agency))
    url = f"/concerns/{asked.concern.reference}/"
    response = client.post(url, {"action": "respond", "request_id": asked.pk, "response": "Not ours to say."})
    assert response.status_code == 403
    asked.refresh_from_db()
    assert asked.responded_at is None


def test_someone_who_may_open_the_concern_but_is_not_involved_cannot_challenge(client, school_lead, front_door):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Below threshold.")
    client.force_login(front_door)
    response = client.post(f"/concerns/{concern.reference}/", {"action": "challenge", "grounds": "I disagree."})
    assert response.status_code == 403
    assert concern.challenges.count() == 0


def test_the_child_page_records_ethnicity_language_and_interpreter(lead_client):
    draft = _draft(lead_client)
    _fill(lead_client, draft)
    page = lead_client.get(f"/concerns/draft/{draft.token}/child/0/").content.decode()
    for field in ("ethnicity", "first_language", "interpreter_needed"):
        assert f'name="{field}"' in page
    lead_client.post(
        f"/concerns/draft/{draft.token}/child/0/",
        {
            "given_name": "Cerys",
            "sex": "female",
            "ethnicity": "WBRI",
            "first_language": "cym",
            "interpreter_needed": "no",
        },
    )
    lead_client.post(f"/concerns/draft/{draft.token}/check/", {"token": str(draft.token)})
    subject = Concern.objects.get().subjects.select_related("person").get(given_name="Cerys")
    assert (subject.ethnicity, subject.first_language, subject.interpreter_needed) == ("WBRI", "cym", False)
    assert (subject.person.ethnicity, subject.person.first_language) == ("WBRI", "cym")


def test_a_made_up_language_is_an_error_on_the_child_page(lead_client):
    draft = _draft(lead_client)
    response = lead_client.post(
        f"/concerns/draft/{draft.token}/child/0/", {"given_name": "Cerys", "sex": "female", "first_language": "x"}
    )
    assert "Select the person" in response.content.decode()
    draft.refresh_from_db()
    assert draft.data["children"] == []


def test_the_check_page_lists_identity_answers(lead_client):
    draft = _draft(lead_client)
    _fill(lead_client, draft)
    lead_client.post(
        f"/concerns/draft/{draft.token}/child/0/",
        {"given_name": "Cerys", "sex": "female", "first_language": "pol", "interpreter_needed": "yes"},
    )
    page = lead_client.get(f"/concerns/draft/{draft.token}/check/").content.decode()
    assert "Polish, Interpreter needed" in page
