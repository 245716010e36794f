"""What a restricted view must still say (#13 item 3): which agencies have ever been involved with the child and
with the adults they live with, and when, however restricted the detail; restricted household members and relatives
without their dates of birth (an age band at most), on the tables, the family cards and the genogram alike."""

from __future__ import annotations

import datetime

import pytest

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.audit.models import AccessLogEntry, AccessOutcome
from cylch.concerns.agency_history import AgencyPeriod, agency_history, combined
from cylch.people.models import RelationshipKind
from cylch.records.ages import age_band
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
    RelationshipFactory,
    StatutoryStatusFactory,
)

pytestmark = pytest.mark.django_db


def _at(year: int, month: int = 6) -> datetime.datetime:
    return datetime.datetime(year, month, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def practitioner(client):
    user = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    client.force_login(user)
    return user


@pytest.fixture
def police():
    return AgencyFactory(name="Heddlu De Cymru", kind=AgencyKind.POLICE, phone="01656 000 111")


@pytest.fixture
def household(police):
    """A baby living with her mother and the mother's partner; the police dealt with the partner in 2022–2023."""
    home = HouseholdFactory()
    baby = PersonFactory(given_name="Nia", family_name="Rees", date_of_birth=datetime.date(2025, 9, 1))
    mother = PersonFactory(given_name="Sara", family_name="Rees", date_of_birth=datetime.date(1998, 2, 3))
    partner = PersonFactory(given_name="Rhys", family_name="Bowen", date_of_birth=datetime.date(1994, 11, 20))
    for someone in (baby, mother, partner):
        HouseholdMembershipFactory(household=home, person=someone, start_date=datetime.date(2024, 1, 1))
    RelationshipFactory(person=baby, relative=mother, kind=RelationshipKind.PARENT)
    RelationshipFactory(person=baby, relative=partner, kind=RelationshipKind.PARTNER_OF_PARENT)
    ChronologyEventFactory(person=partner, agency=police, kind="domestic_abuse_incident", occurred_at=_at(2022))
    ChronologyEventFactory(person=partner, agency=police, kind="police_incident", occurred_at=_at(2023, 3))
    return baby, mother, partner


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the history itself ---


def test_an_ended_involvement_and_events_give_the_years_from_first_to_last(police):
    person = PersonFactory()
    InvolvementFactory(
        person=person, agency=police, start_date=datetime.date(2021, 4, 1), end_date=datetime.date(2022, 1, 31)
    )
    ChronologyEventFactory(person=person, agency=police, occurred_at=_at(2023))
    [period] = agency_history(person_ids=[person.pk])[person.pk]
    assert (period.first, period.last) == (datetime.date(2021, 4, 1), datetime.date(2023, 6, 1))
    assert period.period == "2021–2023"


def test_an_open_involvement_runs_to_now(police):
    person = PersonFactory()
    InvolvementFactory(person=person, agency=police, start_date=datetime.date(2019, 4, 1))
    ChronologyEventFactory(person=person, agency=police, occurred_at=_at(2020))
    [period] = agency_history(person_ids=[person.pk])[person.pk]
    assert period.current
    assert period.period == "since 2019"


def test_adults_together_give_one_line_per_agency(police):
    periods = [
        AgencyPeriod(agency=police, first=datetime.date(2022, 1, 1), last=datetime.date(2022, 5, 1)),
        AgencyPeriod(agency=police, first=datetime.date(2020, 1, 1), last=datetime.date(2023, 5, 1)),
    ]
    assert [p.period for p in combined(periods)] == ["2020–2023"]


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (datetime.date(2026, 3, 1), "Under 1"),
        (datetime.date(2022, 1, 1), "Aged 1 to 4"),
        (datetime.date(2014, 1, 1), "Aged 11 to 12"),
        (datetime.date(2010, 1, 1), "Aged 13 to 17"),
        (datetime.date(1990, 1, 1), "Adult"),
    ],
)
def test_age_bands(born, band):
    assert age_band(PersonFactory.build(date_of_birth=born), datetime.date(2026, 12, 1)) == band


# --- the restricted single view ---


