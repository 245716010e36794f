"""The meeting pages: convening from a threshold decision, running a meeting, the plan, documents, and who may
see a meeting or a plan (the access matrix: a practitioner not invited sees neither)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cylch.audit.models import AccessLogEntry
from cylch.concerns.models import ThresholdDecision
from cylch.meetings.models import Circulation, Meeting, Plan
from cylch.meetings.services import decision_record, meeting_circulate, meeting_hold, plan_version_save
from tests.factories import ConcernFactory, ConcernSubjectFactory, PractitionerFactory
from tests.meetings.conftest import convene, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(region):
    meeting = convene(region, "initial_conference", no_strategy_reason="Transferred in.", when=days_ago(2))
    meeting_hold(
        meeting=meeting, user=region.chair, attendance={}, child_views="Wants to stay at school.", minutes="Agreed."
    )
    decision_record(
        meeting=meeting,
        user=region.chair,
        kind="register",
        person=region.child,
        category="EMO",
        rationale="Emotional harm.",
    )
    plan = Plan.objects.get(person=region.child)
    plan_version_save(plan=plan, user=region.chair, outcomes="Feels safe at home.", contingency="Legal meeting.")
    return meeting


# --- the access matrix for meetings and plans ---

WHO_SEES = {"chair": 200, "lead": 200, "front_door": 200, "officer": 200, "visitor": 200, "outsider": 403}


@pytest.mark.parametrize(("who", "code"), WHO_SEES.items())
def test_the_meeting_page_is_for_the_meeting_s_people(client, region, conference, who, code):
    client.force_login(getattr(region, who))
    assert client.get(reverse("meetings:detail", args=[conference.pk])).status_code == code


@pytest.mark.parametrize(("who", "code"), WHO_SEES.items())
def test_the_plan_page_is_for_the_plan_s_circle(client, region, conference, who, code):
    client.force_login(getattr(region, who))
    plan = Plan.objects.get(person=region.child)
    assert client.get(reverse("meetings:plan", args=[plan.pk])).status_code == code


def test_a_practitioner_whose_agency_works_with_the_child_but_was_not_invited_sees_no_meeting(
    client, region, conference
):
    colleague = PractitionerFactory(agency=region.health)
    client.force_login(colleague)
    assert client.get(reverse("meetings:detail", args=[conference.pk])).status_code == 403
    record = client.get(reverse("people:detail", args=[region.child.cylch_id]))
    assert reverse("meetings:detail", args=[conference.pk]) not in record.content.decode()


def test_opening_a_meeting_is_on_each_child_s_access_log(client, region, conference):
    client.force_login(region.officer)
    client.get(reverse("meetings:detail", args=[conference.pk]))
    logged = AccessLogEntry.objects.filter(practitioner=region.officer, page="meeting")
    assert set(logged.values_list("person_id", flat=True)) == {region.child.pk, region.sibling.pk}
    assert all(entry.reason.startswith("grant") or entry.reason == "involvement" for entry in logged)


def test_a_refused_meeting_is_logged(client, region, conference):
    client.force_login(region.outsider)
    client.get(reverse("meetings:detail", args=[conference.pk]))
    assert AccessLogEntry.objects.filter(practitioner=region.outsider, page="meeting", outcome="refused").exists()


# --- convening from the front door's decision ---


def test_a_strategy_discussion_decision_offers_to_convene_one(client, region):
    concern = ConcernFactory(referrer=region.visitor)
    ConcernSubjectFactory(concern=concern, person=region.child)
    ThresholdDecision.objects.create(
        concern=concern, outcome="strategy_discussion", rationale="Bruise.", decided_by=region.front_door
    )
    client.force_login(region.front_door)
    page = client.get(reverse("concerns:detail", args=[concern.reference]) + "?section=decision").content.decode()
    assert f"{reverse('meetings:convene')}?concern={concern.reference}" in page


def test_the_booking_form_is_prefilled_with_the_concern_s_children_and_agencies(client, region):
    concern = ConcernFactory(referrer=region.visitor)
    ConcernSubjectFactory(concern=concern, person=region.child)
    client.force_login(region.front_door)
    page = client.get(reverse("meetings:convene") + f"?concern={concern.reference}").content.decode()
    assert region.child.cylch_id in page
    assert region.visitor.get_full_name() in page


def test_booking_a_meeting(client, region):
    client.force_login(region.front_door)
    day = timezone.localdate()
    response = client.post(
        reverse("meetings:convene"),
        {
            "kind": "strategy_discussion",
            "children": region.child.cylch_id,
            "held_on_day": day.day,
            "held_on_month": day.month,
            "held_on_year": day.year,
            "time": "00:01",
            "chair": region.chair.pk,
            "invitees": [region.officer.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert list(meeting.invitees.values_list("practitioner", flat=True)) == [region.officer.pk]


def test_booking_with_bad_input_names_the_field_and_stores_nothing(client, region):
    client.force_login(region.front_door)
    response = client.post(
        reverse("meetings:convene"),
        {
            "kind": "initial_conference",
            "children": region.child.cylch_id,
            "held_on_day": 1,
            "held_on_month": 1,
            "held_on_year": 2026,
            "time": "10:00",
            "chair": region.chair.pk,
        },
    )
    assert response.status_code == 400
    assert "the enquiry" in response.content.decode()
    assert not Meeting.objects.exists()


def test_an_agency_practitioner_cannot_book(client, region):
    client.force_login(region.visitor)
    assert client.get(reverse("meetings:convene")).status_code == 403


# --- holding, deciding, circulating, opening ---


def test_the_chair_records_a_decision_from_the_page(client, region):
    meeting = convene(region)
    meeting_hold(meeting=meeting, user=region.chair, attendance={}, child_views="", minutes="Agreed.")
    client.force_login(region.chair)
    response = client.post(
        reverse("meetings:decide", args=[meeting.pk]), {"kind": "section_47", "rationale": "Unexplained bruise."}
    )
    assert response.status_code == 302
    assert meeting.decisions.get().kind == "section_47"


def test_an_invitee_cannot_record_decisions(client, region):
    meeting = convene(region)
    client.force_login(region.officer)
    assert client.post(reverse("meetings:decide", args=[meeting.pk]), {"kind": "section_47"}).status_code == 403


def test_following_the_circulated_link_records_the_opening_and_the_chair_sees_who_has_not(client, region, conference):
    meeting_circulate(meeting=conference, user=region.chair, kind="minutes")
    client.force_login(region.officer)
    response = client.get(reverse("meetings:circulated", args=[conference.pk, "minutes"]))
    assert response.status_code == 302
    assert Circulation.objects.get(recipient=region.officer, kind="minutes").opened_at is not None
    client.force_login(region.chair)
    response = client.get(reverse("meetings:detail", args=[conference.pk]))
    assert [c.recipient for c in response.context["page"].not_opened()] == [region.visitor]
    assert 'data-testid="not-opened"' in response.content.decode()


# --- documents ---


@pytest.mark.parametrize("document", ["invitation", "report-form", "minutes", "plan"])
def test_each_document_is_an_accessible_web_page(client, region, conference, document):
    client.force_login(region.officer)
    response = client.get(reverse("meetings:document", args=[conference.pk, document, "html"]))
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_minutes_print_as_a_pdf_in_english_and_welsh(client, region, conference, language):
    client.force_login(region.chair)
    response = client.get(
        reverse("meetings:document", args=[conference.pk, "minutes", "pdf"]) + f"?language={language}"
    )
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_plan_prints_for_its_circle_only(client, region, conference):
    plan = Plan.objects.get(person=region.child)
    client.force_login(region.visitor)
    assert client.get(reverse("meetings:plan-document", args=[plan.pk, "html"])).status_code == 200
    client.force_login(region.outsider)
    assert client.get(reverse("meetings:plan-document", args=[plan.pk, "html"])).status_code == 403


# --- clocks on the single view, the work lists and the report ---


def test_the_child_s_single_view_shows_the_clocks(client, region, conference):
    client.force_login(region.visitor)
    page = client.get(reverse("people:detail", args=[region.child.cylch_id])).content.decode()
    assert 'data-testid="meeting-clocks"' in page
    assert "Core group" in page


def test_the_lead_practitioner_s_work_list_has_the_plan_and_its_clocks(client, region, conference):
    client.force_login(region.lead)
    page = client.get(reverse("meetings:worklist")).content.decode()
    assert str(region.child) in page
    assert "Review child protection conference" in page


def test_each_agency_sees_its_own_actions_in_its_work_list(client, region, conference):
    from cylch.meetings.services import plan_action_add

    plan = Plan.objects.get(person=region.child)
    plan_action_add(
        plan=plan,
        user=region.chair,
        description="Weekly home visit",
        owner_agency=region.health,
        owner=region.visitor,
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    client.force_login(PractitionerFactory(agency=region.health))
    assert "Weekly home visit" in client.get(reverse("meetings:worklist")).content.decode()
    client.force_login(region.officer)
    assert "Weekly home visit" not in client.get(reverse("meetings:worklist")).content.decode()


def test_the_home_page_counts_meetings_and_actions(client, region, conference):
    client.force_login(region.chair)
    assert 'data-testid="meetings-home"' in client.get(reverse("home:home")).content.decode()


def test_the_timeliness_report_is_for_the_front_door(client, region, conference):
    client.force_login(region.front_door)
    page = client.get(reverse("meetings:timeliness"))
    assert page.status_code == 200
    assert 'data-testid="timeliness"' in page.content.decode()
    client.force_login(region.visitor)
    assert client.get(reverse("meetings:timeliness")).status_code == 403


def test_an_invitee_submits_a_report_with_an_attachment_the_meeting_s_people_can_download(client, region):
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = convene(region, when=timezone.now() + datetime.timedelta(days=2))
    client.force_login(region.officer)
    upload = SimpleUploadedFile("call-outs.txt", b"Two call-outs in March.", content_type="text/plain")
    response = client.post(
        reverse("meetings:report", args=[meeting.pk]), {"text": "See attached.", "attachment": upload}
    )
    assert response.status_code == 302
    report = meeting.reports.get()
    client.force_login(region.visitor)
    download = client.get(reverse("meetings:report-attachment", args=[meeting.pk, report.pk]))
    assert download.content == b"Two call-outs in March."
    assert "call-outs.txt" in download["Content-Disposition"]
    client.force_login(region.outsider)
    assert client.get(reverse("meetings:report-attachment", args=[meeting.pk, report.pk])).status_code == 403
