"""The hard cases of incremental linkage, each through `person_link` as every intake path calls it."""

import datetime

import pytest

from cylch.linkage.matching import candidate_ids
from cylch.linkage.models import MatchReview, ReviewStatus
from cylch.linkage.names import are_alternative_forms, clean_given_name
from cylch.linkage.scoring import match_record, score
from cylch.linkage.services import LinkOutcome, PersonDetails, blocking_keys_create, person_link
from cylch.people.models import Person, PersonName
from tests.factories import AgencyFactory, PersonFactory, SourceRecordFactory
from tests.factories import test_nhs_number as nhs_number

pytestmark = pytest.mark.django_db

DOB = datetime.date(2018, 3, 14)


@pytest.fixture
def agency():
    return AgencyFactory()


def link(agency, local_id, **fields):
    return person_link(details=PersonDetails(**fields), agency=agency, local_id=local_id)


def test_the_same_child_spelt_differently_by_another_agency_is_linked(agency):
    first = link(agency, "1", given_name="Cerys", family_name="Williams", date_of_birth=DOB, postcode="CF10 1AA")
    second = link(
        AgencyFactory(), "A", given_name="Ceris", family_name="Wiliams", date_of_birth=DOB, postcode="cf101aa"
    )
    assert second.outcome == LinkOutcome.LINKED
    assert second.person == first.person


def test_a_missing_nhs_number_still_links_on_name_birth_date_and_postcode(agency):
    first = link(
        agency,
        "1",
        given_name="Osian",
        family_name="Pritchard",
        date_of_birth=DOB,
        postcode="CF37 1AB",
        nhs_number=nhs_number(1),
    )
    second = link(
        AgencyFactory(), "2", given_name="Osian", family_name="Pritchard", date_of_birth=DOB, postcode="CF37 1AB"
    )
    assert (second.outcome, second.person) == (LinkOutcome.LINKED, first.person)


def test_a_day_month_swap_links(agency):
    first = link(
        agency,
        "1",
        given_name="Ffion",
        family_name="Bevan",
        date_of_birth=datetime.date(2016, 4, 3),
        postcode="SA1 1AA",
        sex="female",
    )
    second = link(
        AgencyFactory(),
        "2",
        given_name="Ffion",
        family_name="Bevan",
        date_of_birth=datetime.date(2016, 3, 4),
        postcode="SA1 1AA",
        sex="female",
    )
    assert (second.outcome, second.person) == (LinkOutcome.LINKED, first.person)


def test_nicknames_and_welsh_english_forms_link(agency):
    first = link(agency, "1", given_name="Dafydd", family_name="Rees", date_of_birth=DOB, postcode="LL57 2AA")
    second = link(AgencyFactory(), "2", given_name="David", family_name="Rees", date_of_birth=DOB, postcode="LL57 2AA")
    third = link(AgencyFactory(), "3", given_name="Dai", family_name="Rees", date_of_birth=DOB, postcode="LL57 2AA")
    assert second.person == first.person == third.person
    assert are_alternative_forms("bill", "william")
    assert are_alternative_forms("sian", "jane")


def test_welsh_and_polish_short_forms_are_alternative_forms():
    assert are_alternative_forms("gaz", "gareth")
    assert are_alternative_forms("cat", "catrin")
    assert are_alternative_forms("gosia", clean_given_name("Małgorzata"))  # folded as records are


def test_a_misspelt_first_name_on_the_same_birth_date_links(agency):
    first = link(agency, "1", given_name="Gareth", family_name="Evans", date_of_birth=DOB, postcode="CF10 1AA")
    second = link(
        AgencyFactory(), "2", given_name="Gaerth", family_name="Evans", date_of_birth=DOB, postcode="CF10 1AA"
    )
    assert (second.outcome, second.person) == (LinkOutcome.LINKED, first.person)


def test_twins_whose_real_names_differ_by_one_letter_go_to_a_person(agency):
    first = link(agency, "1", given_name="Ava", family_name="Evans", date_of_birth=DOB, postcode="CF10 1AA")
    second = link(agency, "2", given_name="Eva", family_name="Evans", date_of_birth=DOB, postcode="CF10 1AA")
    assert second.outcome != LinkOutcome.LINKED
    assert second.person != first.person