def test_a_restricted_view_says_the_police_held_information_about_adults_in_the_household(
    client, practitioner, household
):
    baby, _mother, partner = household
    page = _page(client, f"/people/{baby.cylch_id}/")
    assert "Other agencies hold information about this person" in page
    assert "Heddlu De Cymru held information about adults in this household, 2022–2023." in page
    assert "01656 000 111" in page
    assert partner.given_name not in page  # the adult is not named


def test_a_restricted_view_logs_each_adult_whose_agencies_it_summarises(client, practitioner, household):
    baby, mother, partner = household
    _page(client, f"/people/{baby.cylch_id}/")
    for adult in (mother, partner):
        entry = AccessLogEntry.objects.get(person=adult, practitioner=practitioner)
        assert entry.outcome == AccessOutcome.RESTRICTED
        assert f"household of {baby.cylch_id}" in entry.reason


def test_a_restricted_view_lists_agencies_no_longer_involved_with_the_child(client, practitioner, police):
    child = PersonFactory()
    InvolvementFactory(
        person=child, agency=police, start_date=datetime.date(2021, 1, 1), end_date=datetime.date(2021, 8, 1)
    )
    page = _page(client, f"/people/{child.cylch_id}/")
    assert "Heddlu De Cymru, 2021." in page


def test_a_restricted_view_in_welsh_gives_the_welsh_agency_name(client, practitioner, household, police):
    police.name_cy = "Heddlu De Cymru (Cymraeg)"
    police.save()
    client.cookies["cylch_language"] = "cy"
    page = _page(client, f"/people/{household[0].cylch_id}/")
    assert "Heddlu De Cymru (Cymraeg)" in page


# --- the single view with detail: the household table ---


def test_the_household_table_gives_a_restricted_member_an_age_band_not_a_date_of_birth(client, practitioner, household):
    baby, mother, _partner = household
    InvolvementFactory(person=baby, agency=practitioner.agency)
    InvolvementFactory(person=mother, agency=practitioner.agency)
    page = _page(client, f"/people/{baby.cylch_id}/")
    assert "3 February 1998" in page  # the mother: the reader's agency works with her
    assert "20 November 1994" not in page  # the partner: restricted
    assert "Adult" in page


def test_the_single_view_says_which_agencies_worked_with_the_adults_of_the_household(client, practitioner, household):
    baby = household[0]
    InvolvementFactory(person=baby, agency=practitioner.agency)
    page = _page(client, f"/people/{baby.cylch_id}/")
    assert "Heddlu De Cymru held information about adults in this household, 2022–2023." in page
    assert "Heddlu De Cymru (2022–2023)" in page  # the partner's row of the household table


def test_the_genogram_gives_a_restricted_relative_an_age_band_not_an_age(client, practitioner, household):
    baby, mother, partner = household
    InvolvementFactory(person=baby, agency=practitioner.agency)
    InvolvementFactory(person=mother, agency=practitioner.agency)
    page = _page(client, f"/people/{baby.cylch_id}/")
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert f"Age {mother.age}" in svg
    assert f"Age {partner.age}" not in svg


# --- the family view ---


def test_a_family_card_of_a_restricted_adult_lists_the_agencies_involved_before(client, practitioner, household):
    baby, _mother, partner = household
    InvolvementFactory(person=baby, agency=practitioner.agency)
    page = _page(client, f"/people/{baby.cylch_id}/family/")
    card = page[page.index(partner.full_name) :]
    assert "Restricted: other agencies hold information" in card
    assert "Heddlu De Cymru (2022–2023)" in card
    assert "20 November 1994" not in page


def test_the_family_genogram_follows_the_cards(client, practitioner, household):
    baby, _mother, partner = household
    InvolvementFactory(person=baby, agency=practitioner.agency)
    page = _page(client, f"/people/{baby.cylch_id}/family/")
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert f"Age {partner.age}" not in svg
    assert "Adult" in svg


def test_the_restricted_page_of_a_registered_child_titles_its_two_banners_apart(client, practitioner, household):
    """Two notification banners both titled "Important" are two landmarks of one name (axe `landmark-unique`)."""
    baby, _mother, _partner = household
    StatutoryStatusFactory(person=baby)
    html = client.get(f"/people/{baby.cylch_id}/").content.decode()
    assert "Restricted record" in html
    assert "Register and looked-after status" in html
    assert ">Important<" not in html
