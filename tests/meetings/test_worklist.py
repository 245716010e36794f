"""The meetings work list: what a chair, a lead practitioner and an invitee each find waiting for them."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cylch.audit.models import AccessLogEntry
from cylch.meetings.selectors import work_counts
from cylch.meetings.services import agency_report_submit
from tests.meetings.conftest import convene, days_ago

pytestmark = pytest.mark.django_db


def _soon() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=3)


def test_the_chair_sees_the_names_of_the_children_of_a_meeting_they_chair(client, region):
    convene(region, when=_soon())
    client.force_login(region.chair)
    page = client.get(reverse("meetings:worklist")).content.decode()
    assert str(region.child) in page
    assert "Restricted" not in page


def test_an_invited_practitioner_finds_the_meeting_with_their_agency_s_report_due(client, region):
    meeting = convene(region, when=_soon())
    client.force_login(region.officer)
    response = client.get(reverse("meetings:worklist"))
    assert response.context["work"].invited == [meeting]
    page = response.content.decode()
    assert "Meetings you are invited to" in page
    assert reverse("meetings:detail", args=[meeting.pk]) in page
    assert response.context["work"].invited[0].report_due


def test_once_the_agency_has_reported_the_report_is_no_longer_due(client, region):
    meeting = convene(region, when=_soon())
    agency_report_submit(meeting=meeting, user=region.officer, text="Two call-outs.", attachment=None)
    client.force_login(region.officer)
    assert not client.get(reverse("meetings:worklist")).context["work"].invited[0].report_due


def test_a_meeting_already_past_is_not_among_those_the_practitioner_is_invited_to(client, region):
    convene(region, when=days_ago(3))
    client.force_login(region.officer)
    assert client.get(reverse("meetings:worklist")).context["work"].invited == []


def test_the_home_page_counts_the_meetings_an_invitee_is_invited_to_and_the_reports_due(region):
    convene(region, when=_soon())
    counts = work_counts(user=region.officer)
    assert (counts.invited, counts.reports_due) == (1, 1)


def test_an_invitee_sees_the_names_of_the_children_of_a_meeting_they_are_invited_to(client, region):
    convene(region, when=_soon())
    client.force_login(region.officer)
    page = client.get(reverse("meetings:worklist")).content.decode()
    assert str(region.child) in page
    assert "Restricted" not in page


def test_a_chair_sees_the_children_of_a_past_meeting_still_to_hold_on_their_meeting_grant(client, region):
    convene(region, when=days_ago(40))
    client.force_login(region.chair)
    page = client.get(reverse("meetings:worklist")).content.decode()
    assert str(region.child) in page
    entry = AccessLogEntry.objects.get(practitioner=region.chair, person=region.child, page="meetings-work-list")
    assert entry.reason.startswith("grant ")


def test_the_home_page_tells_an_invitee_of_their_meetings_and_reports_due(client, region):
    convene(region, when=_soon())
    client.force_login(region.officer)
    page = client.get(reverse("home:home")).content.decode()
    assert "You are invited to 1 meeting still to come (1 agency report due)." in page


def test_a_meeting_past_its_day_and_not_recorded_as_held_is_flagged_on_the_work_list(client, region):
    convene(region, when=days_ago(5))
    client.force_login(region.chair)
    assert "Not recorded as held" in client.get(reverse("meetings:worklist")).content.decode()


def test_a_meeting_past_its_day_and_not_recorded_as_held_is_flagged_on_its_page(client, region):
    meeting = convene(region, when=days_ago(5))
    client.force_login(region.chair)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Not recorded as held" in page


def test_a_meeting_still_to_come_is_not_flagged(client, region):
    meeting = convene(region, when=_soon())
    client.force_login(region.chair)
    assert "Not recorded as held" not in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
