"""The returns pages: an agency files and submits its own return, sees no other agency's; the board sees them all
side by side with the late ones marked; hostile input is a 400 naming the box, never a 500; signed-off is read-only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cylch.assurance.models import AssuranceReturn
from tests.assurance.factories import CycleFactory, partner_practitioner
from tests.assurance.factories_returns import FIGURES, ReturnFactory, TrainingFactory
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

GOOD = {
    **{name: str(value) for name, value in FIGURES.items()},
    "compliance_group_b": "92.5",
    "target_group_b": "95",
    "gaps": "Two schools have no deputy designated lead.",
    "period_start_day": "1",
    "period_start_month": "4",
    "period_start_year": "2024",
    "period_end_day": "31",
    "period_end_month": "3",
    "period_end_year": "2025",
}


@pytest.fixture
def cycle():
    return CycleFactory()


@pytest.fixture
def author(cycle):
    return partner_practitioner(cycle)


def signed_in(client, user):
    client.force_login(user)
    return client


def post_new(client, cycle, **changes):
    return client.post(reverse("assurance:return-new", args=[cycle.pk]), {**GOOD, **changes})


def test_an_agency_starts_its_return_from_the_page(client, cycle, author):
    response = post_new(signed_in(client, author), cycle)
    found = AssuranceReturn.objects.get()
    assert response.status_code == 302
    assert (found.agency, found.supervision_held, found.period_start) == (author.agency, 96, cycle.period_start)


def test_the_new_return_page_offers_the_cycles_period(client, cycle, author):
    response = signed_in(client, author).get(reverse("assurance:return-new", args=[cycle.pk]))
    assert response.status_code == 200
    assert f'value="{cycle.period_start.year}"' in response.content.decode()


@pytest.mark.parametrize(
    ("box", "value", "message"),
    [
        ("compliance_group_b", "101", "Staff trained in Group B must be a percentage from 0 to 100"),
        ("compliance_group_b", "-3", "Staff trained in Group B must be a percentage from 0 to 100"),
        ("vacancies", "-1", "Vacancies in safeguarding roles cannot be a negative number"),
        ("designated_lead_posts_filled", "9", "Designated safeguarding lead posts filled cannot be more than"),
        ("supervision_held", "twelve", "Supervision sessions held must be a whole number written in figures"),
        ("leavers", "1\x002", "Leavers from safeguarding roles in the period must be a whole number"),
        ("leavers", "9" * 20, "Leavers from safeguarding roles in the period must be a whole number"),
        ("safeguarding_posts", "12345678", "Posts in safeguarding roles must be 100,000 or fewer"),
        ("target_group_b", "NaN", "Group B: target (%) must be a number written in figures"),
        ("gaps", "gap\x00", "Named gaps must not contain control characters"),
        ("period_start_day", "2" * 20, "The start of the period must be a real date"),
        ("period_end_year", "2026", "The period must end within the cycle"),
    ],
)
def test_hostile_input_is_refused_by_name_and_nothing_stored(client, cycle, author, box, value, message):
    response = post_new(signed_in(client, author), cycle, **{box: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AssuranceReturn.objects.exists()


def test_an_agency_does_not_see_another_agencys_return(client, cycle, author):
    other = ReturnFactory(cycle=cycle)
    response = signed_in(client, author).get(reverse("assurance:return", args=[other.pk]))
    assert response.status_code == 404


def test_an_agency_sees_its_own_return(client, cycle, author):
    own = ReturnFactory(cycle=cycle, agency=author.agency)
    response = signed_in(client, author).get(reverse("assurance:return", args=[own.pk]))
    assert response.status_code == 200


def test_an_agency_cannot_edit_another_agencys_return(client, cycle, author):
    other = ReturnFactory(cycle=cycle)
    response = signed_in(client, author).post(reverse("assurance:return-edit", args=[other.pk]), GOOD)
    assert response.status_code == 404


def test_the_board_cannot_edit_an_agencys_return(client, cycle):
    found = ReturnFactory(cycle=cycle)
    response = signed_in(client, cycle.opened_by).post(reverse("assurance:return-edit", args=[found.pk]), GOOD)
    assert response.status_code == 403


def test_the_agency_submits_its_return(client, cycle, author):
    own = ReturnFactory(cycle=cycle, agency=author.agency)
    TrainingFactory(assurance_return=own)
    signed_in(client, author).post(reverse("assurance:return-submit", args=[own.pk]))
    own.refresh_from_db()
    assert own.is_submitted


def test_submitting_an_incomplete_return_says_what_is_missing(client, cycle, author):
    own = ReturnFactory(cycle=cycle, agency=author.agency, leavers=None)
    TrainingFactory(assurance_return=own)
    response = signed_in(client, author).post(reverse("assurance:return-submit", args=[own.pk]), follow=True)
    assert "Enter leavers from safeguarding roles in the period" in response.content.decode()
    own.refresh_from_db()
    assert not own.is_submitted


def test_a_return_in_a_signed_off_cycle_cannot_be_changed(client, cycle, author):
    own = ReturnFactory(cycle=cycle, agency=author.agency)
    cycle.signed_off_at, cycle.signed_off_by = timezone.now(), cycle.opened_by
    cycle.save()
    response = signed_in(client, author).post(reverse("assurance:return-edit", args=[own.pk]), GOOD)
    assert response.status_code == 400
    assert "signed off" in response.content.decode()


def test_the_board_sees_every_agencys_figures_side_by_side(client, cycle):
    first = ReturnFactory(cycle=cycle, submitted=True, vacancies=7)
    second = ReturnFactory(cycle=cycle, vacancies=2)
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:returns", args=[cycle.pk])).content.decode()
    assert first.agency.name in page
    assert second.agency.name in page
    assert "7 / 80" in page
    assert "2 / 80" in page


def test_the_board_sees_a_late_return_marked_late(client):
    cycle = CycleFactory(contributions_due=datetime.date(2025, 5, 31))
    ReturnFactory(cycle=cycle)
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:returns", args=[cycle.pk])).content.decode()
    assert "govuk-tag--red" in page
    assert "1 is late." in page


def test_the_board_sees_an_agency_that_has_not_started(client, cycle):
    late = partner_practitioner(cycle)
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:returns", args=[cycle.pk])).content.decode()
    assert late.agency.name in page
    assert "Not started" in page


def test_an_agency_sees_only_its_own_row_on_the_returns_page(client, cycle, author):
    other = ReturnFactory(cycle=cycle)
    page = signed_in(client, author).get(reverse("assurance:returns", args=[cycle.pk])).content.decode()
    assert author.agency.name in page
    assert other.agency.name not in page


def test_a_practitioner_outside_the_cycle_cannot_see_its_returns(client, cycle):
    response = signed_in(client, PractitionerFactory()).get(reverse("assurance:returns", args=[cycle.pk]))
    assert response.status_code == 404


def test_the_board_reopens_a_submitted_return(client, cycle):
    found = ReturnFactory(cycle=cycle, submitted=True)
    signed_in(client, cycle.opened_by).post(reverse("assurance:return-reopen", args=[found.pk]))
    found.refresh_from_db()
    assert not found.is_submitted


def test_a_cs_page_shows_the_submitted_returns_as_evidence(client, cycle):
    ReturnFactory(cycle=cycle, submitted=True)
    url = reverse("assurance:assessment", args=[cycle.pk, "c2"])
    page = signed_in(client, cycle.opened_by).get(url).content.decode()
    assert "96 of 120 supervision sessions held (80%)" in page


def test_the_cycle_page_counts_the_submitted_returns(client, cycle):
    ReturnFactory(cycle=cycle, submitted=True)
    ReturnFactory(cycle=cycle)
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:cycle", args=[cycle.pk])).content.decode()
    assert "1 of 2 returns submitted" in page
