"""Finding a person and opening their record: validated input, the need-to-know rule, and the access log."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry, AccessOutcome
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PersonIdentifierFactory,
    PractitionerFactory,
    RelationshipFactory,
    StatutoryStatusFactory,
)

pytestmark = pytest.mark.django_db

SEARCH = "/people/search/"


def _dob(day: int | str, month: int | str, year: int | str) -> dict[str, str]:
    return {"date_of_birth_day": str(day), "date_of_birth_month": str(month), "date_of_birth_year": str(year)}


@pytest.fixture
def practitioner(client):
    user = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    client.force_login(user)
    return user


@pytest.fixture
def cerys(practitioner):
    """A child the practitioner's agency works with."""
    child = PersonFactory(given_name="Cerys", family_name="Llewellyn", date_of_birth=datetime.date(2016, 5, 9))
    InvolvementFactory(person=child, agency=practitioner.agency, role="Health visitor")
    return child


@pytest.mark.parametrize("path", [SEARCH, "/people/T99999999N/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


def test_the_empty_search_page_has_no_errors_or_results(client, practitioner):
    response = client.get(SEARCH)
    page = response.content.decode()
    assert response.context["results"] is None
    assert "govuk-error-summary" not in page
    assert "<title>Find a person – Cylch</title>" in page
    assert 'id="id_date_of_birth_day"' in page


def test_a_misspelt_name_finds_the_child(client, cerys):
    response = client.get(SEARCH, {"name": "Ceris Llewelyn"})
    assert [r.person for r in response.context["results"]] == [cerys]
    page = response.content.decode()
    assert "1 person found" in page
    assert "Full record" in page
    assert f'href="/people/{cerys.cylch_id}/"' in page


def test_a_date_of_birth_alone_finds_the_child(client, cerys):
    response = client.get(SEARCH, {"name": "", **_dob(9, 5, 2016), "nhs_number": ""})
    assert [r.person for r in response.context["results"]] == [cerys]


def test_an_nhs_number_typed_with_spaces_finds_the_child(client, cerys):
    spaced = f"{cerys.nhs_number[:3]} {cerys.nhs_number[3:6]} {cerys.nhs_number[6:]}"
    response = client.get(SEARCH, {"nhs_number": spaced})
    assert [r.person for r in response.context["results"]] == [cerys]


def test_someone_the_agency_does_not_work_with_is_listed_as_restricted(client, practitioner):
    stranger = PersonFactory(given_name="Osian", family_name="Pryce")
    InvolvementFactory(person=stranger)  # another agency
    response = client.get(SEARCH, {"name": "Osian Pryce"})
    (result,) = response.context["results"]
    assert not result.detail_allowed
    assert "Restricted: other agencies hold information" in response.content.decode()


def test_every_person_listed_is_written_to_the_access_log(client, practitioner, cerys):
    stranger = PersonFactory(given_name="Cerys", family_name="Llewelyn")
    client.get(SEARCH, {"name": "Cerys Llewellyn"})
    rows = AccessLogEntry.objects.filter(practitioner=practitioner, page="person-search")
    assert {(row.person, row.outcome) for row in rows} == {
        (cerys, AccessOutcome.DETAIL),
        (stranger, AccessOutcome.RESTRICTED),
    }


@pytest.mark.parametrize(
    ("query", "anchor", "message"),
    [
        ({"name": ""}, "id_name", "Enter a name, a date of birth or an NHS number"),
        (_dob(31, 2, 2020), "id_date_of_birth_day", "Date of birth must be a real date"),
        (_dob(12, 13, 2020), "id_date_of_birth_month", "Date of birth must be a real date"),
        (_dob(12, "", 2020), "id_date_of_birth_month", "Date of birth must include a month"),
        (_dob("", "", 2020), "id_date_of_birth_day", "Date of birth must include a day and month"),
        (_dob("a", 3, 2020), "id_date_of_birth_day", "Date of birth must be a real date"),
        (_dob(1, 3, 20), "id_date_of_birth_year", "Year must include 4 numbers"),
        (
            _dob(1, 1, timezone.localdate().year + 1),
            "id_date_of_birth_day",
            "Date of birth must be today or in the past",
        ),
        ({"nhs_number": "123"}, "id_nhs_number", "Enter an NHS number with 10 digits, like 943 476 5919."),
        ({"nhs_number": "9434765918"}, "id_nhs_number", "This is not a valid NHS number"),
    ],
)
def test_bad_search_input_gets_a_specific_error(client, practitioner, query, anchor, message):
    response = client.get(SEARCH, query)
    page = response.content.decode()
    assert response.context["results"] is None
    assert "<title>Error: Find a person – Cylch</title>" in page
    assert f'<a href="#{anchor}">{message}' in page
    assert not AccessLogEntry.objects.exists()


def test_only_the_wrong_date_box_is_highlighted(client, practitioner):
    page = client.get(SEARCH, _dob(12, "", 2020)).content.decode()
    assert 'govuk-input--width-2 govuk-input--error" id="id_date_of_birth_month"' in page
    assert 'govuk-input--width-2" id="id_date_of_birth_day"' in page
    assert 'value="12"' in page and 'value="2020"' in page  # noqa: PT018 - what was typed is kept


def test_the_person_page_shows_the_record_to_an_involved_agency(client, practitioner, cerys):
    cerys.nhs_number = "9434765919"
    cerys.save()
    mother = PersonFactory(given_name="Rhian", family_name="Llewellyn", date_of_birth=datetime.date(1990, 1, 2))
    RelationshipFactory(person=cerys, relative=mother, kind="parent")
    home = HouseholdFactory(address_line_1="12 Heol y Frenhines", postcode="CF10 1AA")
    HouseholdMembershipFactory(person=cerys, household=home)
    HouseholdMembershipFactory(person=mother, household=home)
    HouseholdMembershipFactory(person=cerys, start_date=datetime.date(2016, 5, 9), end_date=datetime.date(2019, 12, 31))
    PersonIdentifierFactory(person=cerys, value="P1234567")
    StatutoryStatusFactory(person=cerys)
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, summary="Seen at home.", child_words="I like it.")

    response = client.get(f"/people/{cerys.cylch_id}/")
    page = response.content.decode()

    assert response.status_code == 200
    assert response.context["record"].detail_allowed
    for text in (
        "9 May 2016",
        "943 476 5919",
        cerys.cylch_id,
        "P1234567",
        "12 Heol y Frenhines",
        "Previous addresses",
        "Rhian Llewellyn",
        "Parent",
        "On the child protection register",
        "Neglect",
        "Health visitor",
        "Multi-agency chronology",
        "Seen at home.",
        "“I like it.”",
        "Every time someone opens",
    ):
        assert text in page, text
    assert "CPR" not in page
    entries = AccessLogEntry.objects.filter(practitioner=practitioner).order_by("sequence", "pk")
    assert [(e.person, e.page, e.outcome, e.reason) for e in entries] == [
        (cerys, "person-detail", AccessOutcome.DETAIL, "involvement"),
        (mother, "person-detail", AccessOutcome.RESTRICTED, f"shown with {cerys.cylch_id}"),
    ]


def test_relationships_read_from_the_relatives_side(client, practitioner, cerys):
    mother = PersonFactory(given_name="Rhian", family_name="Llewellyn")
    InvolvementFactory(person=mother, agency=practitioner.agency)
    RelationshipFactory(person=cerys, relative=mother, kind="parent")
    rows = client.get(f"/people/{mother.cylch_id}/").context["relatives"]
    assert [(row.other, str(row.description)) for row in rows] == [(cerys, "Child")]


def test_without_an_involvement_only_the_restricted_summary_is_shown(client, practitioner):
    other_agency = AgencyFactory(name="Ysgol Gynradd", phone="029 2111 2222", email="dsl@ysgol.example")
    child = PersonFactory(given_name="Gethin", family_name="Morgan", date_of_birth=datetime.date(2015, 7, 1))
    InvolvementFactory(person=child, agency=other_agency, role="Designated safeguarding lead")
    HouseholdMembershipFactory(person=child, household=HouseholdFactory(address_line_1="1 Stryd Fawr"))
    ChronologyEventFactory(person=child, agency=other_agency, summary="Secret summary")

    response = client.get(f"/people/{child.cylch_id}/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "Gethin Morgan" in page
    assert "Other agencies hold information about this person" in page
    for text in ("Ysgol Gynradd", "029 2111 2222", "dsl@ysgol.example", "Designated safeguarding lead"):
        assert text in page, text
    for secret in ("1 July 2015", "1 Stryd Fawr", "Secret summary", child.nhs_number, "Multi-agency chronology"):
        assert secret not in page, secret
    entry = AccessLogEntry.objects.get(practitioner=practitioner)
    assert (entry.person, entry.outcome) == (child, AccessOutcome.RESTRICTED)


def test_the_front_door_sees_anyone(client):
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR]))
    child = PersonFactory()
    assert client.get(f"/people/{child.cylch_id}/").context["record"].detail_allowed


