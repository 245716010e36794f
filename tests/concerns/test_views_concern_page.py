"""The concern page in sections (#13 item 6), its success banners, and the display faults found on it (item 8)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from cylch.concerns.models import Challenge, ConcernDraft
from cylch.concerns.services import concern_submit
from cylch.concerns.triage import challenge_raise, decision_record
from tests.concerns.conftest import make_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(school_lead):
    return concern_submit(submitter=school_lead, data=make_input()).concern


@pytest.fixture
def decided(concern, front_door):
    decision_record(concern=concern, user=front_door, outcome="nfa", rationale="Universal services meet the need.")
    return concern


def _sections(html: str) -> list[str]:
    nav = html.split('class="cylch-sub-navigation"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'class="cylch-sub-navigation__link govuk-link" href="[^"]*"[^>]*>([^<]+)</a>', nav)


def test_the_front_door_has_every_section(client, front_door, concern):
    client.force_login(front_door)
    html = client.get(f"/concerns/{concern.reference}/").content.decode()
    assert _sections(html) == [
        "Details",
        "What is known",
        "Screening",
        "Information requests",
        "Decision",
        "Challenges",
    ]


def test_the_referrer_has_the_details_the_decision_and_challenges_only(client, school_lead, concern):
    client.force_login(school_lead)
    html = client.get(f"/concerns/{concern.reference}/").content.decode()
    assert _sections(html) == ["Details", "Decision", "Challenges"]


def test_a_section_the_referrer_does_not_have_shows_the_details(client, school_lead, concern):
    client.force_login(school_lead)
    html = client.get(f"/concerns/{concern.reference}/?section=screening").content.decode()
    assert 'aria-current="page">Details</a>' in html
    assert 'name="action" value="note"' not in html


def test_the_current_section_is_marked_and_named_in_the_title(client, front_door, concern):
    client.force_login(front_door)
    html = client.get(f"/concerns/{concern.reference}/?section=decision").content.decode()
    assert 'aria-current="page">Decision</a>' in html
    assert f"<title>Concern {concern.reference}: Decision – " in html
    assert 'name="action" value="decision"' in html
    assert 'name="action" value="note"' not in html


def test_a_note_comes_back_to_screening_with_a_success_banner(client, front_door, concern):
    client.force_login(front_door)
    response = client.post(
        f"/concerns/{concern.reference}/", {"action": "note", "text": "Rang the school."}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/concerns/{concern.reference}/?section=screening"
    html = response.content.decode()
    assert "govuk-notification-banner--success" in html
    assert "Your note has been added." in html


def test_a_decision_comes_back_to_the_decision_with_a_success_banner(client, front_door, concern):
    client.force_login(front_door)
    response = client.post(
        f"/concerns/{concern.reference}/",
        {"action": "decision", "outcome": "early_help", "rationale": "Family support."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/concerns/{concern.reference}/?section=decision"
    assert "The decision has been recorded and the referrer has been sent feedback." in response.content.decode()


def test_an_invalid_decision_stays_on_the_decision_section_with_its_error(client, front_door, concern):
    client.force_login(front_door)
    response = client.post(f"/concerns/{concern.reference}/", {"action": "decision", "outcome": "early_help"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="page">Decision</a>' in html
    assert "govuk-error-summary" in html
    assert "govuk-notification-banner--success" not in html


def test_the_referrer_is_offered_the_challenge_once_decided(client, school_lead, decided):
    client.force_login(school_lead)
    html = client.get(f"/concerns/{decided.reference}/?section=challenges").content.decode()
    assert 'name="action" value="challenge"' in html


def test_a_challenge_comes_back_with_a_success_banner(client, school_lead, decided):
    client.force_login(school_lead)
    response = client.post(
        f"/concerns/{decided.reference}/", {"action": "challenge", "grounds": "Three incidents this term."}, follow=True
    )
    assert "Your challenge has been sent to a front-door manager." in response.content.decode()


def test_no_challenge_is_offered_while_one_is_open(client, school_lead, decided):
    challenge_raise(concern=decided, user=school_lead, grounds="Three incidents this term.")
    client.force_login(school_lead)
    html = client.get(f"/concerns/{decided.reference}/?section=challenges").content.decode()
    assert 'name="action" value="challenge"' not in html
    assert "A challenge to this decision is open" in html


def test_a_second_challenge_while_one_is_open_is_refused(client, school_lead, decided):
    challenge_raise(concern=decided, user=school_lead, grounds="Three incidents this term.")
    client.force_login(school_lead)
    response = client.post(f"/concerns/{decided.reference}/", {"action": "challenge", "grounds": "And again."})
    assert response.status_code == 403
    assert Challenge.objects.count() == 1


def test_the_reason_the_family_does_not_know_is_apart_from_the_answer(client, front_door, school_lead):
    concern = concern_submit(
        submitter=school_lead, data=make_input(family_aware="no", family_not_aware_reason="Mother did not answer.")
    ).concern
    client.force_login(front_door)
    html = client.get(f"/concerns/{concern.reference}/").content.decode()
    assert '<p class="govuk-body">No</p><p class="govuk-body" data-testid="family-not-aware-reason">' in html
    assert "No Mother" not in html


def test_the_decision_is_due_by_the_end_of_a_day_not_at_midnight(client, front_door, concern):
    client.force_login(front_door)
    html = client.get(f"/concerns/{concern.reference}/").content.decode()
    due = timezone.localtime(concern.decision_due_at - datetime.timedelta(microseconds=1)).date()
    assert f"By the end of {due.day} {due:%b} {due.year}" in html


def test_check_your_answers_change_links_say_what_they_change(client, school_lead):
    client.force_login(school_lead)
    client.post("/concerns/new/")
    draft = ConcernDraft.objects.get()
    html = client.get(f"/concerns/draft/{draft.token}/check/").content.decode()
    assert 'Change<span class="govuk-visually-hidden"> categories</span>' in html
    assert 'Change<span class="govuk-visually-hidden"> family knows</span>' in html


def test_drafts_are_listed_by_the_childs_name(client, school_lead):
    client.force_login(school_lead)
    client.post("/concerns/new/")
    draft = ConcernDraft.objects.get()
    draft.data["children"] = [{"given_name": "Cerys", "family_name": "Jones"}]
    draft.save()
    html = client.get("/concerns/new/").content.decode()
    assert "Cerys Jones</a>" in html


def test_why_the_family_does_not_know_is_asked_under_no(client, school_lead):
    client.force_login(school_lead)
    client.post("/concerns/new/")
    draft = ConcernDraft.objects.get()
    html = client.get(f"/concerns/draft/{draft.token}/family/").content.decode()
    no = html.index('value="no"')
    assert html.index('id="id_family_aware-conditional"') > no
    assert html.index('name="family_not_aware_reason"') > no
    assert 'value="no" data-aria-controls="id_family_aware-conditional"' in html
