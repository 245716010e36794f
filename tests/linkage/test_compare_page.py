"""The compare page of a match review shows each value as people read it (#13 item 8): dates of birth in British
order, sex in words, NHS numbers spaced, and every column of the side-by-side table with a header."""

from __future__ import annotations

import datetime

import pytest

from cylch.accounts.models import RoleCode
from cylch.linkage.models import MatchReview
from tests.factories import PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client):
    existing = PersonFactory(
        given_name="Cerys", family_name="Llewellyn", date_of_birth=datetime.date(2016, 5, 9), sex="not_known"
    )
    incoming = PersonFactory(given_name="Ceri", family_name="Llewelyn", date_of_birth=datetime.date(2016, 5, 9))
    review = MatchReview.objects.create(
        person=incoming, candidate=existing, probability=0.62, match_weight=1.2, evidence=[], model_version="v5"
    )
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR_MANAGER]))

    def get(language: str = "en") -> str:
        client.cookies["cylch_language"] = language
        response = client.get(f"/linkage/reviews/{review.pk}/")
        assert response.status_code == 200
        return response.content.decode()

    return get


def _side_by_side(html: str) -> str:
    return html.split("Side by side")[1].split("</table>")[0]


def test_dates_of_birth_are_in_day_month_year_order(page):
    table = _side_by_side(page())
    assert "9 May 2016" in table
    assert "May 9, 2016" not in table


def test_sex_is_shown_in_words_not_as_a_code(page):
    table = _side_by_side(page())
    assert "Not known" in table
    assert "not_known" not in table
    assert ">female<" not in table


def test_no_column_of_the_side_by_side_table_has_an_empty_header(page):
    assert '<th scope="col" class="govuk-table__header"></th>' not in page()


def test_the_month_is_in_welsh_on_the_welsh_page(page):
    assert "9 Mai 2016" in page("cy")
