"""The information-request loop: the agency asked sees the request, reads the child's identity and the question
(never the concern), answers in Cylch, and the front door sees who answered and when."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cylch.accounts.models import AgencyKind
from cylch.audit.models import AccessLogEntry, AccessOutcome
from cylch.concerns.forms import InformationRequestForm
from cylch.concerns.models import InformationRequest
from cylch.concerns.selectors import agencies_involved_around
from cylch.concerns.services import SubjectInput, concern_submit
from cylch.concerns.triage import information_request_create
from cylch.notifications.models import Notification
from tests.concerns.conftest import make_input
from tests.factories import AgencyFactory, InvolvementFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

RELATIVE = "Gethin Morgan-Price"
QUESTION = "Has Gethin Morgan-Price been seen at the home, and is the mother taking her antidepressants?"


@pytest.fixture
def police(db):
    return AgencyFactory(kind=AgencyKind.POLICE, name="Heddlu Test", email="mash@police.example")


@pytest.fixture
def officer(police):
    return PractitionerFactory(agency=police, first_name="Bethan", last_name="Heddwas")


@pytest.fixture
def asked(school_lead, front_door, police):
    """A concern naming a relative and health details, and a question to the police, who work with no one in it."""
    child = make_input().subjects[0]
    relative = SubjectInput(
        role="household_member", given_name="Gethin", family_name="Morgan-Price", relationship="mother's partner"
    )
    data = make_input(
        subjects=(child, relative),
        what_happened="Mother says she stopped her antidepressants; bruising seen.",
        child_words="Gethin shouts at Mam.",
    )
    concern = concern_submit(submitter=school_lead, data=data).concern
    return information_request_create(
        concern=concern,
        agency=police,
        question=QUESTION,
        due_on=timezone.localdate() + datetime.timedelta(days=3),
        requested_by=front_door,
    )


def test_the_asked_agency_sees_the_request_in_its_list(client, officer, asked):
    client.force_login(officer)
    html = client.get("/information-requests/").content.decode()
    assert asked.concern.reference in html
    assert f"/information-requests/{asked.pk}/" in html
    assert "Cerys Jones" in html


def test_another_agencys_list_does_not_show_the_request(client, asked):
    client.force_login(PractitionerFactory())
    assert asked.concern.reference not in client.get("/information-requests/").content.decode()


def test_the_asked_agency_sees_the_child_and_the_question_and_nothing_else_of_the_concern(client, officer, asked):
    client.force_login(officer)
    response = client.get(f"/information-requests/{asked.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Cerys Jones" in html
    assert "1 May 2016" in html
    assert "Has Gethin Morgan-Price been seen at the home" in html
    assert "bruising" not in html  # what happened
    assert "shouts at Mam" not in html  # the child's words
    assert "mother&#x27;s partner" not in html
    assert "Neglect" not in html  # the categories


def test_the_asked_agency_cannot_open_the_concern_itself(client, officer, asked):
    client.force_login(officer)
    assert client.get(f"/concerns/{asked.concern.reference}/").status_code == 404


def test_opening_the_request_logs_the_child_on_the_requests_basis(client, officer, asked):
    client.force_login(officer)
    client.get(f"/information-requests/{asked.pk}/")
    entry = AccessLogEntry.objects.filter(page="information-request", practitioner=officer).get()
    assert entry.person == asked.concern.subjects.get(role="child").person
    assert entry.outcome == AccessOutcome.DETAIL
    assert entry.reason.startswith("information_request")


def test_an_agency_not_asked_finds_nothing_and_the_attempt_is_logged(client, asked):
    other = PractitionerFactory()
    client.force_login(other)
    assert client.get(f"/information-requests/{asked.pk}/").status_code == 404
    assert client.post(f"/information-requests/{asked.pk}/", {"response": "We know him."}).status_code == 404
    asked.refresh_from_db()
    assert asked.responded_at is None
    outcomes = AccessLogEntry.objects.filter(practitioner=other, page="information-request").values_list(
        "outcome", flat=True
    )
    assert list(outcomes) == [AccessOutcome.REFUSED, AccessOutcome.REFUSED]


def test_the_asked_agency_answers_and_the_front_door_sees_who_and_when(client, officer, front_door, asked):
    client.force_login(officer)
    response = client.post(f"/information-requests/{asked.pk}/", {"response": "Two call-outs in March."})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.responded_by == officer
    client.force_login(front_door)
    html = client.get(f"/concerns/{asked.concern.reference}/?section=requests").content.decode()
    assert "Two call-outs in March." in html
    assert "Answered by Bethan Heddwas (Heddlu Test)" in html


def test_the_front_door_is_told_an_answer_arrived_without_the_answer(client, officer, front_door, asked):
    client.force_login(officer)
    client.post(f"/information-requests/{asked.pk}/", {"response": "Two call-outs in March."})
    told = Notification.objects.get(template="information_request_answered")
    assert told.email == front_door.email
    assert asked.concern.reference in told.body
    assert "call-outs" not in told.body


def test_a_request_is_answered_once(client, officer, asked):
    client.force_login(officer)
    client.post(f"/information-requests/{asked.pk}/", {"response": "First."})
    client.post(f"/information-requests/{asked.pk}/", {"response": "Second."})
    assert InformationRequest.objects.get(pk=asked.pk).response == "First."


def test_the_message_carries_the_reference_due_date_and_link_and_no_sensitive_text(asked):
    message = Notification.objects.get(template="information_request")
    everything = " ".join([message.subject, message.body, *map(str, message.personalisation.values())])
    assert asked.concern.reference in message.body
    assert f"{asked.due_on:%d/%m/%Y}" in message.body
    assert f"/information-requests/{asked.pk}/" in message.body
    for sensitive in (RELATIVE, "Gethin", "antidepressants", "bruising", "Mam", "Cerys", "Jones", "neglect"):
        assert sensitive.lower() not in everything.lower()


def test_the_agency_picker_lists_agencies_working_with_the_child_or_household_first(school_lead):
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    AgencyFactory(name="Aaa first by name")
    involved = InvolvementFactory(person=concern.subjects.get().person, agency=AgencyFactory(name="Zzz health")).agency
    form = InformationRequestForm(involved=agencies_involved_around(concern=concern))
    choices = [label for value, label in form.fields["agency"].choices if value]
    assert choices[0] == "Zzz health (works with the family)"
    assert involved.pk in agencies_involved_around(concern=concern)


def test_the_home_page_tells_the_asked_agency_how_many_requests_wait(client, officer, asked):
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert "waiting for your agency to answer 1 request." in html
    assert 'href="/information-requests/"' in html
