"""The concern context at the front door says which agencies have ever worked with each child and with the adults
they live with, and when (#13 item 3), as the single view does."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from cylch.accounts.models import AgencyKind
from cylch.concerns.selectors import concern_context
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    ConcernSubjectFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(front_door):
    police = AgencyFactory(name="Heddlu Gwent", name_cy="Heddlu Gwent (cy)", kind=AgencyKind.POLICE, phone="101")
    camhs = AgencyFactory(name="CAMHS Test", kind=AgencyKind.CAMHS)
    child = PersonFactory(date_of_birth=datetime.date(2015, 1, 1))
    adult = PersonFactory(date_of_birth=datetime.date(1985, 1, 1))
    home = HouseholdFactory()
    for someone in (child, adult):
        HouseholdMembershipFactory(household=home, person=someone)
    InvolvementFactory(
        person=child, agency=camhs, start_date=datetime.date(2019, 2, 1), end_date=datetime.date(2020, 3, 1)
    )
    when = datetime.datetime(2021, 5, 1, 9, tzinfo=datetime.UTC)
    ChronologyEventFactory(person=adult, agency=police, kind="domestic_abuse_incident", occurred_at=when)
    subject = ConcernSubjectFactory(person=child)
    [known] = concern_context(user=front_door, concern=subject.concern)
    return known


def test_the_context_lists_agencies_no_longer_involved_with_the_child(context):
    assert [(p.agency.name, p.period) for p in context.agencies_ever] == [("CAMHS Test", "2019–2020")]


def test_the_context_says_the_police_held_information_about_the_household_adults(context):
    html = render_to_string("concerns/_known_agencies.html", {"k": context})
    assert "Heddlu Gwent held information about adults in this household, 2021." in html
    assert "Contact: 101" in html


def test_the_context_gives_the_welsh_agency_name_in_welsh(context):
    with translation.override("cy"):
        html = render_to_string("concerns/_known_agencies.html", {"k": context})
    assert "Heddlu Gwent (cy)" in html
