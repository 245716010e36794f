"""`concern_submit` checks the whole concern itself, so the web's check page and the API cannot store a partial one."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cylch.concerns.models import Concern
from cylch.concerns.services import SubjectInput, concern_submit
from tests.concerns.conftest import make_input
from tests.factories import test_nhs_number as nhs

pytestmark = pytest.mark.django_db

CHILD = SubjectInput(given_name="Cerys", family_name="Jones", date_of_birth=datetime.date(2016, 5, 1))
NEXT_MONTH = timezone.localdate() + datetime.timedelta(days=30)


def _child(**fields) -> SubjectInput:
    values = {"given_name": "Cerys", "family_name": "Jones"} | fields
    return SubjectInput(**values)


BAD = {
    "no category": (make_input(categories=()), "categories", "Select at least one category of concern."),
    "unknown category": (make_input(categories=("witchcraft",)), "categories", "Select categories from the list."),
    "unknown kind": (make_input(kind="telepathy"), "kind", "Select what kind of concern this is."),
    "blank what happened": (make_input(what_happened="  "), "what_happened", "Enter what happened."),
    "family answer missing": (make_input(family_aware=""), "family_aware", "Select whether the family knows."),
    "family not told without a reason": (
        make_input(family_aware="no"),
        "family_not_aware_reason",
        "Explain why the family does not know about this concern.",
    ),
    "risk not answered": (
        make_input(immediate_risk=None),
        "immediate_risk",
        "Select whether the child is at immediate risk.",
    ),
    "immediate risk without details": (
        make_input(immediate_risk=True),
        "immediate_risk_details",
        "Describe the immediate risk.",
    ),
    "oversized text": (
        make_input(child_words="x" * 10_001),
        "child_words",
        "Use 10000 characters or fewer (you used 10001).",
    ),
    "oversized name": (
        make_input(subjects=(_child(given_name="x" * 101),)),
        "subjects",
        "Use 100 characters or fewer (you used 101).",
    ),
    "no child": (
        make_input(subjects=(_child(role="household_member"),)),
        "subjects",
        "Add at least one child the concern is about.",
    ),
    "bad NHS number": (
        make_input(subjects=(_child(nhs_number="9434765918"),)),
        "subjects",
        "This is not a valid NHS number: the last digit does not match. Check it and try again.",
    ),
    "NHS number not normalised": (
        make_input(subjects=(_child(nhs_number="943 476 5919"),)),
        "subjects",
        "Enter an NHS number with 10 digits, like 943 476 5919.",
    ),
    "a child with no name or identifier": (
        make_input(subjects=(SubjectInput(),)),
        "subjects",
        "Enter the child's name, or an NHS number or pupil number.",
    ),
    "a household member with no name": (
        make_input(subjects=(CHILD, SubjectInput(role="household_member"))),
        "subjects",
        "Enter the person's name.",
    ),
    "future date of birth": (
        make_input(subjects=(_child(date_of_birth=datetime.date(2999, 1, 1)),)),
        "subjects",
        "The date of birth must be today or in the past.",
    ),
    "due date for a born child": (
        make_input(subjects=(_child(expected_delivery_date=NEXT_MONTH),)),
        "subjects",
        "Only an unborn child has an expected date of delivery.",
    ),
    "unborn child without a due date": (
        make_input(subjects=(_child(is_unborn=True),)),
        "subjects",
        "Enter the expected date of delivery.",
    ),
    "unknown sex code": (
        make_input(subjects=(_child(sex="robot"),)),
        "subjects",
        "Select the person's sex from the list.",
    ),
    "too many children": (
        make_input(subjects=tuple(_child(nhs_number=nhs(n)) for n in range(9))),
        "subjects",
        "A concern can be about at most 8 children and 12 people in all.",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_an_incomplete_or_invalid_concern_gets_a_field_error_and_stores_nothing(school_lead, case):
    data, field, message = BAD[case]
    with pytest.raises(ValidationError) as raised:
        concern_submit(submitter=school_lead, data=data)
    assert message in raised.value.message_dict[field]
    assert Concern.objects.count() == 0


def test_every_problem_is_reported_at_once(school_lead):
    with pytest.raises(ValidationError) as raised:
        concern_submit(submitter=school_lead, data=make_input(categories=(), what_happened="", family_aware=""))
    assert {"categories", "what_happened", "family_aware"} <= set(raised.value.message_dict)


def test_an_unborn_child_with_a_due_date_is_accepted(school_lead):
    unborn = SubjectInput(family_name="Jones", is_unborn=True, expected_delivery_date=NEXT_MONTH)
    concern = concern_submit(submitter=school_lead, data=make_input(subjects=(unborn,))).concern
    assert concern.subjects.get().is_unborn is True
