"""Changing a record on the web (#14): a chronology event, households, relationships and statuses, each a
can/cannot pair, with history and provenance shown."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.audit.models import AccessLogEntry, AccessOutcome
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.feeds import services
from cylch.people.models import HouseholdMembership, Relationship, StatutoryStatus
from tests.factories import (
    AgencyFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
)

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _date(prefix: str, day: datetime.date) -> dict[str, str]:
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


@pytest.fixture
def child():
    return PersonFactory(given_name="Cerys", family_name="Llewellyn", date_of_birth=datetime.date(2016, 5, 9))


@pytest.fixture
def council(child):
    return AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES, name="Cyngor Test")


@pytest.fixture
def health_visitor(child):
    user = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    InvolvementFactory(person=child, agency=user.agency)
    return user


@pytest.fixture
def front_door(council):
    return PractitionerFactory(agency=council, roles=[RoleCode.FRONT_DOOR])


@pytest.fixture
def social_worker(council, child):
    user = PractitionerFactory(agency=council, roles=[RoleCode.LEAD_PRACTITIONER])
    InvolvementFactory(person=child, agency=council)
    return user


@pytest.fixture
def home(child, council):
    household = HouseholdFactory(local_authority=council.local_authority, address_line_1="1 Stryd Fawr")
    HouseholdMembershipFactory(person=child, household=household, start_date=datetime.date(2020, 1, 1))
    return household


def _event(**overrides):
    data = {"kind": EventKind.HOME_VISIT, "summary": "Seen at home.", "sensitivity": "standard"}
    data |= _date("occurred_on", YESTERDAY)
    return data | overrides


# --- a chronology event ---


def test_a_practitioner_whose_agency_works_with_the_child_adds_an_event(client, child, health_visitor):
    client.force_login(health_visitor)
    response = client.post(f"/people/{child.cylch_id}/events/new/", _event(child_words="I like my new bed."))
    assert response.status_code == 302
    event = ChronologyEvent.objects.get(person=child)
    assert (event.agency, event.recorded_by, event.child_words) == (
        health_visitor.agency,
        health_visitor,
        "I like my new bed.",
    )
    page = client.get(f"/people/{child.cylch_id}/").content.decode()
    assert "Seen at home." in page
    assert "Add an event to the chronology" in page


def test_the_details_typed_with_an_event_show_on_the_chronology(client, child, health_visitor):
    client.force_login(health_visitor)
    client.post(f"/people/{child.cylch_id}/events/new/", _event(details="Bedroom warm.\nFood in the fridge."))
    page = client.get(f"/people/{child.cylch_id}/").content.decode()
    assert "Bedroom warm.<br>Food in the fridge." in page


def test_the_details_an_agencys_system_sent_show_on_the_chronology_by_field(client, child, health_visitor):
    services.chronology_event_record(
        person=child,
        agency=AgencyFactory(kind=AgencyKind.POLICE),
        kind=EventKind.DOMESTIC_ABUSE_INCIDENT,
        occurred_at=timezone.now() - datetime.timedelta(days=2),
        summary="Officers attended",
        details={"crime_reference": "DP/2026/1234", "children_present": 2},
    )
    client.force_login(health_visitor)
    page = client.get(f"/people/{child.cylch_id}/").content.decode()
    assert "Crime reference" in page
    assert "DP/2026/1234" in page
    assert "Children present" in page


def test_the_references_cylch_keeps_with_its_own_events_are_not_shown_as_details(client, child, social_worker):
    services.statutory_status_start(
        person=child,
        kind="looked_after",
        local_authority=social_worker.agency.local_authority,
        start_date=YESTERDAY,
        agency=social_worker.agency,
    )
    client.force_login(social_worker)
    page = client.get(f"/people/{child.cylch_id}/").content.decode()
    assert "Became looked after" in page
    assert "Local authority</dt>" not in page


def test_a_practitioner_whose_agency_does_not_work_with_the_child_cannot_add_an_event(client, child):
    client.force_login(PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER]))
    assert client.get(f"/people/{child.cylch_id}/events/new/").status_code == 403
    assert client.post(f"/people/{child.cylch_id}/events/new/", _event()).status_code == 403
    assert not ChronologyEvent.objects.exists()
    assert AccessLogEntry.objects.filter(page="chronology-event-new", outcome=AccessOutcome.REFUSED).count() == 2


def test_an_event_without_a_summary_is_shown_with_an_error_summary(client, child, health_visitor):
    client.force_login(health_visitor)
    response = client.post(f"/people/{child.cylch_id}/events/new/", _event(summary=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a summary of what happened." in page
    assert not ChronologyEvent.objects.exists()


def test_an_event_for_an_unknown_cylch_id_is_404(client, health_visitor):
    client.force_login(health_visitor)
    assert client.get("/people/T00000000B/events/new/").status_code == 404


# --- households and relationships ---


def test_the_front_door_changes_an_address_and_the_old_one_stays_in_the_history(client, child, home, front_door):
    client.force_login(front_door)
    response = client.post(
        f"/people/{child.cylch_id}/household/move/",
        {
            "address_line_1": "2 Heol Newydd",
            "town": "Caerdydd",
            "postcode": "CF10 1AA",
            **_date("start_date", YESTERDAY),
        },
    )
    assert response.status_code == 302
    old, new = HouseholdMembership.objects.filter(person=child).order_by("start_date")
    assert (old.end_date, new.end_date, new.recorded_by_agency) == (YESTERDAY, None, front_door.agency)
    page = client.get(f"/people/{child.cylch_id}/household/").content.decode()
    assert "1 Stryd Fawr" in page
    assert "2 Heol Newydd" in page
    assert "Recorded by Cyngor Test" in page


def test_the_lead_practitioner_records_someone_moving_in_and_out(client, child, home, social_worker):
    client.force_login(social_worker)
    partner = PersonFactory(given_name="Dai", family_name="Morgan")
    client.post(
        f"/people/{child.cylch_id}/household/members/new/",
        {"member": partner.cylch_id, **_date("start_date", datetime.date(2024, 2, 1))},
    )
    joined = HouseholdMembership.objects.get(person=partner, household=home)
    client.post(f"/people/{child.cylch_id}/household/members/{joined.pk}/moved-out/", _date("end_date", YESTERDAY))
    joined.refresh_from_db()
    assert joined.end_date == YESTERDAY
    page = client.get(f"/people/{child.cylch_id}/household/").content.decode()
    assert "Dai Morgan" in page
    assert YESTERDAY.strftime("%-d %B %Y") in page


def test_an_agency_practitioner_cannot_edit_households(client, child, home, health_visitor):
    client.force_login(health_visitor)
    assert client.get(f"/people/{child.cylch_id}/household/").status_code == 403
    assert client.post(f"/people/{child.cylch_id}/household/move/", {}).status_code == 403


def test_two_agencies_accounts_of_an_address_are_both_shown(client, child, home, front_door):
    police = AgencyFactory(kind=AgencyKind.POLICE, name="Heddlu Test")
    services.household_membership_record(
        person=child,
        agency=police,
        start_date=YESTERDAY,
        address_line_1="9 Lôn Goch",
        town="Y Barri",
        postcode="CF62 1AA",
    )
    client.force_login(front_door)
    page = client.get(f"/people/{child.cylch_id}/household/").content.decode()
    assert "Agencies disagree about this person's home or relationships" in page
    assert "1 Stryd Fawr" in page
    assert "9 Lôn Goch" in page
    assert "Recorded by Heddlu Test" in page


def test_a_relationship_ended_on_the_web_stays_with_its_dates(client, child, front_door):
    client.force_login(front_door)
    father = PersonFactory(given_name="Rhys", family_name="Llewellyn")
    client.post(
        f"/people/{child.cylch_id}/relationships/new/",
        {"relative": father.cylch_id, "kind": "parent", **_date("start_date", datetime.date(2016, 5, 9))},
    )
    relationship = Relationship.objects.get(person=child, relative=father)
    client.post(f"/people/{child.cylch_id}/relationships/{relationship.pk}/end/", _date("end_date", YESTERDAY))
    relationship.refresh_from_db()
    assert relationship.end_date == YESTERDAY
    assert relationship.recorded_by_agency == front_door.agency
    assert "Rhys Llewellyn" in client.get(f"/people/{child.cylch_id}/household/").content.decode()


def test_an_unknown_relative_is_a_field_error(client, child, front_door):
    client.force_login(front_door)
    response = client.post(f"/people/{child.cylch_id}/relationships/new/", {"relative": "T00000000B", "kind": "parent"})
    assert response.status_code == 400
    assert "No one has this Cylch ID" in response.content.decode()


# --- register and looked-after status ---


def test_the_local_authority_registers_a_child_with_a_category_and_ends_it(client, child, social_worker):
    client.force_login(social_worker)
    client.post(
        f"/people/{child.cylch_id}/statuses/new/",
        {"kind": "cp_register", "category": "NEG", **_date("start_date", datetime.date(2025, 1, 6))},
    )
    status = StatutoryStatus.objects.get(person=child)
    assert (status.category, status.recorded_by_agency) == ("NEG", social_worker.agency)
    assert ChronologyEvent.objects.filter(person=child, kind=EventKind.REGISTERED).exists()
    client.post(f"/people/{child.cylch_id}/statuses/{status.pk}/end/", _date("end_date", YESTERDAY))
    status.refresh_from_db()
    assert status.end_date == YESTERDAY


def test_registration_without_a_category_is_refused_with_the_reason(client, child, social_worker):
    client.force_login(social_worker)
    response = client.post(
        f"/people/{child.cylch_id}/statuses/new/", {"kind": "cp_register", **_date("start_date", YESTERDAY)}
    )
    assert response.status_code == 400
    assert "Registration needs a category of abuse" in response.content.decode()
    assert not StatutoryStatus.objects.exists()


def test_another_agency_cannot_record_a_status(client, child, health_visitor):
    client.force_login(health_visitor)
    assert client.post(f"/people/{child.cylch_id}/statuses/new/", {"kind": "looked_after"}).status_code == 403


def test_the_lead_practitioner_is_told_of_a_disagreement_on_the_single_view(client, child, home, social_worker):
    police = AgencyFactory(kind=AgencyKind.POLICE)
    services.household_membership_record(
        person=child,
        agency=police,
        start_date=YESTERDAY,
        address_line_1="9 Lôn Goch",
        town="Y Barri",
        postcode="CF62 1AA",
    )
    client.force_login(social_worker)
    page = client.get(f"/people/{child.cylch_id}/").content.decode()
    assert "Agencies disagree about this person's home or relationships (1 account to resolve)." in page
    assert f"/people/{child.cylch_id}/household/#disagreements" in page


# --- every role against every change page, involved or not (generated, as tests/access/test_access_matrix.py) ---

FRONT_DOOR_ROLES = {RoleCode.FRONT_DOOR, RoleCode.FRONT_DOOR_MANAGER}
CASEWORK = {RoleCode.AGENCY_PRACTITIONER, RoleCode.LEAD_PRACTITIONER, *FRONT_DOOR_ROLES}


@pytest.mark.parametrize("involved", [True, False], ids=["involved", "not-involved"])
@pytest.mark.parametrize("role", list(RoleCode))
def test_each_change_page_is_open_exactly_to_whom_it_should_be(client, child, council, role, involved):
    """The involved agency is children's services, so the register pages are open to its casework roles."""
    agency = council if involved else AgencyFactory()
    if involved:
        InvolvementFactory(person=child, agency=council)
    client.force_login(PractitionerFactory(roles=[role], agency=agency))
    expected = {
        "events/new/": involved and role in CASEWORK,
        "household/": role in FRONT_DOOR_ROLES or (involved and role == RoleCode.LEAD_PRACTITIONER),
        "statuses/new/": involved and role in CASEWORK,
        "allocations/new/": role in FRONT_DOOR_ROLES,
    }
    for path, allowed in expected.items():
        status = client.get(f"/people/{child.cylch_id}/{path}").status_code
        assert status == (200 if allowed else 403), (path, status)


