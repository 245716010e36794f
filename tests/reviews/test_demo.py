"""The demo's reviews: a few dozen past ones (most late), two under way, actions in every state."""

from __future__ import annotations

import datetime

import pytest

from cylch.reviews.demo import demo_load
from cylch.reviews.models import Action, ActionStatus, Review, ReviewDocument
from cylch.reviews.selectors import reviews_timeliness
from tests.factories import AgencyFactory
from tests.reviews.factories import board_officer

pytestmark = pytest.mark.django_db
REFERENCE = datetime.date(2026, 11, 2)


@pytest.fixture
def loaded():
    board = board_officer(username="board.officer")
    for _ in range(5):
        AgencyFactory(local_authority=board.agency.local_authority)
    counts = demo_load(reference_date=REFERENCE)
    return board, counts


def test_the_demo_has_past_reviews_most_late_and_two_open(loaded):
    board, counts = loaded
    assert counts["reviews"] == Review.objects.count() == 32
    rows = reviews_timeliness(user=board, today=REFERENCE)
    assert len([row for row in rows if row.is_open]) == 2
    completed = [row for row in rows if row.referral_to_completion is not None]
    late = [row for row in completed if row.referral_to_completion > 6]
    assert len(late) > len(completed) / 2


def test_the_demo_has_actions_in_every_state(loaded):
    assert set(Action.objects.values_list("status", flat=True)) == set(ActionStatus.values)


def test_completed_reviews_have_a_searchable_report(loaded):
    assert ReviewDocument.objects.filter(text__icontains="Recommendation").exists()


def test_loading_again_adds_nothing(loaded):
    assert demo_load(reference_date=REFERENCE) == {"reviews": 0}
    assert Review.objects.count() == 32
