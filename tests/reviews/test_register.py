"""Registering a review and recording its stages: the clocks from day one, and bad input refused with nothing
stored."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cylch.reviews.models import Review, ReviewStage
from cylch.reviews.selectors import stage_clocks, timeliness
from cylch.reviews.services import review_update, stages_record
from tests.factories import PersonFactory, PersonNameFactory, PractitionerFactory
from tests.reviews.factories import board_officer, review_make

pytestmark = pytest.mark.django_db


def _errors(excinfo):
    return excinfo.value.message_dict


def test_registering_copies_the_types_stages_with_their_clocks():
    review = review_make(
        board_officer(),
        review_type="rapid_review",
        incident_date=datetime.date(2024, 6, 7),
        referral_on=datetime.date(2024, 6, 12),
    )
    assert [s.code for s in review.stages.all()] == ["notification", "rapid_review"]
    notification, rapid = stage_clocks(review, today=datetime.date(2024, 6, 7))
    assert notification.due_on == datetime.date(2024, 6, 14)
    # the rapid review counts 15 working days from the notification, done on 12 June (the referral date given)
    assert rapid.due_on == datetime.date(2024, 7, 3)


def test_a_stage_counts_from_its_anchors_due_date_until_the_anchor_happens():
    review = review_make(
        board_officer(), review_type="rapid_review", incident_date=datetime.date(2024, 6, 7), referral_on=None
    )
    _notification, rapid = stage_clocks(review, today=datetime.date(2024, 6, 7))
    assert rapid.due_on == datetime.date(2024, 7, 5)  # 15 working days from 14 June


def test_a_stage_done_on_its_due_date_is_on_time_and_a_day_later_is_late():
    board = board_officer()
    review = review_make(board, review_type="rapid_review", incident_date=datetime.date(2024, 6, 7), referral_on=None)
    stages_record(review=review, user=board, dates={"notification": (None, datetime.date(2024, 6, 14))})
    assert stage_clocks(review)[0].days_late == 0
    stages_record(review=review, user=board, dates={"notification": (None, datetime.date(2024, 6, 15))})
    assert stage_clocks(review)[0].days_late == 1


def test_a_stage_not_done_is_late_from_the_day_after_it_was_due():
    review = review_make(
        board_officer(), review_type="rapid_review", incident_date=datetime.date(2024, 6, 7), referral_on=None
    )
    assert stage_clocks(review, today=datetime.date(2024, 6, 14))[0].late is False
    assert stage_clocks(review, today=datetime.date(2024, 6, 17))[0].days_late == 3


def test_the_four_durations_are_measured_in_months():
    board = board_officer()
    review = review_make(board, incident_date=datetime.date(2023, 1, 1), referral_on=datetime.date(2023, 5, 1))
    stages_record(
        review=review,
        user=board,
        dates={"learning_event": (None, datetime.date(2024, 7, 1)), "sign_off": (None, datetime.date(2025, 5, 1))},
    )
    times = timeliness(review)
    assert times.incident_to_referral == 3.9
    assert times.referral_to_completion == 24.0
    assert times.incident_to_learning_event == 18.0
    assert times.incident_to_completion == 28.0


def test_only_a_board_officer_registers_a_review():
    with pytest.raises(PermissionDenied):
        review_make(PractitionerFactory())
    assert not Review.objects.exists()


@pytest.mark.parametrize("code", ["ctm 2024 03", "CTM_2024", "C", "<script>", "CTM-2024-03-04-05-06"])
def test_a_code_that_is_not_a_code_is_refused(code):
    with pytest.raises(ValidationError) as excinfo:
        review_make(board_officer(), code=code)
    assert "code" in _errors(excinfo)
    assert not Review.objects.exists()


def test_a_code_is_stored_in_capitals():
    assert review_make(board_officer(), code="ctm-2024-03").code == "CTM-2024-03"


def test_a_registered_persons_name_in_the_title_is_refused():
    PersonFactory(given_name="Tegwen", family_name="Prydderch")
    with pytest.raises(ValidationError) as excinfo:
        review_make(board_officer(), title="Review of Tegwen's care")
    assert "title" in _errors(excinfo)
    assert not Review.objects.exists()
    assert not ReviewStage.objects.exists()


def test_a_registered_family_name_in_the_code_is_refused():
    PersonFactory(given_name="Tegwen", family_name="Prydderch")
    with pytest.raises(ValidationError) as excinfo:
        review_make(board_officer(), code="PRYDDERCH-2024")
    assert "code" in _errors(excinfo)


def test_a_former_name_counts_too():
    PersonNameFactory(given_name="Gwenllian", family_name="Rhydderch")
    with pytest.raises(ValidationError):
        review_make(board_officer(), title="Neglect in the Rhydderch household")


def test_a_title_without_names_is_accepted_whatever_the_register_holds():
    PersonFactory(given_name="Tegwen", family_name="Prydderch")
    assert review_make(board_officer(), title="Serious neglect of an infant").pk


def test_an_incident_in_the_future_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        review_make(board_officer(), incident_date=datetime.date(2100, 1, 1), referral_on=None)
    assert "incident_date" in _errors(excinfo)


def test_a_referral_before_the_incident_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        review_make(board_officer(), incident_date=datetime.date(2024, 3, 1), referral_on=datetime.date(2024, 2, 1))
    assert "referral_on" in _errors(excinfo)
    assert not Review.objects.exists()


def test_a_second_review_with_the_same_code_is_refused():
    board = board_officer()
    review_make(board, code="CTM-2024-03")
    with pytest.raises(ValidationError) as excinfo:
        review_make(board, code="CTM-2024-03")
    assert "code" in _errors(excinfo)


def test_a_learning_event_before_the_incident_is_refused_and_nothing_stored():
    board = board_officer()
    review = review_make(board)
    with pytest.raises(ValidationError) as excinfo:
        stages_record(
            review=review,
            user=board,
            dates={"draft": (None, datetime.date(2024, 3, 1)), "learning_event": (None, datetime.date(2023, 12, 1))},
        )
    assert "actual_learning_event" in _errors(excinfo)
    assert review.stages.get(code="draft").actual_on is None


def test_completion_before_the_referral_is_refused():
    board = board_officer()
    review = review_make(board, referral_on=datetime.date(2024, 3, 1))
    with pytest.raises(ValidationError) as excinfo:
        stages_record(review=review, user=board, dates={"sign_off": (None, datetime.date(2024, 2, 1))})
    assert "actual_sign_off" in _errors(excinfo)


def test_a_stage_before_the_stage_it_counts_from_is_refused():
    board = board_officer()
    review = review_make(board)
    with pytest.raises(ValidationError) as excinfo:
        stages_record(
            review=review,
            user=board,
            dates={
                "chair_decision": (None, datetime.date(2024, 3, 1)),
                "wg_notified": (None, datetime.date(2024, 2, 20)),
            },
        )
    assert "actual_wg_notified" in _errors(excinfo)


def test_a_stage_cannot_have_happened_in_the_future():
    board = board_officer()
    review = review_make(board)
    with pytest.raises(ValidationError) as excinfo:
        stages_record(review=review, user=board, dates={"draft": (None, datetime.date(2100, 1, 1))})
    assert "actual_draft" in _errors(excinfo)


def _quality(**overrides):
    values = {
        "ethnicity": "",
        "family_details": "",
        "review_period_start": datetime.date(2022, 1, 1),
        "review_period_end": datetime.date(2023, 6, 1),
        "review_period_rationale": "",
        "family_views": "",
        "family_not_involved_reason": "",
        "practitioner_involvement": "",
        "child_story": "",
        "analysis": "",
    }
    return values | overrides


def test_a_review_period_over_12_months_needs_a_rationale():
    board = board_officer()
    review = review_make(board)
    with pytest.raises(ValidationError) as excinfo:
        review_update(review=review, user=board, title=review.title, **_quality())
    assert "review_period_rationale" in _errors(excinfo)
    review.refresh_from_db()
    assert review.review_period_start is None


def test_a_review_period_of_exactly_12_months_needs_none():
    board = board_officer()
    review = review_make(board)
    review_update(
        review=review, user=board, title=review.title, **_quality(review_period_end=datetime.date(2023, 1, 1))
    )
    assert review.review_period_end == datetime.date(2023, 1, 1)


def test_a_review_period_ending_before_it_starts_is_refused():
    board = board_officer()
    review = review_make(board)
    with pytest.raises(ValidationError) as excinfo:
        review_update(
            review=review, user=board, title=review.title, **_quality(review_period_end=datetime.date(2021, 1, 1))
        )
    assert "review_period_end" in _errors(excinfo)


def test_the_board_links_the_childs_record_by_cylch_id():
    board = board_officer()
    review = review_make(board)
    child = PersonFactory()
    review_update(
        review=review,
        user=board,
        title=review.title,
        child_cylch_id=child.cylch_id.lower(),
        **_quality(review_period_rationale="Earlier neglect"),
    )
    assert review.person == child


def test_an_unknown_cylch_id_is_refused():
    board = board_officer()
    review = review_make(board)
    with pytest.raises(ValidationError) as excinfo:
        review_update(
            review=review,
            user=board,
            title=review.title,
            child_cylch_id="T000000019",
            **_quality(review_period_rationale="x"),
        )
    assert "child_cylch_id" in _errors(excinfo)


def test_a_common_word_written_in_lower_case_is_not_taken_for_a_name():
    PersonFactory(given_name="Hope", family_name="Young")
    assert review_make(board_officer(), title="Self-harm by a young person with little hope").pk


def test_the_refusal_names_the_word_to_change():
    PersonFactory(given_name="Tegwen", family_name="Prydderch")
    with pytest.raises(ValidationError) as excinfo:
        review_make(board_officer(), title="The Prydderch family")
    assert "“Prydderch”" in _errors(excinfo)["title"][0]
