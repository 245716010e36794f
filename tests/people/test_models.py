import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import HouseholdMembershipFactory, PersonFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def test_unborn_child_without_expected_delivery_date_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(is_unborn=True, date_of_birth=None, expected_delivery_date=None)


def test_unborn_child_with_a_date_of_birth_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(is_unborn=True, expected_delivery_date=datetime.date(2027, 1, 1))


def test_unborn_child_with_expected_delivery_date_is_stored():
    person = PersonFactory(is_unborn=True, date_of_birth=None, expected_delivery_date=datetime.date(2027, 1, 1))
    assert person.is_child


def test_date_of_birth_in_the_future_fails_validation():
    person = PersonFactory.build(date_of_birth=timezone.localdate() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "date_of_birth" in error.value.message_dict


def test_invalid_nhs_number_fails_validation():
    person = PersonFactory.build(nhs_number="9990000019")
    with pytest.raises(ValidationError) as error:
        person.full_clean()
    assert "nhs_number" in error.value.message_dict


def test_phonetic_keys_follow_the_names_on_save():
    person = PersonFactory(given_name="Siân", family_name="Jones")
    person.family_name = "Davies"
    person.save()
    person.refresh_from_db()
    assert person.family_name_key == "TFS"


def test_age_counts_whole_years_from_birthday():
    person = PersonFactory.build(date_of_birth=datetime.date(2015, 6, 10))
    assert person.age_on(datetime.date(2025, 6, 9)) == 9
    assert person.age_on(datetime.date(2025, 6, 10)) == 10


def test_household_membership_ending_before_it_starts_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMembershipFactory(start_date=datetime.date(2022, 5, 1), end_date=datetime.date(2022, 4, 30))


def test_overlapping_membership_of_the_same_household_fails_validation():
    first = HouseholdMembershipFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2022, 1, 1))
    second = HouseholdMembershipFactory.build(
        household=first.household, person=first.person, start_date=datetime.date(2021, 6, 1)
    )
    with pytest.raises(ValidationError):
        second.full_clean()


def test_rejoining_a_household_after_leaving_is_valid():
    first = HouseholdMembershipFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1))
    again = HouseholdMembershipFactory.build(
        household=first.household, person=first.person, start_date=datetime.date(2023, 1, 1)
    )
    again.full_clean()


def test_membership_is_current_between_its_dates():
    membership = HouseholdMembershipFactory.build(
        start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1)
    )
    assert membership.is_current_on(datetime.date(2020, 6, 1))
    assert not membership.is_current_on(datetime.date(2021, 1, 2))


def test_a_person_cannot_be_their_own_relative():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipFactory(person=person, relative=person)
