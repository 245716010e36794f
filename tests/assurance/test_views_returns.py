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
        ("compliance_group_b", "101", "The share of staff in Group B who are trained must be a percentage from 0"),
        ("compliance_group_b", "-3", "The share of staff in Group B who are trained must be a percentage from 0"),
        ("vacancies", "-1", "The figure for vacancies in safeguarding roles cannot be negative"),
        (
            "designated_lead_posts_filled",
            "9",
            "The figure for designated safeguarding lead posts filled cannot be more",
        ),
        ("supervision_held", "twelve", "The figure for supervision sessions held must be a whole number"),
        ("leavers", "1\x002", "The figure for leavers from safeguarding roles in the period must be a"),
        ("leavers", "9" * 20, "The figure for leavers from safeguarding roles in the period must be a"),
        ("safeguarding_posts", "12345678", "The figure for posts in safeguarding roles must be 100,000 or fewer"),
        ("target_group_b", "NaN", "The target for Group B must be a number written in figures"),
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
    assert "Enter the figure for leavers from safeguarding roles in the period" in response.content.decode()
    own.refresh_from_db()
    assert not own.is_submitted


def test_a_return_in_a_signed_off_cycle_cannot_be_changed(client, cycle, author):
    own = ReturnFactory(cycle=cycle, agency=author.agency)
    cycle.signed_off_at, cycle.signed_off_by = timezone.now(), cycle.opened_by
    cycle.save()
    response = signed_in(client, author).post(reverse("assurance:return-edit", args=[own.pk]), GOOD)
    assert response.status_code == 400
    assert "signed off" in response.content.decode()


def sign_off(cycle):
    cycle.signed_off_at, cycle.signed_off_by = timezone.now(), cycle.opened_by
    cycle.save()


def test_a_submitted_returns_edit_page_says_why_instead_of_offering_the_form(client, cycle, author):
    own = ReturnFactory(cycle=cycle, agency=author.agency, submitted=True)
    page = signed_in(client, author).get(reverse("assurance:return-edit", args=[own.pk])).content.decode()
    assert "This return was submitted on 01/05/2025. Ask the board to reopen it" in page
    assert "stays a draft" not in page
    assert 'name="supervision_held"' not in page


def test_saving_a_submitted_return_is_refused_and_nothing_stored(client, cycle, author):
    own = ReturnFactory(cycle=cycle, agency=author.agency, submitted=True)
    response = signed_in(client, author).post(
        reverse("assurance:return-edit", args=[own.pk]), {**GOOD, "leavers": "40"}
    )
    own.refresh_from_db()
    assert (response.status_code, own.leavers) == (400, 12)


def test_a_signed_off_cycles_edit_page_says_why_instead_of_offering_the_form(client, cycle, author):
    own = ReturnFactory(cycle=cycle, agency=author.agency)
    sign_off(cycle)
    page = signed_in(client, author).get(reverse("assurance:return-edit", args=[own.pk])).content.decode()
    assert "signed off" in page
    assert 'name="supervision_held"' not in page


def test_a_signed_off_cycles_new_return_page_says_why_instead_of_offering_the_form(client, cycle, author):
    sign_off(cycle)
    page = signed_in(client, author).get(reverse("assurance:return-new", args=[cycle.pk])).content.decode()
    assert "signed off" in page
    assert 'name="supervision_held"' not in page


EXTENSION = {"due_on_day": "31", "due_on_month": "7", "due_on_year": "2025", "reason": "Lead on leave until July"}


def test_the_board_extends_a_return_from_its_page(client, cycle):
    found = ReturnFactory(cycle=cycle)
    board = signed_in(client, cycle.opened_by)
    assert 'data-testid="return-extend"' in board.get(reverse("assurance:return", args=[found.pk])).content.decode()
    response = board.post(reverse("assurance:return-extend", args=[found.pk]), EXTENSION)
    found.refresh_from_db()
    assert (response.status_code, found.due_on) == (302, datetime.date(2025, 7, 31))


def test_the_agency_is_not_offered_an_extension_nor_granted_one(client, cycle, author):
    own = ReturnFactory(cycle=cycle, agency=author.agency)
    client = signed_in(client, author)
    assert 'data-testid="return-extend"' not in client.get(reverse("assurance:return", args=[own.pk])).content.decode()
    assert client.post(reverse("assurance:return-extend", args=[own.pk]), EXTENSION).status_code == 403