def test_an_unknown_cylch_id_is_not_found(client, practitioner):
    assert client.get("/people/T99999999N/").status_code == 404  # a well-formed ID no one has
    assert not AccessLogEntry.objects.exists()


def test_the_chronology_filters_by_agency_and_date(client, practitioner, cerys):
    school = AgencyFactory(name="Ysgol Glan")
    now = timezone.now()
    ChronologyEventFactory(
        person=cerys, agency=school, summary="School event", occurred_at=now - datetime.timedelta(10)
    )
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, summary="Old visit", occurred_at=now.replace(2020))
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, summary="New visit")
    url = f"/people/{cerys.cylch_id}/"

    by_agency = client.get(url, {"agency": school.pk}).context["chronology_page"].object_list
    assert [e.summary for e in by_agency] == ["School event"]

    day = now.date() - datetime.timedelta(days=365)
    by_date = client.get(
        url,
        {"agency": "", "date_from_day": day.day, "date_from_month": day.month, "date_from_year": day.year},
    ).context["chronology_page"]
    assert sorted(e.summary for e in by_date.object_list) == ["New visit", "School event"]

    page = client.get(url).content.decode()
    assert f'<option value="{school.pk}">Ysgol Glan</option>' in page


def test_a_backwards_date_range_is_an_error_and_nothing_is_hidden(client, practitioner, cerys):
    ChronologyEventFactory(person=cerys, agency=practitioner.agency)
    response = client.get(
        f"/people/{cerys.cylch_id}/",
        {
            **{"date_from_day": "2", "date_from_month": "1", "date_from_year": "2024"},
            **{"date_to_day": "1", "date_to_month": "1", "date_to_year": "2024"},
        },
    )
    page = response.content.decode()
    assert '<a href="#id_date_to_day">The date to must be the same as or after the date from</a>' in page
    assert page.count("<title>Error: ") == 1
    assert len(response.context["chronology_page"].object_list) == 1


def test_a_long_chronology_is_paged(client, practitioner, cerys):
    now = timezone.now()
    for n in range(60):
        ChronologyEventFactory(person=cerys, agency=practitioner.agency, occurred_at=now - datetime.timedelta(days=n))
    first = client.get(f"/people/{cerys.cylch_id}/")
    assert len(first.context["chronology_page"].object_list) == 50
    assert "60 events, most recent first" in first.content.decode()
    assert 'class="govuk-pagination"' in first.content.decode()
    second = client.get(f"/people/{cerys.cylch_id}/", {"page": 2})
    assert len(second.context["chronology_page"].object_list) == 10


def test_the_person_page_in_welsh_spells_out_the_register(client, practitioner, cerys):
    StatutoryStatusFactory(person=cerys)
    client.cookies["cylch_language"] = "cy"
    page = client.get(f"/people/{cerys.cylch_id}/").content.decode()
    assert '<html lang="cy"' in page
    assert "Ar y Gofrestr Amddiffyn Plant" in page
    assert "Cronoleg amlasiantaethol" in page
    assert "9 Mai 2016" in page