def test_an_unknown_name_differing_at_its_last_letter_is_not_taken_for_a_misspelling(agency):
    first = link(agency, "1", given_name="Lily", family_name="Evans", date_of_birth=DOB, postcode="CF10 1AA")
    second = link(agency, "2", given_name="Lilo", family_name="Evans", date_of_birth=DOB, postcode="CF10 1AA")
    assert second.outcome == LinkOutcome.NEEDS_REVIEW
    assert second.person != first.person


def test_a_parent_and_child_sharing_a_name_and_a_home_are_not_merged(agency):
    shared = {"given_name": "Yusuf", "family_name": "Osman", "postcode": "NP20 9EF", "sex": "male"}
    father = link(agency, "1", date_of_birth=datetime.date(1988, 1, 21), **shared)
    son = link(AgencyFactory(), "2", date_of_birth=datetime.date(2015, 4, 19), **shared)
    assert son.outcome == LinkOutcome.NEEDS_REVIEW
    assert son.person != father.person


def test_twins_are_never_merged(agency):
    shared = {"family_name": "Morgan", "date_of_birth": DOB, "postcode": "CF10 1AA", "address": "1 Heol y Twyn"}
    first = link(agency, "1", given_name="Alys", sex="female", **shared)
    twin = link(agency, "2", given_name="Harri", sex="male", **shared)
    twin_sister = link(agency, "3", given_name="Mali", sex="female", **shared)
    assert len({first.person, twin.person, twin_sister.person}) == 3
    assert twin.outcome == twin_sister.outcome == LinkOutcome.NEW_PERSON
    # ... and each twin's own records still find the right twin.
    again = link(AgencyFactory(), "4", given_name="Harri", sex="male", **shared)
    assert again.person == twin.person


def test_a_child_whose_surname_changed_is_linked(agency):
    first = link(
        agency,
        "1",
        given_name="Jac",
        family_name="Price",
        date_of_birth=DOB,
        postcode="NP20 1AA",
        sex="male",
        nhs_number=nhs_number(7),
    )
    renamed = link(
        AgencyFactory(), "2", given_name="Jac", family_name="Lloyd", date_of_birth=DOB, postcode="NP20 1AA", sex="male"
    )
    assert (renamed.outcome, renamed.person) == (LinkOutcome.LINKED, first.person)
    assert PersonName.objects.filter(person=first.person, family_name="Lloyd").exists()
    # Once known, the new surname is as good as the old one.
    later = link(AgencyFactory(), "3", given_name="Jac", family_name="Lloyd", date_of_birth=DOB, postcode="NP20 2BB")
    assert later.person == first.person


def test_an_unborn_child_who_is_then_born_is_one_person(agency):
    unborn = link(
        agency,
        "U",
        family_name="Hughes",
        is_unborn=True,
        expected_delivery_date=datetime.date(2025, 6, 20),
        postcode="CF24 3AA",
    )
    assert unborn.person.is_unborn
    born = link(
        AgencyFactory(),
        "B",
        given_name="Nia",
        family_name="Hughes",
        date_of_birth=datetime.date(2025, 6, 9),
        postcode="CF24 3AA",
        sex="female",
    )
    assert (born.outcome, born.person) == (LinkOutcome.LINKED, unborn.person)
    person = Person.objects.get(pk=unborn.person.pk)
    assert (person.is_unborn, person.date_of_birth, person.given_name) == (False, datetime.date(2025, 6, 9), "Nia")


def test_two_children_at_one_address_with_similar_names_are_not_merged(agency):
    first = link(
        agency,
        "1",
        given_name="Lily",
        family_name="Evans",
        date_of_birth=datetime.date(2017, 5, 2),
        postcode="CF10 1AA",
        sex="female",
    )
    second = link(
        agency,
        "2",
        given_name="Lila",
        family_name="Evans",
        date_of_birth=datetime.date(2019, 8, 21),
        postcode="CF10 1AA",
        sex="female",
    )
    assert second.person != first.person
    assert second.outcome == LinkOutcome.NEW_PERSON


