"""Households over time: a move, and two agencies disagreeing, kept side by side rather than overwritten."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.audit.models import AccessLogEntry
from cylch.feeds.models import DisagreementKind, HouseholdDisagreement
from cylch.feeds.selectors import household_disagreements_open
from cylch.feeds.services import disagreement_resolve, household_membership_end, household_membership_record
from cylch.people.models import HouseholdMembership
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

HOME = {"address_line_1": "1 Heol Fawr", "town": "Caerdydd", "postcode": "CF10 1AA"}
ELSEWHERE = {"address_line_1": "9 Lôn Isaf", "town": "Casnewydd", "postcode": "NP20 1AA"}


@pytest.fixture
def police():
    return AgencyFactory(kind=AgencyKind.POLICE)


@pytest.fixture
def housing():
    return AgencyFactory(kind=AgencyKind.HOUSING)


def _day(n):
    return datetime.date(2025, 1, 1) + datetime.timedelta(days=n)


def test_a_membership_is_recorded_with_its_agency_and_on_the_audit_chain(police):
    person = PersonFactory()
    membership = household_membership_record(person=person, agency=police, start_date=_day(0), **HOME)
    assert membership.recorded_by_agency == police
    assert AccessLogEntry.objects.get(page="household-membership", person=person).details["membership"] == membership.pk


def test_the_same_address_typed_differently_is_the_same_household(police, housing):
    person = PersonFactory()
    first = household_membership_record(person=person, agency=police, start_date=_day(0), **HOME)
    other = {**HOME, "address_line_1": "1 HEOL FAWR", "postcode": "cf101aa"}
    second = household_membership_record(person=PersonFactory(), agency=housing, start_date=_day(0), **other)
    assert first.household == second.household


def test_an_agencys_own_new_address_ends_its_previous_one(police):
    person = PersonFactory()
    old = household_membership_record(person=person, agency=police, start_date=_day(0), **HOME)
    household_membership_record(person=person, agency=police, start_date=_day(100), **ELSEWHERE)
    old.refresh_from_db()
    assert old.end_date == _day(100)
    assert not HouseholdDisagreement.objects.exists()


def test_another_agencys_different_address_keeps_both_accounts_and_flags_them(police, housing):
    person = PersonFactory()
    standing = household_membership_record(person=person, agency=police, start_date=_day(0), **HOME)
    claimed = household_membership_record(person=person, agency=housing, start_date=_day(100), **ELSEWHERE)
    standing.refresh_from_db()
    assert standing.end_date is None
    assert set(HouseholdMembership.objects.filter(person=person, end_date__isnull=True)) == {standing, claimed}
    disagreement = HouseholdDisagreement.objects.get()
    assert (disagreement.kind, disagreement.standing, disagreement.claimed_membership) == (
        DisagreementKind.DIFFERENT_ADDRESS,
        standing,
        claimed,
    )
    assert disagreement.claimed_by_agency == housing


def test_moved_out_said_by_another_agency_is_flagged_not_applied(police, housing):
    man = PersonFactory()
    membership = household_membership_record(person=man, agency=police, start_date=_day(0), **HOME)
    disagreement = household_membership_end(membership=membership, end_date=_day(50), agency=housing)
    membership.refresh_from_db()
    assert membership.end_date is None
    assert (disagreement.kind, disagreement.claimed_end_date) == (DisagreementKind.MOVED_OUT, _day(50))


def test_an_agency_ends_its_own_membership(police):
    membership = household_membership_record(person=PersonFactory(), agency=police, start_date=_day(0), **HOME)
    assert household_membership_end(membership=membership, end_date=_day(50), agency=police) is None
    membership.refresh_from_db()
    assert membership.end_date == _day(50)


def test_a_lead_practitioners_change_stands_over_another_agencys_account(police):
    lead = PractitionerFactory(roles=[RoleCode.LEAD_PRACTITIONER])
    membership = household_membership_record(person=PersonFactory(), agency=police, start_date=_day(0), **HOME)
    household_membership_end(membership=membership, end_date=_day(50), agency=lead.agency, recorded_by=lead)
    membership.refresh_from_db()
    assert membership.end_date == _day(50)


def test_moving_out_before_moving_in_is_refused(police):
    with pytest.raises(ValidationError) as error:
        household_membership_record(person=PersonFactory(), agency=police, start_date=_day(9), end_date=_day(1), **HOME)
    assert "end_date" in error.value.message_dict


def test_an_address_without_a_real_postcode_is_refused_by_field(police):
    with pytest.raises(ValidationError) as error:
        household_membership_record(
            person=PersonFactory(), agency=police, start_date=_day(0), **{**HOME, "postcode": "X"}
        )
    assert "postcode" in error.value.message_dict


def test_open_disagreements_are_listed_for_whoever_may_see_the_person(police, housing):
    person = PersonFactory()
    household_membership_record(person=person, agency=police, start_date=_day(0), **HOME)
    household_membership_record(person=person, agency=housing, start_date=_day(10), **ELSEWHERE)
    lead = PractitionerFactory(roles=[RoleCode.LEAD_PRACTITIONER])
    InvolvementFactory(person=person, agency=lead.agency)
    assert household_disagreements_open(user=lead, person=person).count() == 1
    stranger = PractitionerFactory()
    assert not household_disagreements_open(user=stranger, person=person).exists()


def test_a_resolved_disagreement_is_no_longer_open(police, housing):
    person = PersonFactory()
    household_membership_record(person=person, agency=police, start_date=_day(0), **HOME)
    household_membership_record(person=person, agency=housing, start_date=_day(10), **ELSEWHERE)
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    disagreement_resolve(
        disagreement=HouseholdDisagreement.objects.get(),
        resolved_by=front_door,
        stands="second",
        resolution="Housing is right",
    )
    assert not household_disagreements_open(user=front_door, person=person).exists()
    assert AccessLogEntry.objects.filter(page="household-disagreement", practitioner=front_door).exists()
