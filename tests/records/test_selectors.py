import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cylch.access.services import break_glass
from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry, AccessOutcome
from cylch.people.models import Person
from cylch.records.selectors.caseload import caseload
from cylch.records.selectors.chronology import ChronologyFilter
from cylch.records.selectors.person import person_record
from cylch.records.selectors.search import person_search
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PersonNameFactory,
    PractitionerFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioner():
    return PractitionerFactory()


@pytest.fixture
def cerys():
    return PersonFactory(given_name="Cerys", family_name="Williams", date_of_birth=datetime.date(2016, 4, 3))


@pytest.mark.parametrize("typed", ["Cerys Williams", "Ceris Wiliams", "cerys williams", "Cerys Willaims"])
def test_search_finds_a_misspelt_name(practitioner, cerys, typed):
    results = person_search(user=practitioner, name=typed)
    assert cerys in [r.person for r in results]


def test_search_finds_a_previous_surname(practitioner, cerys):
    PersonNameFactory(person=cerys, given_name="Cerys", family_name="Pritchard")
    assert cerys in [r.person for r in person_search(user=practitioner, name="Cerys Pritchard")]


def test_search_does_not_return_unrelated_names(practitioner, cerys):
    PersonFactory(given_name="Osian", family_name="Roberts")
    assert person_search(user=practitioner, name="Osian Roberts")[0].person.family_name == "Roberts"
    assert cerys not in [r.person for r in person_search(user=practitioner, name="Osian Roberts")]


def test_search_by_the_start_of_a_surname_finds_it(practitioner, cerys):
    assert cerys in [r.person for r in person_search(user=practitioner, name="Willi")]


def test_a_single_word_is_also_tried_as_a_first_name(practitioner, cerys):
    assert cerys in [r.person for r in person_search(user=practitioner, name="Cerys")]


def test_search_lists_the_closest_name_first_and_scores_each_result(practitioner, cerys):
    PersonFactory(given_name="Carys", family_name="Williams")
    PersonFactory(given_name="Aled", family_name="Williams")
    results = person_search(user=practitioner, name="Cerys Williams")
    assert results[0].person == cerys
    assert results[0].score == 1.0
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_search_by_date_of_birth_includes_a_day_month_swap(practitioner, cerys):
    assert cerys in [r.person for r in person_search(user=practitioner, date_of_birth=datetime.date(2016, 3, 4))]


def test_search_by_nhs_number_ignores_spaces(practitioner, cerys):
    typed = f"{cerys.nhs_number[:3]} {cerys.nhs_number[3:6]} {cerys.nhs_number[6:]}"
    assert [r.person for r in person_search(user=practitioner, nhs_number=typed)] == [cerys]


def test_search_with_nothing_typed_returns_nothing(practitioner, cerys):
    assert person_search(user=practitioner) == []


def test_search_marks_people_outside_the_practitioners_involvement_as_restricted(practitioner, cerys):
    other = PersonFactory(given_name="Cerys", family_name="Williams")
    InvolvementFactory(person=other, agency=practitioner.agency)
    results = {r.person: r.detail_allowed for r in person_search(user=practitioner, name="Cerys Williams")}
    assert results == {other: True, cerys: False}


def test_search_logs_every_person_listed(practitioner, cerys):
    person_search(user=practitioner, name="Cerys Williams")
    entry = AccessLogEntry.objects.get(person=cerys)
    assert (entry.page, entry.outcome) == ("person-search", AccessOutcome.RESTRICTED)


def test_merged_records_are_not_found(practitioner, cerys):
    survivor = PersonFactory(given_name="Cerys", family_name="Williams")
    Person.objects.filter(pk=cerys.pk).update(merged_into=survivor)
    assert [r.person for r in person_search(user=practitioner, name="Cerys Williams")] == [survivor]


def test_caseload_lists_active_involvements_of_the_agency_with_own_allocations_first(practitioner):
    theirs = InvolvementFactory(agency=practitioner.agency, person__family_name="Aaron").person
    mine = InvolvementFactory(agency=practitioner.agency, practitioner=practitioner, person__family_name="Zed").person
    InvolvementFactory(agency=AgencyFactory())
    assert list(caseload(user=practitioner)) == [mine, theirs]


def test_person_record_with_involvement_shows_detail_and_logs_it(practitioner, cerys):
    InvolvementFactory(person=cerys, agency=practitioner.agency)
    membership = HouseholdMembershipFactory(person=cerys)
    sibling = HouseholdMembershipFactory(household=membership.household).person
    record = person_record(user=practitioner, cylch_id=cerys.cylch_id, page="person-detail")
    assert record.detail_allowed
    assert [m.person for m in record.household_members[membership.household_id]] == [sibling]
    assert AccessLogEntry.objects.filter(person=cerys, outcome=AccessOutcome.DETAIL).count() == 1


def test_person_record_without_involvement_shows_only_contacts_and_logs_it(practitioner, cerys):
    involvement = InvolvementFactory(person=cerys)
    ChronologyEventFactory(person=cerys, agency=involvement.agency)
    record = person_record(user=practitioner, cylch_id=cerys.cylch_id, page="person-detail")
    assert not record.detail_allowed
    assert list(record.chronology) == []
    assert [c.agency for c in record.contacts] == [involvement.agency]
    assert AccessLogEntry.objects.filter(person=cerys, outcome=AccessOutcome.RESTRICTED).count() == 1


