"""Convening, holding and deciding meetings; registration and de-registration; the plan; chasing; receipts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cylch.access.models import AccessGrant, GrantKind
from cylch.access.rule import can_see_detail
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.meetings.models import ActionStatus, Circulation, Meeting, MeetingKind, Plan, PlanAction
from cylch.meetings.services import (
    agency_report_submit,
    circulation_open,
    decision_record,
    meeting_circulate,
    meeting_convene,
    meeting_hold,
    overdue_actions_chase,
    plan_action_add,
    plan_action_update,
    plan_version_save,
)
from cylch.notifications.models import Notification
from cylch.people.models import StatusKind, StatutoryStatus
from tests.factories import ConcernFactory, PersonFactory
from tests.meetings.conftest import convene, days_ago

pytestmark = pytest.mark.django_db


def hold(region, meeting, **kwargs):
    return meeting_hold(
        meeting=meeting,
        user=region.chair,
        attendance={i.pk: "attended" for i in meeting.invitees.all()},
        child_views=kwargs.pop("child_views", "Cerys said she is scared when dad shouts."),
        minutes="Discussed the police call-out and the school's concerns.",
        **kwargs,
    )


def registered(region, *, when=None):
    """A strategy discussion deciding on an enquiry, then an initial conference registering the child."""
    discussion = convene(region, when=days_ago(20))
    hold(region, discussion)
    decision_record(meeting=discussion, user=region.chair, kind="section_47", rationale="Injury unexplained.")
    conference = convene(region, "initial_conference", when=when or days_ago(5), strategy_discussion=discussion)
    hold(region, conference)
    decision_record(
        meeting=conference,
        user=region.chair,
        kind="register",
        person=region.child,
        category="NEG",
        rationale="Significant harm from neglect.",
    )
    return conference, Plan.objects.get(person=region.child)


# --- bad input: a clear error naming the field, and nothing stored ---


def test_a_meeting_before_the_concern_that_led_to_it_is_refused_and_nothing_is_stored(region):
    concern = ConcernFactory(referrer=region.visitor, received_at=days_ago(2))
    with pytest.raises(ValidationError) as error:
        convene(region, when=days_ago(3), concern=concern)
    assert "held_at" in error.value.message_dict
    assert not Meeting.objects.exists()
    assert not AccessGrant.objects.exists()


def test_a_conference_without_a_strategy_discussion_needs_a_recorded_reason(region):
    with pytest.raises(ValidationError) as error:
        convene(region, "initial_conference")
    assert "strategy_discussion" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_a_conference_without_a_strategy_discussion_is_allowed_with_a_reason(region):
    meeting = convene(region, "initial_conference", no_strategy_reason="Transferred in from another authority.")
    assert meeting.strategy_discussion is None


def test_registering_without_a_category_is_refused_and_the_register_is_untouched(region):
    conference = convene(region, "initial_conference", no_strategy_reason="Transfer in.")
    hold(region, conference)
    with pytest.raises(ValidationError) as error:
        decision_record(meeting=conference, user=region.chair, kind="register", person=region.child, rationale="x")
    assert "category" in error.value.message_dict
    assert not StatutoryStatus.objects.exists()
    assert not Plan.objects.exists()


def test_registering_a_child_who_is_not_in_the_meeting_is_refused(region):
    conference = convene(region, "initial_conference", no_strategy_reason="Transfer in.", children=[region.child])
    hold(region, conference)
    with pytest.raises(ValidationError) as error:
        decision_record(
            meeting=conference,
            user=region.chair,
            kind="register",
            person=PersonFactory(),
            category="NEG",
            rationale="x",
        )
    assert "person" in error.value.message_dict


def test_a_plan_version_naming_a_meeting_the_child_was_not_in_is_refused(region):
    _conference, plan = registered(region)
    other = convene(region, "multi_agency", children=[region.sibling])
    with pytest.raises(ValidationError) as error:
        plan_version_save(plan=plan, user=region.chair, outcomes="Safe", contingency="PLO", meeting=other)
    assert "meeting" in error.value.message_dict
    assert not plan.versions.exists()


def test_an_action_without_an_owner_is_refused(region):
    _conference, plan = registered(region)
    with pytest.raises(ValidationError) as error:
        plan_action_add(
            plan=plan,
            user=region.chair,
            description="Visit weekly",
            owner_agency=region.health,
            owner=None,
            due_on=timezone.localdate(),
        )
    assert "owner" in error.value.message_dict
    assert not PlanAction.objects.exists()


def test_an_action_due_in_the_past_is_refused(region):
    _conference, plan = registered(region)
    with pytest.raises(ValidationError) as error:
        plan_action_add(
            plan=plan,
            user=region.chair,
            description="Visit weekly",
            owner_agency=region.health,
            owner=region.visitor,
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert "due_on" in error.value.message_dict


def test_a_conference_needs_the_child_s_views_recorded_before_it_is_held(region):
    conference = convene(region, "initial_conference", no_strategy_reason="Transfer in.")
    with pytest.raises(ValidationError) as error:
        hold(region, conference, child_views="  ")
    assert "child_views" in error.value.message_dict
    conference.refresh_from_db()
    assert not conference.held


def test_only_children_s_services_convene(region):
    with pytest.raises(PermissionDenied):
        meeting_convene(
            user=region.visitor, kind="multi_agency", held_at=days_ago(1), children=[region.child], chair=region.chair
        )


# --- decisions change the record ---


def test_a_strategy_discussion_s_decision_writes_its_own_chronology_events(region):
    discussion = convene(region)
    hold(region, discussion)
    decision_record(meeting=discussion, user=region.chair, kind="section_47", rationale="Injury unexplained.")
    kinds = set(ChronologyEvent.objects.filter(person=region.child).values_list("kind", flat=True))
    assert {EventKind.STRATEGY_DISCUSSION, EventKind.SECTION_47} <= kinds


def test_registration_sets_the_register_status_and_category_with_its_events(region):
    registered(region)
    status = StatutoryStatus.objects.get(person=region.child)
    assert (status.kind, status.category, status.end_date) == (StatusKind.CHILD_PROTECTION_REGISTER, "NEG", None)
    kinds = set(ChronologyEvent.objects.filter(person=region.child).values_list("kind", flat=True))
    assert {EventKind.CONFERENCE, EventKind.REGISTERED} <= kinds


def test_ending_the_plan_at_a_review_conference_de_registers_the_child(region):
    _conference, plan = registered(region, when=days_ago(10))
    review = convene(region, "review_conference", when=days_ago(1), children=[region.child])
    hold(region, review)
    decision_record(meeting=review, user=region.chair, kind="end_plan", person=region.child, rationale="Safe now.")
    plan.refresh_from_db()
    status = StatutoryStatus.objects.get(person=region.child)
    assert plan.ended_on == status.end_date == timezone.localtime(review.held_at).date()
    assert ChronologyEvent.objects.filter(person=region.child, kind=EventKind.DEREGISTERED).exists()


def test_a_decision_records_its_dissent(region):
    discussion = convene(region)
    hold(region, discussion)
    decision = decision_record(
        meeting=discussion,
        user=region.chair,
        kind="section_47",
        rationale="Injury.",
        dissent="Health felt an assessment was enough.",
    )
    assert decision.dissent == "Health felt an assessment was enough."


# --- the plan ---


def test_each_change_to_the_plan_is_a_new_version_saying_what_changed(region):
    _conference, plan = registered(region)
    first = plan_version_save(plan=plan, user=region.chair, outcomes="Fed and safe", contingency="Legal advice")
    plan_action_add(
        plan=plan,
        user=region.chair,
        description="Weekly visit",
        owner_agency=region.health,
        owner=region.visitor,
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    with pytest.raises(ValidationError) as error:
        plan_version_save(plan=plan, user=region.chair, outcomes="Fed, safe, at school", contingency="Legal advice")
    assert "change_note" in error.value.message_dict
    second = plan_version_save(
        plan=plan,
        user=region.chair,
        outcomes="Fed, safe, at school",
        contingency="Legal advice",
        change_note="School attendance added.",
    )
    plan.refresh_from_db()
    assert (first.number, second.number, plan.current_id) == (1, 2, second.pk)
    assert first.outcomes == "Fed and safe"  # earlier versions are kept as they were
    assert [a["description"] for a in second.actions_snapshot] == ["Weekly visit"]
    assert first.actions_snapshot == []


def test_an_action_is_done_only_with_evidence(region):
    _conference, plan = registered(region)
    action = plan_action_add(
        plan=plan,
        user=region.chair,
        description="Weekly visit",
        owner_agency=region.health,
        owner=region.visitor,
        due_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError) as error:
        plan_action_update(action=action, user=region.visitor, status=ActionStatus.DONE)
    assert "evidence" in error.value.message_dict
    plan_action_update(action=action, user=region.visitor, status=ActionStatus.DONE, evidence="Visited 3 times.")
    assert action.completed_on == timezone.localdate()


# --- chasing and escalation ---


def overdue_action(region, *, due_days_ago: int):
    _conference, plan = registered(region)
    action = plan_action_add(
        plan=plan,
        user=region.chair,
        description="Weekly visit",
        owner_agency=region.health,
        owner=region.visitor,
        due_on=timezone.localdate(),
    )
    PlanAction.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=due_days_ago))
    return action


def chased(region):
    return list(Notification.objects.filter(template="plan_action_overdue").values_list("recipient_id", flat=True))


def test_an_action_not_yet_due_is_not_chased(region):
    _conference, plan = registered(region)
    plan_action_add(
        plan=plan,
        user=region.chair,
        description="Weekly visit",
        owner_agency=region.health,
        owner=region.visitor,
        due_on=timezone.localdate(),
    )
    assert overdue_actions_chase().owners == 0
    assert chased(region) == []


def test_an_overdue_action_is_chased_with_its_owner_once(region):
    overdue_action(region, due_days_ago=1)
    overdue_actions_chase()
    overdue_actions_chase()
    assert chased(region) == [region.visitor.pk]


def test_an_action_overdue_5_working_days_escalates_to_the_lead_practitioner_then_10_to_the_chair(region):
    action = overdue_action(region, due_days_ago=0)
    due = timezone.localdate()
    from cylch.core.working_days import add_working_days

    overdue_actions_chase(today=add_working_days(due, 4))
    assert chased(region) == [region.visitor.pk]
    overdue_actions_chase(today=add_working_days(due, 5))
    assert sorted(chased(region)) == sorted([region.visitor.pk, region.lead.pk])
    overdue_actions_chase(today=add_working_days(due, 10))
    assert sorted(chased(region)) == sorted([region.visitor.pk, region.lead.pk, region.chair.pk])
    action.refresh_from_db()
    assert action.chase_level == 3


def test_a_done_action_is_not_chased(region):
    action = overdue_action(region, due_days_ago=3)
    plan_action_update(action=action, user=region.visitor, status=ActionStatus.DONE, evidence="Done.")
    overdue_actions_chase()
    assert chased(region) == []


# --- circulation and receipts ---


def test_minutes_go_to_every_invitee_in_their_language_and_opening_is_recorded(region):
    region.officer.language = "cy"
    region.officer.save()
    discussion = convene(region)
    hold(region, discussion)
    sent = meeting_circulate(meeting=discussion, user=region.chair, kind="minutes")
    assert {c.recipient_id for c in sent} == {region.officer.pk, region.visitor.pk}
    welsh = Notification.objects.get(template="meeting_minutes", recipient=region.officer)
    english = Notification.objects.get(template="meeting_minutes", recipient=region.visitor)
    with translation.override("cy"):
        welsh_kind = str(MeetingKind.STRATEGY_DISCUSSION.label)
    assert welsh_kind != "Strategy discussion"
    assert welsh_kind in welsh.subject
    assert "Strategy discussion" in english.subject
    circulation_open(meeting=discussion, user=region.officer, kind="minutes")
    opened = dict(Circulation.objects.filter(kind="minutes").values_list("recipient_id", "opened_at"))
    assert opened[region.officer.pk] is not None
    assert opened[region.visitor.pk] is None


def test_the_plan_also_goes_to_action_owners_outside_the_meeting(region):
    conference, plan = registered(region)
    plan_version_save(plan=plan, user=region.chair, outcomes="Safe", contingency="Legal advice")
    plan_action_add(
        plan=plan,
        user=region.chair,
        description="Attendance checks",
        owner_agency=region.outsider.agency,
        owner=region.outsider,
        due_on=timezone.localdate(),
    )
    sent = meeting_circulate(meeting=conference, user=region.chair, kind="plan")
    assert region.outsider.pk in {c.recipient_id for c in sent}


def test_minutes_cannot_be_circulated_before_the_meeting_is_held(region):
    discussion = convene(region, when=timezone.now() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        meeting_circulate(meeting=discussion, user=region.chair, kind="minutes")


def test_an_agency_report_comes_from_an_invitee(region):
    discussion = convene(region, when=timezone.now() + datetime.timedelta(days=2))
    report = agency_report_submit(meeting=discussion, user=region.officer, text="Two call-outs this year.")
    assert report.agency == region.police
    with pytest.raises(PermissionDenied):
        agency_report_submit(meeting=discussion, user=region.outsider, text="Not invited.")


# --- an invitee's access ---


def test_an_invitee_sees_the_children_for_the_meeting_and_not_after(region):
    assert not can_see_detail(user=region.officer, person=region.child)
    convene(region, when=days_ago(1))
    assert can_see_detail(user=region.officer, person=region.child)
    grant = AccessGrant.objects.get(practitioner=region.officer, person=region.child, kind=GrantKind.MEETING)
    assert grant.expires_at is not None
    AccessGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert not can_see_detail(user=region.officer, person=region.child)


def test_an_invitee_s_access_lasts_the_plan_s_life_and_ends_with_it(region):
    registered(region, when=days_ago(10))
    grants = AccessGrant.objects.filter(practitioner=region.officer, person=region.child, kind=GrantKind.MEETING)
    assert grants.filter(expires_at__isnull=True).exists()
    review = convene(region, "review_conference", when=days_ago(1), children=[region.child])
    hold(region, review)
    # The review's own invitation runs to its circulation deadline; the plan's grants end now.
    AccessGrant.objects.filter(meeting_access__meeting=review).delete()
    decision_record(meeting=review, user=region.chair, kind="end_plan", person=region.child, rationale="Safe.")
    assert not grants.filter(expires_at__isnull=True).exists()
    assert not can_see_detail(user=region.officer, person=region.child)


def test_a_practitioner_not_invited_gains_no_access(region):
    convene(region)
    assert not can_see_detail(user=region.outsider, person=region.child)
