"""The home page's part: an agency's open review actions, the board's reviews under way; counts only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import PractitionerFactory
from tests.reviews.factories import action_make, board_officer, recommendation_make, review_make

pytestmark = pytest.mark.django_db


def test_the_owning_agency_sees_how_many_actions_wait_and_how_many_are_overdue(client):
    board = board_officer()
    recommendation = recommendation_make(board, review_make(board))
    action_make(board, recommendation, due_on=datetime.date(2025, 1, 31))
    action_make(board, recommendation, due_on=datetime.date(2100, 1, 31))
    client.force_login(PractitionerFactory(agency=recommendation.owner_agency))
    page = client.get(reverse("home:home")).content.decode()
    assert "Your agency owns 2 open actions from practice reviews (1 overdue)" in page


def test_another_agency_is_not_told_of_them(client):
    board = board_officer()
    action_make(board, recommendation_make(board, review_make(board)))
    client.force_login(PractitionerFactory())
    assert "practice reviews" not in client.get(reverse("home:home")).content.decode()


def test_the_board_sees_its_reviews_under_way(client):
    board = board_officer()
    review_make(board, incident_date=datetime.date(2023, 1, 5), referral_on=datetime.date(2023, 2, 1))
    client.force_login(board)
    page = client.get(reverse("home:home")).content.decode()
    assert "1 review is under way; 1 is behind its timescales." in page