def test_chronology_filters_by_agency_and_period(practitioner, cerys):
    InvolvementFactory(person=cerys, agency=practitioner.agency)
    police = AgencyFactory(kind="police")
    now = timezone.now()
    recent_police = ChronologyEventFactory(person=cerys, agency=police, occurred_at=now - datetime.timedelta(days=5))
    ChronologyEventFactory(person=cerys, agency=police, occurred_at=now - datetime.timedelta(days=400))
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, occurred_at=now - datetime.timedelta(days=5))
    record = person_record(
        user=practitioner,
        cylch_id=cerys.cylch_id,
        page="person-detail",
        chronology_filter=ChronologyFilter(agency_id=police.pk, date_from=(now - datetime.timedelta(days=30)).date()),
    )
    assert list(record.chronology) == [recent_police]
    assert set(record.chronology_agencies) == {police, practitioner.agency}


@pytest.mark.parametrize(
    ("by_agency", "kind", "expected"), [(False, "", 3), (True, "", 2), (True, "home_visit", 1), (False, "note", 1)]
)
def test_chronology_count_comes_with_the_filter_facets(practitioner, cerys, by_agency, kind, expected):
    InvolvementFactory(person=cerys, agency=practitioner.agency)
    police = AgencyFactory(kind="police")
    ChronologyEventFactory(person=cerys, agency=police, kind="home_visit")
    ChronologyEventFactory(person=cerys, agency=police, kind="note")
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, kind="referral")
    chronology_filter = ChronologyFilter(agency_id=police.pk if by_agency else None, kind=kind)
    record = person_record(
        user=practitioner, cylch_id=cerys.cylch_id, page="person-detail", chronology_filter=chronology_filter
    )
    assert record.chronology_count == expected == record.chronology.count()
    assert record.chronology_kinds == ["home_visit", "note", "referral"]


def test_a_date_filter_leaves_the_count_to_the_database(practitioner, cerys):
    InvolvementFactory(person=cerys, agency=practitioner.agency)
    ChronologyEventFactory(person=cerys, agency=practitioner.agency)
    chronology_filter = ChronologyFilter(date_from=timezone.localdate())
    record = person_record(
        user=practitioner, cylch_id=cerys.cylch_id, page="person-detail", chronology_filter=chronology_filter
    )
    assert record.chronology_count is None


def test_person_record_for_unknown_id_raises_does_not_exist(practitioner):
    with pytest.raises(Person.DoesNotExist):
        person_record(user=practitioner, cylch_id="NOPE", page="person-detail")


def test_caseload_logs_every_person_listed(practitioner):
    child = InvolvementFactory(agency=practitioner.agency).person
    caseload(user=practitioner)
    entry = AccessLogEntry.objects.get(person=child)
    assert (entry.page, entry.outcome) == ("caseload", AccessOutcome.DETAIL)


# --- the "why" of each listed person's audit entry ---


def test_a_front_door_search_logs_the_front_door_basis_and_what_it_was_by(cerys):
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    person_search(user=front_door, name="Cerys Williams", date_of_birth=cerys.date_of_birth)
    entry = AccessLogEntry.objects.get(page="person-search", person=cerys)
    assert entry.reason == "front_door; search by name and date of birth"


def test_a_search_logs_the_involvement_a_practitioner_sees_detail_through(practitioner, cerys):
    InvolvementFactory(person=cerys, agency=practitioner.agency)
    person_search(user=practitioner, name="Cerys Williams")
    assert AccessLogEntry.objects.get(page="person-search", person=cerys).reason == "involvement; search by name"


def test_a_search_logs_the_grant_a_practitioner_sees_detail_through(practitioner, cerys):
    grant = break_glass(user=practitioner, person=cerys, reason="Child in the emergency department at 2am")
    person_search(user=practitioner, nhs_number=cerys.nhs_number)
    entry = AccessLogEntry.objects.get(page="person-search", person=cerys)
    assert entry.reason == f"grant {grant.pk}; search by NHS number"


def test_a_restricted_search_result_logs_that_only_a_summary_was_listed(practitioner, cerys):
    person_search(user=practitioner, name="Cerys Williams")
    entry = AccessLogEntry.objects.get(page="person-search", person=cerys)
    assert (entry.outcome, entry.reason) == (
        AccessOutcome.RESTRICTED,
        "search by name",
    )


def test_the_search_reason_holds_no_search_terms(practitioner, cerys):
    person_search(user=practitioner, name="Cerys Williams", nhs_number=cerys.nhs_number)
    reason = AccessLogEntry.objects.get(page="person-search", person=cerys).reason
    assert "Cerys" not in reason
    assert cerys.nhs_number not in reason


def test_a_search_finds_each_basis_without_a_query_per_person(practitioner):
    def queries_to_search() -> int:
        with CaptureQueriesContext(connection) as captured:
            person_search(user=practitioner, name="Cerys Williams")
        return len(captured)

    def involved_and_stranger() -> None:
        InvolvementFactory(person=PersonFactory(given_name="Cerys", family_name="Williams"), agency=practitioner.agency)
        PersonFactory(given_name="Cerys", family_name="Williams")

    practitioner.role_codes()  # fetched once per request, not per search
    involved_and_stranger()
    once = queries_to_search()
    for _ in range(3):
        involved_and_stranger()
    assert queries_to_search() == once


def test_caseload_logs_the_involvement_and_says_when_the_child_is_allocated_to_me(practitioner):
    theirs = InvolvementFactory(agency=practitioner.agency).person
    mine = InvolvementFactory(agency=practitioner.agency, practitioner=practitioner).person
    caseload(user=practitioner)
    reasons = dict(AccessLogEntry.objects.filter(page="caseload").values_list("person_id", "reason"))
    assert reasons == {mine.pk: "involvement; allocated to me", theirs.pk: "involvement"}