def test_similar_names_on_the_same_birth_date_go_to_a_person(agency):
    first = link(agency, "1", given_name="Lily", family_name="Evans", date_of_birth=DOB, postcode="CF10 1AA")
    second = link(agency, "2", given_name="Lila", family_name="Evans", date_of_birth=DOB, postcode="CF10 1AA")
    assert second.outcome == LinkOutcome.NEEDS_REVIEW
    assert second.person != first.person
    review = MatchReview.objects.get(person=second.person)
    assert (review.candidate, review.status) == (first.person, ReviewStatus.PENDING)
    assert {e["field"] for e in review.evidence} >= {"given_name", "date_of_birth", "postcode"}


def test_a_weak_match_goes_to_review_not_to_a_merge(agency):
    first = link(agency, "1", given_name="William", family_name="Watkins", postcode="CF11 9AA")
    # A nickname at the same address, but no birth date or NHS number to corroborate it.
    second = link(agency, "2", given_name="Bill", family_name="Watkins", postcode="CF11 9AA")
    assert second.outcome == LinkOutcome.NEEDS_REVIEW
    assert second.person != first.person


def test_unrelated_people_are_new_people(agency):
    link(agency, "1", given_name="Gethin", family_name="Watkins", date_of_birth=DOB, postcode="CF10 1AA")
    other = link(
        agency, "2", given_name="Zara", family_name="Khan", date_of_birth=datetime.date(2012, 1, 9), postcode="CF10 1AA"
    )
    assert other.outcome == LinkOutcome.NEW_PERSON


def test_score_reports_evidence_for_every_field():
    a = match_record(given_names=["Bill"], family_names=["Jones"], dates_of_birth=[DOB])
    b = match_record(given_names=["William"], family_names=["Jones"], dates_of_birth=[DOB], postcodes=["CF10 1AA"])
    result = score(a, b)
    assert result.level("given_name") == "alternative_form"
    assert result.level("postcode") is None
    assert result.level("date_of_birth") == "exact"


def test_the_holder_of_an_nhs_number_is_found_however_many_others_look_more_alike(agency, monkeypatch):
    # One field out beside an agreeing NHS number (a surname changed) links; the look-alike has no number.
    holder = link(agency, "1", given_name="Gethin", family_name="Rees", nhs_number=nhs_number(7)).person
    look_alike = link(
        agency, "2", given_name="Gethin", family_name="Morgan", date_of_birth=DOB, postcode="CF10 1AA"
    ).person
    monkeypatch.setattr("cylch.linkage.matching.CANDIDATE_LIMIT", 1)  # room for the look-alike only
    result = link(
        AgencyFactory(),
        "A",
        given_name="Gethin",
        family_name="Morgan",
        date_of_birth=DOB,
        postcode="CF10 1AA",
        nhs_number=nhs_number(7),
    )
    assert (result.outcome, result.person) == (LinkOutcome.LINKED, holder)
    assert result.person != look_alike


def test_candidates_are_ranked_by_different_keys_shared_not_by_how_many_agencies_filed_one(agency, monkeypatch):
    namesake = PersonFactory(given_name="Sarah", family_name="Jones", date_of_birth=None, nhs_number="")
    for _agency in range(8):  # eight agencies, each filing her under the same name key only
        record = SourceRecordFactory(
            person=namesake, given_name="Sarah", family_name="Jones", date_of_birth=None, postcode=""
        )
        blocking_keys_create(record=record, details=PersonDetails(given_name="Sarah", family_name="Jones"))
    described = {"given_name": "Sarah", "family_name": "Jones", "date_of_birth": DOB, "postcode": "CF10 1AA"}
    child = link(agency, "child", **described).person
    assert child != namesake
    monkeypatch.setattr("cylch.linkage.matching.CANDIDATE_LIMIT", 1)
    assert candidate_ids(PersonDetails(**described)) == [child.pk]
