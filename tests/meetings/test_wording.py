"""How the meeting pages word things: roles and dates in the reader's language, a clock's status as a sentence,
no registration or enquiry fields on a strategy discussion, and one report per agency."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from cylch.accounts.models import AgencyKind
from cylch.meetings.clocks import Clock, ClockCode
from cylch.meetings.forms import ConveneForm, DecisionForm
from cylch.meetings.models import AgencyReport, Meeting
from cylch.meetings.services import agency_report_share, agency_report_submit
from cylch.meetings.templatetags.meetings import invitee_role
from cylch.meetings.views import _role_of
from tests.meetings.conftest import convene

pytestmark = pytest.mark.django_db

SOON = datetime.timedelta(days=3)


def _clock_row(clock: Clock) -> str:
    return render_to_string("meetings/includes/clock_row.html", {"clock": clock, "today": datetime.date(2026, 12, 1)})


def test_a_running_clock_with_a_meeting_booked_reads_booked_for_the_day():
    clock = Clock(ClockCode.INITIAL_CONFERENCE, datetime.date(2026, 12, 10), booked_on=datetime.date(2026, 12, 8))
    row = _clock_row(clock)
    assert "Booked for 8 December 2026" in row
    assert "Running" not in row


def test_a_running_clock_with_nothing_booked_reads_due_by_the_day():
    assert "Due by 10 December 2026" in _clock_row(Clock(ClockCode.INITIAL_CONFERENCE, datetime.date(2026, 12, 10)))


def test_a_role_filled_in_from_the_agency_s_kind_is_shown_in_the_reader_s_language(region):
    meeting = convene(region, when=timezone.now() + SOON)
    invitee = meeting.invitees.get(practitioner=region.officer)
    with translation.override("cy"):
        invitee.role = _role_of(region.officer, [])
        assert invitee.role == "Police"
        assert invitee_role(invitee) == str(AgencyKind.POLICE.label)


def test_a_role_typed_in_is_shown_as_typed(region):
    meeting = convene(region, when=timezone.now() + SOON)
    with translation.override("cy"):
        assert invitee_role(meeting.invitees.get(practitioner=region.officer)) == "Investigating officer"


def test_a_strategy_discussion_is_offered_by_its_kind_and_formatted_date(region):
    discussion = convene(region, when=datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC))
    form = ConveneForm(authority_id=None, candidates=None, discussions=Meeting.objects.all())
    assert form.fields["strategy_discussion"].label_from_instance(discussion) == "Strategy discussion, 30 November 2026"


def test_booking_a_strategy_discussion_does_not_ask_which_strategy_discussion_started_the_enquiry():
    form = ConveneForm(
        initial={"kind": "strategy_discussion"}, authority_id=None, candidates=None, discussions=Meeting.objects.none()
    )
    assert not form.asks_for_strategy_discussion()
    conference = ConveneForm(
        {"kind": "initial_conference"}, authority_id=None, candidates=None, discussions=Meeting.objects.none()
    )
    assert conference.asks_for_strategy_discussion()


def test_deciding_at_a_strategy_discussion_does_not_ask_for_a_category_of_registration(region):
    meeting = convene(region)
    assert "category" not in DecisionForm(meeting=meeting, children=[]).fields
    meeting.kind = "initial_conference"
    assert "category" in DecisionForm(meeting=meeting, children=[]).fields


def test_a_second_report_from_the_same_agency_replaces_the_first(region):
    meeting = convene(region, when=timezone.now() + SOON)
    agency_report_submit(meeting=meeting, user=region.officer, text="Two call-outs.")
    agency_report_submit(meeting=meeting, user=region.officer, text="Three call-outs.")
    assert list(AgencyReport.objects.values_list("text", flat=True)) == ["Three call-outs."]


def test_a_second_report_after_the_first_was_shared_with_the_family_is_refused(region):
    meeting = convene(region, when=timezone.now() + SOON)
    report = agency_report_submit(meeting=meeting, user=region.officer, text="Two call-outs.")
    agency_report_share(report=report, user=region.chair, on=timezone.localdate())
    with pytest.raises(ValidationError, match="already been shared"):
        agency_report_submit(meeting=meeting, user=region.officer, text="Three call-outs.")
    assert AgencyReport.objects.get().text == "Two call-outs."
