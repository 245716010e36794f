"""The front door's queue says what the screener needs before opening a concern (#13 item 5): register and
looked-after flags, the categories, who is working on it, and concerns about the same child or household raised
close together listed together; "my concerns" lists the children without a stray comma (#13 item 8)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cylch.accounts.models import RoleCode
from cylch.concerns.triage import screening_note_add
from tests.factories import (
    ConcernFactory,
    ConcernSubjectFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    PersonFactory,
    PractitionerFactory,
    StatutoryStatusFactory,
)

pytestmark = pytest.mark.django_db


def _queue(client, front_door) -> str:
    client.force_login(front_door)
    response = client.get("/front-door/")
    assert response.status_code == 200
    return response.content.decode()


def _about(child, *, days_ago: float = 0, **concern):
    received = timezone.now() - datetime.timedelta(days=days_ago)
    return ConcernSubjectFactory(
        person=child,
        concern__received_at=received,
        concern__decision_due_at=received + datetime.timedelta(days=1),
        **{f"concern__{key}": value for key, value in concern.items()},
    ).concern


def _rows(page: str) -> list[str]:
    return page.split('data-testid="queue-row"')[1:]


def _row_of(page: str, reference: str) -> str:
    """The queue row whose own link (its first) is the concern's."""
    [row] = [row for row in _rows(page) if row.split("</a>")[0].endswith(f">{reference}")]
    return row


def _position(page: str, reference: str) -> int:
    return next(i for i, row in enumerate(_rows(page)) if row.split("</a>")[0].endswith(f">{reference}"))


def test_the_queue_flags_a_child_on_the_register(client, front_door):
    child = PersonFactory()
    StatutoryStatusFactory(person=child, kind="cp_register", start_date=datetime.date(2024, 1, 1))
    concern = _about(child)
    assert "On the register" in _row_of(_queue(client, front_door), concern.reference)


def test_the_queue_flags_a_looked_after_child_and_not_an_ended_status(client, front_door):
    child = PersonFactory()
    StatutoryStatusFactory(person=child, kind="looked_after", category="", start_date=datetime.date(2024, 1, 1))
    StatutoryStatusFactory(
        person=child, kind="cp_register", start_date=datetime.date(2022, 1, 1), end_date=datetime.date(2023, 1, 1)
    )
    concern = _about(child)
    row = _row_of(_queue(client, front_door), concern.reference)
    assert "Looked after" in row
    assert "On the register" not in row


def test_the_queue_gives_the_categories_in_words(client, front_door):
    concern = _about(PersonFactory(), categories=["domestic_abuse", "neglect"])
    row = _row_of(_queue(client, front_door), concern.reference)
    assert "Domestic abuse, Neglect" in row
    assert "domestic_abuse" not in row


def test_the_queue_names_who_is_screening(client, front_door):
    concern = _about(PersonFactory())
    screener = PractitionerFactory(
        agency=front_door.agency, roles=[RoleCode.FRONT_DOOR], first_name="Gwen", last_name="Morgan"
    )
    screening_note_add(concern=concern, author=screener, text="Rang the school.")
    other = _about(PersonFactory())
    page = _queue(client, front_door)
    assert "Gwen Morgan" in _row_of(page, concern.reference)
    assert "Not started" in _row_of(page, other.reference)


def test_concerns_about_one_child_in_the_same_week_are_listed_together(client, front_door):
    child = PersonFactory()
    first = _about(child, days_ago=5)
    between = _about(PersonFactory(), days_ago=4)
    second = _about(child, days_ago=1)
    page = _queue(client, front_door)
    order = sorted((first, between, second), key=lambda c: _position(page, c.reference))
    assert order == [first, second, between]
    assert "Same child, raised within a week of:" in _row_of(page, second.reference)


def test_concerns_about_one_household_in_the_same_week_say_so(client, front_door):
    home = HouseholdFactory()
    sister, brother = PersonFactory(), PersonFactory()
    for child in (sister, brother):
        HouseholdMembershipFactory(household=home, person=child)
    _about(sister, days_ago=2)
    concern = _about(brother)
    assert "Same household, raised within a week of:" in _row_of(_queue(client, front_door), concern.reference)


def test_concerns_about_one_child_weeks_apart_are_not_grouped(client, front_door):
    child = PersonFactory()
    _about(child, days_ago=20)
    concern = _about(child)
    assert "raised within a week" not in _row_of(_queue(client, front_door), concern.reference)


def test_my_concerns_lists_the_children_without_a_stray_comma(client, school_lead):
    concern = ConcernFactory(referrer=school_lead)
    ConcernSubjectFactory(concern=concern, person=PersonFactory(given_name="Cerys", family_name="Jones"))
    ConcernSubjectFactory(concern=concern, person=PersonFactory(given_name="Mam", family_name="Jones"), role="adult")
    client.force_login(school_lead)
    page = client.get("/concerns/mine/").content.decode()
    assert "Cerys Jones</td>" in page
    assert "Cerys Jones, </td>" not in page
