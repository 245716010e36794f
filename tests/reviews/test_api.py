"""GET /api/v1/reviews and /api/v1/reviews/{code}/actions: the board's roles and the owning agencies only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cylch.accounts.scopes import CONCERNS_READ, REVIEWS_READ
from tests.factories import AgencyFactory, PractitionerFactory, api_key
from tests.reviews.factories import action_make, board_officer, recommendation_make, review_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    board = board_officer()
    review = review_make(board, code="CTM-2024-03")
    owner = AgencyFactory(local_authority=review.local_authority)
    other = AgencyFactory(local_authority=review.local_authority)
    mine = action_make(board, recommendation_make(board, review, owner=owner))
    theirs = action_make(board, recommendation_make(board, review, owner=other))
    return board, review, owner, mine, theirs


def _client(user, scopes=(REVIEWS_READ,)):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user, scopes=list(scopes))}")
    return client


def test_the_board_lists_its_regions_reviews(plan):
    board, _review, *_ = plan
    response = _client(board).get("/api/v1/reviews")
    assert response.status_code == 200
    [row] = response.json()
    assert row["code"] == "CTM-2024-03"
    assert row["referral_on"] == "2024-02-01"
    assert "person" not in row
    assert response["X-Total-Count"] == "1"


def test_the_board_reads_every_action(plan):
    board, _review, _owner, mine, theirs = plan
    rows = _client(board).get("/api/v1/reviews/CTM-2024-03/actions").json()
    assert {row["id"] for row in rows} == {mine.pk, theirs.pk}


def test_an_owning_agency_reads_only_its_own_actions(plan):
    _board, _review, owner, mine, _theirs = plan
    client = _client(PractitionerFactory(agency=owner))
    assert [row["code"] for row in client.get("/api/v1/reviews").json()] == ["CTM-2024-03"]
    assert [row["id"] for row in client.get("/api/v1/reviews/ctm-2024-03/actions").json()] == [mine.pk]


def test_a_practitioner_of_an_uninvolved_agency_sees_nothing(plan):
    client = _client(PractitionerFactory())
    assert client.get("/api/v1/reviews").json() == []
    assert client.get("/api/v1/reviews/CTM-2024-03/actions").status_code == 404


def test_an_unknown_review_is_404_for_the_board(plan):
    board, *_ = plan
    assert _client(board).get("/api/v1/reviews/NOPE-2024-01/actions").status_code == 404


def test_a_token_without_the_scope_is_refused(plan):
    board, *_ = plan
    assert _client(board, scopes=[CONCERNS_READ]).get("/api/v1/reviews").status_code == 403


def test_anonymous_is_refused():
    assert APIClient().get("/api/v1/reviews").status_code in {401, 403}