# --- allocation: the front door opens an involvement; nobody gives their own agency one ---


def test_the_front_doors_allocation_opens_an_involvement_that_grants_detail(client, child, front_door):
    school = AgencyFactory(kind=AgencyKind.SCHOOL, name="Ysgol Test")
    client.force_login(front_door)
    response = client.post(
        f"/people/{child.cylch_id}/allocations/new/",
        {"agency": school.pk, "role": "Designated safeguarding lead", **_date("start_date", YESTERDAY)},
    )
    assert response.status_code == 302
    involvement = child.involvements.get(agency=school)
    assert (involvement.recorded_by, involvement.recorded_by_agency) == (front_door, front_door.agency)
    client.force_login(PractitionerFactory(agency=school, roles=[RoleCode.AGENCY_PRACTITIONER]))
    assert "Add an event to the chronology" in client.get(f"/people/{child.cylch_id}/").content.decode()


def test_a_practitioner_cannot_allocate_a_child_to_their_own_agency(client, child, health_visitor):
    client.force_login(health_visitor)
    other = PersonFactory()
    response = client.post(
        f"/people/{other.cylch_id}/allocations/new/",
        {"agency": health_visitor.agency_id, **_date("start_date", YESTERDAY)},
    )
    assert response.status_code == 403
    assert not other.involvements.exists()


