"""Settling a disagreement between agencies: whose account stands decides what the record says, every account
stays in the history, and only the front door and lead practitioners settle."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.audit.models import AccessLogEntry
from cylch.feeds.models import HouseholdDisagreement, RelationshipDisagreement, RelationshipDisagreementKind
from cylch.feeds.selectors import relationship_disagreements_open
from cylch.feeds.services import (
    disagreement_resolve,
    household_membership_end,
    household_membership_record,
    relationship_end,
    relationship_record,
)
from cylch.people.models import HouseholdMembership, Relationship
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

HOME = {"address_line_1": "1 Heol Fawr", "town": "Caerdydd", "postcode": "CF10 1AA"}
ELSEWHERE = {"address_line_1": "9 Lôn Isaf", "town": "Casnewydd", "postcode": "NP20 1AA"}


def _day(n: int) -> datetime.date:
    return datetime.date(2025, 1, 1) + datetime.timedelta(days=n)


@pytest.fixture
def police():
    return AgencyFactory(kind=AgencyKind.POLICE)


@pytest.fixture
def health():
    return AgencyFactory(kind=AgencyKind.HEALTH_VISITING)


@pytest.fixture
def lead():
    return PractitionerFactory(roles=[RoleCode.LEAD_PRACTITIONER])


def test_another_agencys_different_relationship_stands_beside_the_first_and_is_flagged(police, health):
    child, man = PersonFactory(), PersonFactory()
    first = relationship_record(person=child, relative=man, kind="parent", agency=police)
    second = relationship_record(person=child, relative=man, kind="partner_of_parent", agency=health)
    disagreement = RelationshipDisagreement.objects.get()
    assert (disagreement.kind, disagreement.standing, disagreement.claimed_relationship) == (
        RelationshipDisagreementKind.DIFFERENT_KIND,
        first,
        second,
    )
    assert Relationship.objects.filter(end_date__isnull=True).count() == 2


def test_the_same_agency_changing_its_own_account_is_not_a_disagreement(police):
    child, man = PersonFactory(), PersonFactory()
    relationship_record(person=child, relative=man, kind="parent", agency=police)
    relationship_record(person=child, relative=man, kind="step_parent", agency=police)
    assert not RelationshipDisagreement.objects.exists()


def test_a_carers_role_beside_a_relationship_is_not_a_disagreement(police, health):
    child, grandmother = PersonFactory(), PersonFactory()
    relationship_record(person=child, relative=grandmother, kind="grandparent", agency=police)
    relationship_record(person=child, relative=grandmother, kind="kinship_carer", agency=health)
    assert not RelationshipDisagreement.objects.exists()


def test_another_agency_saying_a_relationship_ended_is_flagged_not_applied(police, health):
    child, man = PersonFactory(), PersonFactory()
    relationship = relationship_record(person=child, relative=man, kind="partner_of_parent", agency=police)
    flagged = relationship_end(relationship=relationship, end_date=_day(30), agency=health)
    relationship.refresh_from_db()
    assert relationship.end_date is None
    assert flagged is not None
    assert (flagged.kind, flagged.claimed_end_date) == (RelationshipDisagreementKind.ENDED, _day(30))
    assert relationship_end(relationship=relationship, end_date=_day(30), agency=health) == flagged


def test_relationship_disagreements_are_listed_only_for_whoever_may_see_the_person(police, health, lead):
    child, man = PersonFactory(), PersonFactory()
    relationship_record(person=child, relative=man, kind="parent", agency=police)
    relationship_record(person=child, relative=man, kind="partner_of_parent", agency=health)
    InvolvementFactory(person=child, agency=lead.agency)
    assert relationship_disagreements_open(user=lead, person=child).count() == 1
    assert not relationship_disagreements_open(user=PractitionerFactory(), person=child).exists()


def test_when_the_second_account_of_a_move_stands_the_first_address_ends_that_day(police, health, lead):
    person = PersonFactory()
    standing = household_membership_record(person=person, agency=police, start_date=_day(0), **HOME)
    household_membership_end(membership=standing, end_date=_day(40), agency=health)
    disagreement_resolve(
        disagreement=HouseholdDisagreement.objects.get(), resolved_by=lead, stands="second", resolution="Seen"
    )
    standing.refresh_from_db()
    assert standing.end_date == _day(40)
    assert HouseholdDisagreement.objects.get().stands == "second"


def test_when_the_first_address_stands_the_second_ends_the_day_it_began(police, health, lead):
    person = PersonFactory()
    household_membership_record(person=person, agency=police, start_date=_day(0), **HOME)
    claimed = household_membership_record(person=person, agency=health, start_date=_day(10), **ELSEWHERE)
    disagreement_resolve(
        disagreement=HouseholdDisagreement.objects.get(), resolved_by=lead, stands="first", resolution="Checked"
    )
    claimed.refresh_from_db()
    assert claimed.end_date == _day(10)
    assert HouseholdMembership.objects.filter(person=person, end_date__isnull=True).count() == 1


def test_when_the_second_relationship_stands_the_first_ends_and_both_stay_in_the_history(police, health, lead):
    child, man = PersonFactory(), PersonFactory()
    first = relationship_record(person=child, relative=man, kind="parent", agency=police)
    relationship_record(person=child, relative=man, kind="partner_of_parent", agency=health)
    disagreement_resolve(
        disagreement=RelationshipDisagreement.objects.get(), resolved_by=lead, stands="second", resolution="DNA"
    )
    first.refresh_from_db()
    assert first.end_date is not None
    assert Relationship.objects.filter(person=child).count() == 2
    assert AccessLogEntry.objects.filter(page="relationship-disagreement", practitioner=lead).count() == 1


def test_only_the_front_door_and_lead_practitioners_settle(police, health):
    child, man = PersonFactory(), PersonFactory()
    relationship_record(person=child, relative=man, kind="parent", agency=police)
    relationship_record(person=child, relative=man, kind="sibling", agency=health)
    with pytest.raises(PermissionDenied):
        disagreement_resolve(
            disagreement=RelationshipDisagreement.objects.get(),
            resolved_by=PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER]),
            stands="first",
            resolution="Mine",
        )


def test_settling_needs_whose_account_stands_and_why(police, health, lead):
    child, man = PersonFactory(), PersonFactory()
    relationship_record(person=child, relative=man, kind="parent", agency=police)
    relationship_record(person=child, relative=man, kind="sibling", agency=health)
    with pytest.raises(ValidationError) as error:
        disagreement_resolve(
            disagreement=RelationshipDisagreement.objects.get(), resolved_by=lead, stands="", resolution=" "
        )
    assert set(error.value.message_dict) == {"stands", "resolution"}
    assert RelationshipDisagreement.objects.get().resolved_at is None
