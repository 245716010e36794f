"""The front-door figures page (#13 item 5): a date-range picker, and percentages that say what they are out of."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from cylch.concerns.models import Concern, InformationRequest
from tests.factories import AgencyFactory, ConcernFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def _received(school_lead, *, days_ago: int, decided_late_by: datetime.timedelta | None = None):
    received = timezone.now() - datetime.timedelta(days=days_ago)
    due = received + 24 * HOUR
    concern = ConcernFactory(referrer=school_lead, received_at=received, decision_due_at=due)
    if decided_late_by is not None:
        Concern.objects.filter(pk=concern.pk).update(decided_at=due + decided_late_by)
    return concern


def _dates(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


@pytest.fixture
def figures_page(client, front_door):
    client.force_login(front_door)

    def get(**query):
        response = client.get("/front-door/metrics/", query)
        assert response.status_code == 200
        return response

    return get


def test_the_percentage_decided_in_time_says_it_is_out_of_those_decided(figures_page, school_lead):
    _received(school_lead, days_ago=3, decided_late_by=-HOUR)
    _received(school_lead, days_ago=3, decided_late_by=HOUR)
    _received(school_lead, days_ago=3)
    page = figures_page().content.decode()
    assert "50.0%: 1 of the 2 concerns decided" in page
    assert "1 concern, 1 past its deadline" in page


def test_the_dates_chosen_narrow_the_figures(figures_page, school_lead):
    _received(school_lead, days_ago=30)
    _received(school_lead, days_ago=2)
    today = timezone.localdate()
    recent = figures_page(**_dates("since", today - datetime.timedelta(days=10)), **_dates("until", today))
    older = figures_page(
        **_dates("since", today - datetime.timedelta(days=40)), **_dates("until", today - datetime.timedelta(days=20))
    )
    assert (recent.context["m"].total, older.context["m"].total) == (1, 1)
    assert recent.context["m"].since == today - datetime.timedelta(days=10)


def test_an_end_before_the_start_is_refused_with_a_message_naming_the_field(figures_page):
    today = timezone.localdate()
    response = figures_page(**_dates("since", today), **_dates("until", today - datetime.timedelta(days=1)))
    assert "The end date must be the same as or after the start date" in response.content.decode()
    assert response.context["m"].until == today  # the default period meanwhile


def test_an_impossible_date_is_refused(figures_page):
    response = figures_page(since_day="31", since_month="2", since_year="2026")
    assert "Start date must be a real date" in response.content.decode()


def test_the_csv_gives_the_period_and_what_each_percentage_is_out_of(figures_page, school_lead):
    _received(school_lead, days_ago=3, decided_late_by=HOUR)
    today = timezone.localdate()
    since = today - datetime.timedelta(days=5)
    response = figures_page(**_dates("since", since), **_dates("until", today), format="csv")
    rows = {(row[0], row[1]): row[2] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert rows[("period", "from")] == since.isoformat()
    assert rows[("decided", "all")] == "1"
    assert rows[("decided_within_one_working_day_percent", "of_decided")] == "0.0"


def test_the_csv_link_keeps_the_dates_chosen(figures_page):
    today = timezone.localdate()
    page = figures_page(**_dates("since", today - datetime.timedelta(days=5))).content.decode()
    assert f"since_day={(today - datetime.timedelta(days=5)).day}" in page
    assert "format=csv" in page


def test_the_figures_page_in_welsh_gives_the_period_in_welsh(client, front_door):
    client.force_login(front_door)
    client.cookies["cylch_language"] = "cy"
    page = client.get(
        "/front-door/metrics/",
        {**_dates("since", datetime.date(2026, 3, 1)), **_dates("until", datetime.date(2026, 5, 31))},
    ).content.decode()
    assert "1 Mawrth 2026" in page
    assert "31 Mai 2026" in page


def test_the_page_shows_information_requests_answered_late_by_agency(figures_page, school_lead):
    agency = AgencyFactory(name="Ysgol y Cwm")
    InformationRequest.objects.create(
        concern=ConcernFactory(referrer=school_lead),
        agency=agency,
        question="Attendance?",
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        requested_by=school_lead,
        requested_at=timezone.now() - datetime.timedelta(days=3),
    )
    page = figures_page().content.decode()
    assert "1 of the 1 request due (1 made in the period)" in page
    assert "Ysgol y Cwm" in page.split('data-testid="requests-by-agency"')[1]


def test_the_csv_gives_information_requests_for_each_agency(figures_page, school_lead):
    InformationRequest.objects.create(
        concern=ConcernFactory(referrer=school_lead),
        agency=AgencyFactory(name="Ysgol y Cwm"),
        question="Attendance?",
        due_on=timezone.localdate() + datetime.timedelta(days=2),
        requested_by=school_lead,
        requested_at=timezone.now() - datetime.timedelta(hours=2),
    )
    response = figures_page(format="csv")
    rows = {(row[0], row[1]): row[2] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert rows[("information_requests", "made")] == "1"
    assert rows[("information_requests_due", "Ysgol y Cwm")] == "0"
