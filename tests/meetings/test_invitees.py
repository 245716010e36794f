"""Who a meeting's pick-lists offer: the agencies serving the meeting's authority and its region (a police force
is recorded against one council but serves them all), those working with the children first, and the same
choices when the booking form is posted as when it was shown."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cylch.accounts.models import AgencyKind
from cylch.meetings.models import Meeting, Plan
from cylch.meetings.services import decision_record, meeting_hold
from tests.factories import (
    AgencyFactory,
    ConcernFactory,
    ConcernSubjectFactory,
    InvolvementFactory,
    LocalAuthorityFactory,
    PractitionerFactory,
)
from tests.meetings.conftest import convene, days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture
def force(region):
    """A police officer of a force recorded against the next council in the region."""
    neighbour = LocalAuthorityFactory(region=region.childrens.local_authority.region)
    return PractitionerFactory(agency=AgencyFactory(kind=AgencyKind.POLICE, local_authority=neighbour, name="Gwent"))


def _booking(region, concern, **extra):
    day = timezone.localdate()
    return {
        "concern": concern.reference,
        "kind": "strategy_discussion",
        "children": region.child.cylch_id,
        "held_on_day": day.day,
        "held_on_month": day.month,
        "held_on_year": day.year,
        "time": "23:59",
        "chair": region.chair.pk,
        **extra,
    }


def test_booking_from_a_concern_with_its_default_invitee_from_another_area_works_first_time(client, region):
    elsewhere = PractitionerFactory(agency=AgencyFactory(kind=AgencyKind.SCHOOL, name="Ysgol y Bont"))
    InvolvementFactory(person=region.child, agency=elsewhere.agency, practitioner=elsewhere)
    concern = ConcernFactory(referrer=region.visitor)
    ConcernSubjectFactory(concern=concern, person=region.child)
    client.force_login(region.front_door)
    url = reverse("meetings:convene") + f"?concern={concern.reference}"
    form = client.get(url).context["form"]
    assert elsewhere.pk in form.initial["invitees"]
    response = client.post(url, _booking(region, concern, invitees=form.initial["invitees"]))
    assert response.status_code == 302
    assert elsewhere.pk in Meeting.objects.get().invitees.values_list("practitioner", flat=True)


def test_the_invitees_offered_are_the_choices_the_booking_accepts(client, region, force):
    concern = ConcernFactory(referrer=region.visitor)
    ConcernSubjectFactory(concern=concern, person=region.child)
    client.force_login(region.front_door)
    url = reverse("meetings:convene") + f"?concern={concern.reference}"
    offered = list(client.get(url).context["form"].fields["invitees"].queryset)
    posted = client.post(url, _booking(region, concern, time="")).context["form"]
    assert list(posted.fields["invitees"].queryset) == offered


def test_the_region_s_police_force_is_offered_after_the_agencies_working_with_the_child(client, region, force):
    concern = ConcernFactory(referrer=region.visitor)
    ConcernSubjectFactory(concern=concern, person=region.child)
    client.force_login(region.front_door)
    offered = list(
        client.get(reverse("meetings:convene") + f"?concern={concern.reference}")
        .context["form"]
        .fields["invitees"]
        .queryset
    )
    assert force in offered
    assert offered[0] == region.visitor


def test_a_police_force_of_another_region_is_not_offered(client, region):
    stranger = PractitionerFactory(agency=AgencyFactory(kind=AgencyKind.POLICE))
    client.force_login(region.front_door)
    offered = client.get(reverse("meetings:convene")).context["form"].fields["invitees"].queryset
    assert stranger not in offered
    assert region.officer in offered


def test_the_region_s_police_officer_can_be_invited_to_a_meeting(client, region, force):
    meeting = convene(region, when=timezone.now() + datetime.timedelta(days=2))
    client.force_login(region.chair)
    response = client.post(
        reverse("meetings:invite", args=[meeting.pk]), {"practitioner": force.pk, "role": "Investigating officer"}
    )
    assert response.status_code == 302
    assert meeting.invitees.filter(practitioner=force).exists()


def test_the_region_s_police_officer_can_own_a_plan_action(client, region, force):
    meeting = convene(region, "initial_conference", no_strategy_reason="Transferred in.", when=days_ago(2))
    meeting_hold(meeting=meeting, user=region.chair, attendance={}, child_views="Wants to stay.", minutes="Agreed.")
    decision_record(
        meeting=meeting, user=region.chair, kind="register", person=region.child, category="EMO", rationale="Harm."
    )
    plan = Plan.objects.get(person=region.child)
    due = timezone.localdate() + datetime.timedelta(days=7)
    client.force_login(region.chair)
    assert force in client.get(reverse("meetings:plan", args=[plan.pk])).context["action_form"].fields["owner"].queryset
    response = client.post(
        reverse("meetings:plan-action", args=[plan.pk]),
        {
            "description": "Visit the home.",
            "owner": force.pk,
            "due_on_day": due.day,
            "due_on_month": due.month,
            "due_on_year": due.year,
        },
    )
    assert response.status_code == 302
    assert plan.actions.get().owner_agency == force.agency


@pytest.mark.parametrize("value", ["99999999999999999999999", "x", "-1"])
def test_an_invitee_that_cannot_be_a_practitioner_is_refused_by_name(client, region, value):
    client.force_login(region.front_door)
    response = client.post(reverse("meetings:convene"), {"invitees": [value]})
    assert response.status_code == 400
    assert "Select invitees from the list" in response.content.decode()