def test_the_front_door_ends_an_allocation_and_the_agency_loses_detail_after_that_day(client, child, front_door):
    school = AgencyFactory(kind=AgencyKind.SCHOOL, name="Ysgol Test")
    involvement = InvolvementFactory(person=child, agency=school, start_date=datetime.date(2024, 9, 1))
    client.force_login(front_door)
    assert "Ysgol Test" in client.get(f"/people/{child.cylch_id}/allocations/end/").content.decode()
    response = client.post(
        f"/people/{child.cylch_id}/allocations/end/", {"involvement": involvement.pk, **_date("end_date", YESTERDAY)}
    )
    assert response.status_code == 302
    involvement.refresh_from_db()
    assert involvement.end_date == YESTERDAY
    assert AccessLogEntry.objects.filter(page="involvement-close", practitioner=front_door, person=child).exists()
    client.force_login(PractitionerFactory(agency=school, roles=[RoleCode.AGENCY_PRACTITIONER]))
    assert "Add an event to the chronology" not in client.get(f"/people/{child.cylch_id}/").content.decode()


def test_a_practitioner_cannot_end_their_own_agencys_allocation(client, child, health_visitor):
    involvement = child.involvements.get(agency=health_visitor.agency)
    client.force_login(health_visitor)
    response = client.post(
        f"/people/{child.cylch_id}/allocations/end/", {"involvement": involvement.pk, **_date("end_date", YESTERDAY)}
    )
    assert response.status_code == 403
    involvement.refresh_from_db()
    assert involvement.end_date is None


