"""The open recommendations page: each row's age counted from when the review made it, and every agency named in
the reader's language (table, owner list and filter alike)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cylch.reviews.definitions import Milestone
from cylch.reviews.templatetags.reviews import age_since
from tests.factories import AgencyFactory
from tests.reviews.factories import board_officer, recommendation_make, review_make

pytestmark = pytest.mark.django_db


def test_a_recommendation_made_when_a_2019_review_completed_is_years_old(client):
    board = board_officer()
    review = review_make(board, incident_date=datetime.date(2018, 10, 1), referral_on=datetime.date(2018, 11, 1))
    review.stages.filter(milestone=Milestone.COMPLETION).update(actual_on=datetime.date(2019, 3, 4))
    recommendation_make(board, review)
    client.force_login(board)
    page = client.get(reverse("reviews:recommendations")).content.decode()
    months = (timezone.localdate().year - 2019) * 12 + timezone.localdate().month - 3
    assert f"{months} months" in page or f"{months - 1} months" in page
    assert "minute" not in page


def test_a_recommendation_of_a_review_not_yet_completed_is_aged_from_its_own_date():
    assert age_since(datetime.date(2026, 12, 1), datetime.date(2026, 12, 7)) == "6 days"


def test_an_age_of_two_months_or_more_is_given_in_whole_months():
    assert age_since(datetime.date(2026, 9, 10), datetime.date(2026, 12, 7)) == "2 months"
    assert age_since(datetime.date(2026, 9, 7), datetime.date(2026, 12, 7)) == "3 months"


def test_the_welsh_page_names_the_owner_in_welsh_in_the_list_and_the_filter(client):
    board = board_officer()
    review = review_make(board)
    owner = AgencyFactory(local_authority=review.local_authority, name="Valley School", name_cy="Ysgol y Cwm")
    recommendation_make(board, review, owner=owner)
    client.force_login(board)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = client.get(reverse("reviews:recommendations")).content.decode()
    assert "Valley School" not in page
    assert "<li>Ysgol y Cwm: 1</li>" in page
    assert f'<option value="{owner.pk}">Ysgol y Cwm</option>' in page