def test_a_submitted_return_offers_no_extension(client, cycle):
    found = ReturnFactory(cycle=cycle, submitted=True)
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:return", args=[found.pk])).content.decode()
    assert 'data-testid="return-extend"' not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"due_on_year": "99999999999999999999"}, "Year must include 4 numbers"),
        ({"due_on_month": "13"}, "The new due date must be a real date"),
        ({"due_on_year": "2025", "due_on_month": "5", "due_on_day": "1"}, "must be after the current one"),
        ({"reason": ""}, "Enter the reason for the extension"),
        ({"reason": "late\x00"}, "The reason must not contain control characters"),
        ({"reason": "x" * 10_000}, "The reason must be 200 characters or fewer"),
    ],
)
def test_a_bad_extension_is_refused_by_name_and_nothing_stored(client, cycle, changes, message):
    found = ReturnFactory(cycle=cycle)
    response = signed_in(client, cycle.opened_by).post(
        reverse("assurance:return-extend", args=[found.pk]), {**EXTENSION, **changes}
    )
    found.refresh_from_db()
    assert response.status_code == 400
    assert message in response.content.decode()
    assert found.due_on == cycle.contributions_due


def test_a_partner_with_no_submitted_return_is_not_told_that_no_agency_has(client, cycle, author):
    ReturnFactory(cycle=cycle, submitted=True)  # another agency's, which the partner may not see
    url = reverse("assurance:assessment", args=[cycle.pk, "c3"])
    page = signed_in(client, author).get(url).content.decode()
    assert "No agency has submitted" not in page
    assert "Your agency has not submitted its assurance return in this cycle yet." in page


def test_a_partner_sees_its_own_figures_said_to_be_its_agencys(client, cycle, author):
    ReturnFactory(cycle=cycle, agency=author.agency, submitted=True)
    page = signed_in(client, author).get(reverse("assurance:assessment", args=[cycle.pk, "c2"])).content.decode()
    assert "96 of 120 supervision sessions held (80%)" in page
    assert "From your agency's latest submitted return in this cycle." in page


def test_the_board_is_told_when_no_agency_has_submitted(client, cycle):
    ReturnFactory(cycle=cycle)
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:assessment", args=[cycle.pk, "c3"]))
    assert "No agency has submitted an assurance return in this cycle yet." in page.content.decode()


def test_the_board_sees_every_agencys_figures_side_by_side(client, cycle):
    first = ReturnFactory(cycle=cycle, submitted=True, vacancies=7)
    second = ReturnFactory(cycle=cycle, vacancies=2)
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:returns", args=[cycle.pk])).content.decode()
    assert first.agency.name in page
    assert second.agency.name in page
    assert "7 / 80" in page
    assert "2 / 80" in page


def test_the_board_sees_a_late_draft_marked_late(client):
    cycle = CycleFactory(contributions_due=datetime.date(2025, 5, 31))
    ReturnFactory(cycle=cycle)
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:returns", args=[cycle.pk])).content.decode()
    assert "days past due" in page
    assert "Past due and not submitted: 1 in draft, 0 not started." in page


def test_a_return_submitted_late_keeps_its_late_marker_with_how_late(client, cycle):
    ReturnFactory(cycle=cycle, due_on=datetime.date(2025, 4, 21), submitted=True)  # submitted 1 May 2025
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:returns", args=[cycle.pk])).content.decode()
    assert "Submitted 10 days late" in page
    assert "1 of 1 return submitted (0 on time, 1 late)." in page


def test_a_return_submitted_on_time_is_marked_on_time(client, cycle):
    ReturnFactory(cycle=cycle, submitted=True)
    page = signed_in(client, cycle.opened_by).get(reverse("assurance:returns", args=[cycle.pk])).content.decode()
    assert "On time" in page
    assert "1 of 1 return submitted (1 on time, 0 late)." in page


def test_a_late_drafts_own_page_says_it_is_late(client, cycle, author):
    own = ReturnFactory(cycle=cycle, agency=author.agency, due_on=datetime.date(2025, 5, 31))
    response = signed_in(client, author).get(reverse("assurance:return", args=[own.pk]))
    assert "days past due" in response.content.decode()


def test_a_late_submissions_own_page_says_how_late(client, cycle, author):
    own = ReturnFactory(cycle=cycle, agency=author.agency, due_on=datetime.date(2025, 4, 30), submitted=True)
    response = signed_in(client, author).get(reverse("assurance:return", args=[own.pk]))
    assert "Submitted 1 day late" in response.content.decode()


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