def test_an_allocation_of_another_child_cannot_be_ended_from_this_childs_page(client, child, front_door):
    elsewhere = InvolvementFactory(person=PersonFactory(), agency=AgencyFactory())
    client.force_login(front_door)
    response = client.post(
        f"/people/{child.cylch_id}/allocations/end/", {"involvement": elsewhere.pk, **_date("end_date", YESTERDAY)}
    )
    assert response.status_code == 400
    elsewhere.refresh_from_db()
    assert elsewhere.end_date is None


@pytest.fixture
def disputed_home(child, home):
    """The police say the child lives elsewhere since yesterday; children's services' account says 1 Stryd Fawr."""
    police = AgencyFactory(kind=AgencyKind.POLICE, name="Heddlu Test")
    services.household_membership_record(
        person=child,
        agency=police,
        start_date=YESTERDAY,
        address_line_1="9 Lôn Goch",
        town="Y Barri",
        postcode="CF62 1AA",
    )
    return child.household_disagreements.get()


def test_the_lead_practitioner_resolves_a_disagreement_and_the_record_follows(
    client, child, disputed_home, social_worker
):
    client.force_login(social_worker)
    url = f"/people/{child.cylch_id}/household/disagreements/{disputed_home.pk}/resolve/"
    page = client.get(url).content.decode()
    assert "1 Stryd Fawr" in page
    assert "9 Lôn Goch" in page
    response = client.post(url, {"stands": "second", "resolution": "Mother confirmed the move."})
    assert response.status_code == 302
    disputed_home.refresh_from_db()
    assert (disputed_home.resolved_by, disputed_home.stands) == (social_worker, "second")
    assert (
        HouseholdMembership.objects.get(person=child, household=disputed_home.standing.household).end_date == YESTERDAY
    )
    assert (
        "Disagreements for the lead practitioner"
        not in client.get(f"/people/{child.cylch_id}/household/").content.decode()
    )


def test_resolving_without_saying_how_is_a_field_error(client, child, disputed_home, front_door):
    client.force_login(front_door)
    response = client.post(
        f"/people/{child.cylch_id}/household/disagreements/{disputed_home.pk}/resolve/", {"stands": "first"}
    )
    assert response.status_code == 400
    assert "Say how the disagreement was resolved." in response.content.decode()
    disputed_home.refresh_from_db()
    assert disputed_home.resolved_at is None


def test_an_agency_practitioner_cannot_resolve_a_disagreement(client, child, disputed_home, health_visitor):
    client.force_login(health_visitor)
    url = f"/people/{child.cylch_id}/household/disagreements/{disputed_home.pk}/resolve/"
    assert client.post(url, {"stands": "first", "resolution": "Mine"}).status_code == 403


def test_a_disagreement_about_someone_else_is_404_from_this_childs_page(client, child, disputed_home, front_door):
    other = PersonFactory()
    client.force_login(front_door)
    assert (
        client.get(f"/people/{other.cylch_id}/household/disagreements/{disputed_home.pk}/resolve/").status_code == 404
    )
    assert (
        client.get(f"/people/{child.cylch_id}/relationships/disagreements/{disputed_home.pk}/resolve/").status_code
        == 404
    )


def test_agencies_disagreeing_about_a_relationship_both_show_on_the_household_page(client, child, front_door):
    man = PersonFactory(given_name="Rhys", family_name="Morgan")
    services.relationship_record(person=child, relative=man, kind="parent", agency=AgencyFactory(name="Heddlu Test"))
    services.relationship_record(
        person=child, relative=man, kind="partner_of_parent", agency=AgencyFactory(name="Bwrdd Iechyd Test")
    )
    client.force_login(front_door)
    page = client.get(f"/people/{child.cylch_id}/household/").content.decode()
    assert "Another agency records a different relationship between them" in page
    assert "Rhys Morgan: parent of Cerys Llewellyn" in page
    assert "Rhys Morgan: partner of a parent of Cerys Llewellyn" in page
    assert "/relationships/disagreements/" in page
