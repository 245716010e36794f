"""Assurance returns: an agency drafts and submits its own; each bad figure is refused by name and nothing is
stored; every save is a revision; a signed-off cycle is read-only; the board may reopen a submitted return and give
one agency's return a later due date, with its reason in the history."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cylch.assurance.models import AssuranceReturn, Revision, TrainingCompliance
from cylch.assurance.services.returns import (
    return_create,
    return_extend,
    return_locked,
    return_reopen,
    return_submit,
    return_update,
    returns_expected_create,
)
from tests.assurance.factories import CycleFactory, board_officer, partner_practitioner
from tests.assurance.factories_returns import FIGURES, ReturnFactory, TrainingFactory
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

TRAINING = {"group_b": (Decimal("92.0"), Decimal("95.0"))}


@pytest.fixture
def cycle():
    return CycleFactory()


@pytest.fixture
def author(cycle):
    return partner_practitioner(cycle)


def create(cycle, author, **overrides):
    values = {"counts": dict(FIGURES), "gaps": "No deputy lead in two schools", "training": TRAINING, **overrides}
    return return_create(cycle=cycle, agency=author.agency, user=author, **values)


def refused(cycle, author, **overrides) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        create(cycle, author, **overrides)
    assert not AssuranceReturn.objects.exists()
    return excinfo.value.message_dict


def test_a_return_is_started_as_a_draft_for_the_cycles_period(cycle, author):
    found = create(cycle, author)
    assert (found.period_start, found.period_end, found.due_on) == (
        cycle.period_start,
        cycle.period_end,
        cycle.contributions_due,
    )
    assert not found.is_submitted


def test_a_return_keeps_its_training_lines(cycle, author):
    found = create(cycle, author)
    assert list(found.training.values_list("level", "compliance_percent", "target_percent")) == [
        ("group_b", Decimal("92.0"), Decimal("95.0"))
    ]


def test_a_return_may_cover_part_of_the_cycles_period(cycle, author):
    found = create(cycle, author, period_start=datetime.date(2024, 4, 1), period_end=datetime.date(2024, 6, 30))
    assert found.period_end == datetime.date(2024, 6, 30)


def test_saving_a_return_writes_a_revision_with_its_training(cycle, author):
    found = create(cycle, author)
    revision = Revision.objects.get(subject="return", subject_id=found.pk)
    assert revision.snapshot["training"] == {"group_b": ["92.0", "95.0"]}
    assert revision.snapshot["supervision_held"] == FIGURES["supervision_held"]


def test_each_change_to_a_return_is_a_new_version(cycle, author):
    found = create(cycle, author)
    return_update(assurance_return=found, user=author, counts={**FIGURES, "leavers": 20}, training=TRAINING)
    found.refresh_from_db()
    assert found.version == 2
    assert Revision.objects.filter(subject="return", subject_id=found.pk).count() == 2


def test_compliance_over_100_percent_is_refused_by_name(cycle, author):
    errors = refused(cycle, author, training={"group_b": (Decimal("100.1"), Decimal("95"))})
    assert errors == {
        "compliance_group_b": ["The share of staff in Group B who are trained must be a percentage from 0 to 100"]
    }


def test_a_negative_compliance_figure_is_refused(cycle, author):
    errors = refused(cycle, author, training={"group_c": (Decimal("-1"), Decimal("95"))})
    assert list(errors) == ["compliance_group_c"]


def test_a_target_over_100_percent_is_refused(cycle, author):
    assert list(refused(cycle, author, training={"group_a": (Decimal("90"), Decimal("101"))})) == ["target_group_a"]


def test_a_percentage_with_two_decimal_places_is_refused(cycle, author):
    errors = refused(cycle, author, training={"group_b": (Decimal("92.25"), Decimal("95"))})
    assert errors["compliance_group_b"] == [
        "The share of staff in Group B who are trained must have no more than one decimal place"
    ]


def test_a_percentage_that_is_not_a_number_is_refused(cycle, author):
    assert "compliance_group_b" in refused(cycle, author, training={"group_b": (Decimal("NaN"), Decimal("95"))})


def test_a_training_line_without_its_target_is_refused(cycle, author):
    errors = refused(cycle, author, training={"group_b": (Decimal("92"), None)})
    assert errors == {"target_group_b": ["Enter the target for Group B"]}


def test_a_negative_count_is_refused_by_name(cycle, author):
    errors = refused(cycle, author, counts={**FIGURES, "vacancies": -1})
    assert errors == {"vacancies": ["The figure for vacancies in safeguarding roles cannot be negative"]}


def test_a_twenty_digit_count_is_refused(cycle, author):
    errors = refused(cycle, author, counts={**FIGURES, "leavers": 10**19})
    assert errors == {
        "leavers": ["The figure for leavers from safeguarding roles in the period must be 100,000 or fewer"]
    }


def test_more_designated_lead_posts_filled_than_posts_is_refused(cycle, author):
    errors = refused(cycle, author, counts={**FIGURES, "designated_lead_posts": 2, "designated_lead_posts_filled": 3})
    assert errors == {
        "designated_lead_posts_filled": [
            "The figure for designated safeguarding lead posts filled cannot be more than the figure for "
            "designated safeguarding lead posts (2)"
        ]
    }


def test_more_vacancies_than_posts_is_refused(cycle, author):
    assert list(refused(cycle, author, counts={**FIGURES, "safeguarding_posts": 5, "vacancies": 6})) == ["vacancies"]


def test_a_period_outside_the_cycle_is_refused(cycle, author):
    errors = refused(cycle, author, period_start=datetime.date(2023, 1, 1), period_end=datetime.date(2024, 6, 30))
    assert list(errors) == ["period_start"]


def test_a_period_ending_before_it_starts_is_refused(cycle, author):
    errors = refused(cycle, author, period_start=datetime.date(2024, 6, 1), period_end=datetime.date(2024, 5, 1))
    assert list(errors) == ["period_end"]


def test_a_second_return_for_the_same_period_is_refused(cycle, author):
    create(cycle, author)
    with pytest.raises(ValidationError) as excinfo:
        create(cycle, author)
    assert list(excinfo.value.message_dict) == ["period_start"]
    assert AssuranceReturn.objects.count() == 1


def test_another_agency_cannot_file_an_agencys_return(cycle, author):
    stranger = partner_practitioner(cycle)
    with pytest.raises(PermissionDenied):
        return_create(cycle=cycle, agency=author.agency, user=stranger, counts=FIGURES)


def test_an_agency_that_is_not_a_partner_cannot_file_a_return(cycle):
    outsider = PractitionerFactory()
    with pytest.raises(PermissionDenied):
        return_create(cycle=cycle, agency=outsider.agency, user=outsider, counts=FIGURES)


def test_the_board_does_not_file_an_agencys_return(cycle, author):
    with pytest.raises(PermissionDenied):
        return_create(cycle=cycle, agency=author.agency, user=cycle.opened_by, counts=FIGURES)


def test_no_return_is_started_in_a_signed_off_cycle(cycle, author):
    cycle.signed_off_at, cycle.signed_off_by = timezone.now(), cycle.opened_by
    cycle.save()
    with pytest.raises(ValidationError, match="signed off"):
        create(cycle, author)


def test_a_draft_return_is_submitted_with_who_and_when(cycle, author):
    found = create(cycle, author)
    return_submit(assurance_return=found, user=author)
    found.refresh_from_db()
    assert found.submitted_by == author
    assert found.submitted_at is not None


def test_an_incomplete_return_cannot_be_submitted(cycle, author):
    found = create(cycle, author, counts={**FIGURES, "supervision_held": None})
    with pytest.raises(ValidationError) as excinfo:
        return_submit(assurance_return=found, user=author)
    assert excinfo.value.messages == ["Enter the figure for supervision sessions held"]
    found.refresh_from_db()
    assert not found.is_submitted


def test_a_return_without_training_cannot_be_submitted(cycle, author):
    found = create(cycle, author, training={})
    with pytest.raises(ValidationError, match="training group"):
        return_submit(assurance_return=found, user=author)


def test_a_submitted_return_can_no_longer_be_changed_by_its_agency(cycle, author):
    found = create(cycle, author)
    return_submit(assurance_return=found, user=author)
    with pytest.raises(ValidationError, match="submitted"):
        return_update(assurance_return=found, user=author, counts={**FIGURES, "leavers": 1})
    found.refresh_from_db()
    assert found.leavers == FIGURES["leavers"]


def test_the_board_reopens_a_submitted_return_as_a_draft(cycle, author):
    found = ReturnFactory(cycle=cycle, agency=author.agency, submitted=True)
    return_reopen(assurance_return=found, user=cycle.opened_by)
    found.refresh_from_db()
    assert not found.is_submitted


def test_an_agency_cannot_reopen_its_own_return(cycle, author):
    found = ReturnFactory(cycle=cycle, agency=author.agency, submitted=True)
    with pytest.raises(PermissionDenied):
        return_reopen(assurance_return=found, user=author)


def test_a_board_officer_of_another_region_cannot_reopen_a_return(cycle, author):
    found = ReturnFactory(cycle=cycle, agency=author.agency, submitted=True)
    with pytest.raises(PermissionDenied):
        return_reopen(assurance_return=found, user=board_officer())


def test_training_lines_left_blank_are_removed(cycle, author):
    found = create(cycle, author)
    return_update(assurance_return=found, user=author, counts=FIGURES, training={"group_b": (None, None)})
    assert not TrainingCompliance.objects.exists()


def test_missing_returns_are_made_as_blank_drafts_once(cycle):
    ReturnFactory(cycle=cycle)
    partner_practitioner(cycle)
    assert returns_expected_create(cycle=cycle) == 1
    assert returns_expected_create(cycle=cycle) == 0
    assert AssuranceReturn.objects.filter(cycle=cycle, updated_by__isnull=True).count() == 1


def test_a_training_factory_line_counts_for_submission(cycle, author):
    found = ReturnFactory(cycle=cycle, agency=author.agency)
    TrainingFactory(assurance_return=found)
    return_submit(assurance_return=found, user=author)
    found.refresh_from_db()
    assert found.is_submitted


LATER = datetime.date(2025, 7, 31)  # two months after the factories' cycle's due date


def extend(found, user, due_on=LATER, reason="The agency's lead is on leave until July"):
    return return_extend(assurance_return=found, due_on=due_on, reason=reason, user=user)


def test_the_board_extends_one_agencys_return_and_the_history_keeps_the_reason(cycle, author):
    found = ReturnFactory(cycle=cycle, agency=author.agency)
    extend(found, cycle.opened_by)
    found.refresh_from_db()
    revision = Revision.objects.get(subject="return", subject_id=found.pk)
    assert found.due_on == LATER
    assert revision.summary == (
        "Due date extended from 31/05/2025 to 31/07/2025: The agency's lead is on leave until July"
    )
    assert (revision.changed_by, revision.snapshot["due_on"]) == (cycle.opened_by, "2025-07-31")


def test_an_extension_leaves_other_agencies_due_dates_alone(cycle, author):
    found, other = ReturnFactory(cycle=cycle, agency=author.agency), ReturnFactory(cycle=cycle)
    extend(found, cycle.opened_by)
    other.refresh_from_db()
    assert other.due_on == cycle.contributions_due


def test_an_extension_starts_the_chase_afresh(cycle, author):
    found = ReturnFactory(cycle=cycle, agency=author.agency, chased_at=timezone.now(), escalated_at=timezone.now())
    extend(found, cycle.opened_by)
    found.refresh_from_db()
    assert (found.chased_at, found.escalated_at) == (None, None)


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        (datetime.date(2025, 5, 31), "The new due date must be after the current one (31/05/2025)"),
        (datetime.date(2025, 1, 1), "The new due date must be after the current one (31/05/2025)"),
        (datetime.date(9999, 12, 31), "The new due date must be no later than 31/05/2026"),
    ],
)
def test_an_extension_to_a_date_not_later_or_far_too_late_is_refused(cycle, author, due_on, message):
    found = ReturnFactory(cycle=cycle, agency=author.agency)
    with pytest.raises(ValidationError) as excinfo:
        extend(found, cycle.opened_by, due_on=due_on)
    assert message in excinfo.value.message_dict["due_on"][0]
    found.refresh_from_db()
    assert found.due_on == cycle.contributions_due


@pytest.mark.parametrize(("reason", "message"), [("  ", "Enter the reason"), ("x" * 201, "200 characters or fewer")])
def test_an_extension_needs_a_short_reason(cycle, author, reason, message):
    found = ReturnFactory(cycle=cycle, agency=author.agency)
    with pytest.raises(ValidationError) as excinfo:
        extend(found, cycle.opened_by, reason=reason)
    assert message in excinfo.value.message_dict["reason"][0]
    assert not Revision.objects.exists()


def test_an_agency_cannot_extend_its_own_return(cycle, author):
    found = ReturnFactory(cycle=cycle, agency=author.agency)
    with pytest.raises(PermissionDenied):
        extend(found, author)


def test_a_submitted_return_gets_no_extension(cycle, author):
    found = ReturnFactory(cycle=cycle, agency=author.agency, submitted=True)
    with pytest.raises(ValidationError, match="already submitted"):
        extend(found, cycle.opened_by)


def test_no_extension_in_a_signed_off_cycle(cycle, author):
    found = ReturnFactory(cycle=cycle, agency=author.agency)
    cycle.signed_off_at, cycle.signed_off_by = timezone.now(), cycle.opened_by
    cycle.save()
    with pytest.raises(ValidationError, match="signed off"):
        extend(found, cycle.opened_by)


def test_a_draft_is_not_locked(cycle, author):
    assert return_locked(cycle, ReturnFactory(cycle=cycle, agency=author.agency)) == ""


def test_a_submitted_return_is_locked_with_the_date_and_who_can_reopen_it(cycle, author):
    found = ReturnFactory(cycle=cycle, agency=author.agency, submitted=True)
    assert return_locked(cycle, found) == (
        "This return was submitted on 01/05/2025. Ask the board to reopen it if a figure needs correcting."
    )


def test_a_signed_off_cycle_locks_a_new_return(cycle):
    cycle.signed_off_at, cycle.signed_off_by = timezone.now(), cycle.opened_by
    assert "signed off" in return_locked(cycle)
