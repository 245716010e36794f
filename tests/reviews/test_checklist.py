"""The quality checklist: one point for each of DOMAIN's ten marks of a good review, each gap named."""

from __future__ import annotations

import datetime

import pytest

from cylch.reviews.selectors import quality_checklist
from cylch.reviews.services import review_update, stages_record
from tests.reviews.factories import board_officer, recommendation_make, review_make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2024, 3, 1)


def _missing(checklist):
    return [str(m) for item in checklist.items for m in item.missing]


def test_a_bare_referral_scores_low_and_names_what_is_missing():
    review = review_make(board_officer(), referral_on=None)
    checklist = quality_checklist(review, today=TODAY)
    assert (checklist.score, checklist.total) == (0, 10)
    missing = _missing(checklist)
    assert "No date for: Referral to the board's business unit" in missing
    assert "The child's ethnicity is not recorded" in missing
    assert "The review period is not recorded" in missing
    assert "No findings are recorded" in missing
    assert "No recommendations are recorded" in missing


def test_a_complete_review_scores_full_marks():
    board = board_officer()
    review = review_make(board, incident_date=datetime.date(2024, 1, 10), referral_on=datetime.date(2024, 1, 20))
    stages_record(
        review=review,
        user=board,
        dates={"case_review_group": (None, datetime.date(2024, 2, 15))},
        today=datetime.date(2024, 2, 20),
    )
    review_update(
        review=review,
        user=board,
        title=review.title,
        ethnicity="WBRI",
        family_details="Mother, two older half-siblings",
        review_period_start=datetime.date(2023, 1, 10),
        review_period_end=datetime.date(2024, 1, 10),
        review_period_rationale="",
        family_views="Mother spoke to the reviewer",
        family_not_involved_reason="",
        practitioner_involvement="Learning event with 14 practitioners",
        child_story="Her nursery said she was always hungry.",
        analysis="Agencies each held a piece: nobody put them together because…",
    )
    recommendation_make(board, review)
    checklist = quality_checklist(review, today=datetime.date(2024, 2, 20))  # before the chair's decision is due
    assert checklist.score == 10, _missing(checklist)


def test_a_stage_past_its_due_date_without_a_date_is_a_missing_key_date():
    board = board_officer()
    review = review_make(board, incident_date=datetime.date(2024, 1, 10), referral_on=datetime.date(2024, 1, 20))
    # the case review group was due 20 working days after the referral (16 February 2024)
    assert quality_checklist(review, today=datetime.date(2024, 2, 16)).items[0].passed
    late = quality_checklist(review, today=datetime.date(2024, 2, 19)).items[0]
    assert not late.passed
    assert [str(m) for m in late.missing] == ["No date for: Case review group considers the referral"]


def test_a_recommendation_without_a_measure_is_named():
    board = board_officer()
    review = review_make(board)
    recommendation_make(board, review, measure="")
    [item] = [i for i in quality_checklist(review).items if "measure" in str(i.label)]
    assert not item.passed
    assert [str(m) for m in item.missing] == ["Recommendation 1 has no measure"]


def test_the_familys_views_or_the_reason_they_are_absent_both_count():
    board = board_officer()
    review = review_make(board)
    review.family_not_involved_reason = "The family declined after two invitations"
    [item] = [i for i in quality_checklist(review).items if "Family" in str(i.label)]
    assert item.passed
