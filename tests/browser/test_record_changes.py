"""#14 in a real browser, in English and in Welsh: a health visitor adds an event to a child's chronology from the
single view, the front door changes the family's address and records someone moving in, and the lead practitioner
resolves two agencies' disagreement about where the child lives.

The pages are driven by their fields' names and the links' addresses, so one test serves both languages; each
checks that the page really was in the language chosen."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.chronology.models import ChronologyEvent
from cylch.feeds import services
from cylch.people.models import HouseholdMembership
from tests.browser.test_front_door_loop import sign_in
from tests.factories import (
    AgencyFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = ["en", "cy"]


def _choose(page, language: str) -> None:
    if language == "cy":
        page.get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == language


def _date(page, prefix: str, day: datetime.date) -> None:
    page.fill(f"input[name={prefix}_day]", str(day.day))
    page.fill(f"input[name={prefix}_month]", str(day.month))
    page.fill(f"input[name={prefix}_year]", str(day.year))


def _submit(page) -> None:
    page.locator("main form button[type=submit]").last.click()


@pytest.fixture
def family():
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES, name="Cyngor Test")
    child = PersonFactory(given_name="Cerys", family_name="Llewellyn", date_of_birth=datetime.date(2019, 5, 9))
    home = HouseholdFactory(local_authority=council.local_authority, address_line_1="1 Stryd Fawr")
    HouseholdMembershipFactory(person=child, household=home, start_date=datetime.date(2020, 1, 1))
    return council, child


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_health_visitor_adds_an_event_from_the_single_view(page, live_server, family, language):
    _council, child = family
    visitor = PractitionerFactory(username=f"hv.{language}", roles=[RoleCode.AGENCY_PRACTITIONER])
    InvolvementFactory(person=child, agency=visitor.agency)
    sign_in(page, live_server, visitor.username)
    _choose(page, language)
    page.goto(f"{live_server.url}/people/{child.cylch_id}/")
    page.locator(f"a[href='/people/{child.cylch_id}/events/new/']").click()
    assert page.locator("html").get_attribute("lang") == language
    page.select_option("select[name=kind]", "home_visit")
    _date(page, "occurred_on", timezone.localdate() - datetime.timedelta(days=1))
    page.fill("input[name=summary]", "Seen at home with her mother.")
    page.fill("textarea[name=child_words]", "I like my new bed.")
    _submit(page)
    body = page.locator("main").inner_text()
    assert "Seen at home with her mother." in body
    assert "I like my new bed." in body
    event = ChronologyEvent.objects.get(person=child)
    assert (event.agency, event.recorded_by) == (visitor.agency, visitor)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_front_door_changes_the_address_and_someone_moves_in(page, live_server, family, language):
    council, child = family
    PractitionerFactory(username=f"mash.{language}", agency=council, roles=[RoleCode.FRONT_DOOR])
    partner = PersonFactory(given_name="Dai", family_name="Morgan", date_of_birth=datetime.date(1990, 2, 2))
    moved = timezone.localdate() - datetime.timedelta(days=10)
    sign_in(page, live_server, f"mash.{language}")
    _choose(page, language)
    page.goto(f"{live_server.url}/people/{child.cylch_id}/")
    page.locator(f"a[href='/people/{child.cylch_id}/household/']").click()
    page.locator(f"a[href='/people/{child.cylch_id}/household/move/']").click()
    page.fill("input[name=address_line_1]", "2 Heol Newydd")
    page.fill("input[name=town]", "Caerdydd")
    page.fill("input[name=postcode]", "CF10 1AA")
    _date(page, "start_date", moved)
    _submit(page)
    page.locator(f"a[href='/people/{child.cylch_id}/household/members/new/']").click()
    page.fill("input[name=member]", partner.cylch_id)
    _date(page, "start_date", moved)
    _submit(page)
    assert page.locator("html").get_attribute("lang") == language
    body = page.locator("main").inner_text()
    assert "1 Stryd Fawr" in body  # the old address stays in the history
    assert "2 Heol Newydd" in body
    assert "Dai Morgan" in body
    assert "Cyngor Test" in body  # who recorded it
    assert HouseholdMembership.objects.get(person=partner).household.address_line_1 == "2 Heol Newydd"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_lead_practitioner_resolves_a_disagreement_between_agencies(page, live_server, family, language):
    council, child = family
    police = AgencyFactory(kind=AgencyKind.POLICE, name="Heddlu Test")
    services.household_membership_record(
        person=child,
        agency=police,
        start_date=timezone.localdate() - datetime.timedelta(days=3),
        address_line_1="9 Lôn Goch",
        town="Y Barri",
        postcode="CF62 1AA",
    )
    lead = PractitionerFactory(username=f"lead.{language}", agency=council, roles=[RoleCode.LEAD_PRACTITIONER])
    InvolvementFactory(person=child, agency=council)
    disagreement = child.household_disagreements.get()
    sign_in(page, live_server, lead.username)
    _choose(page, language)
    page.goto(f"{live_server.url}/people/{child.cylch_id}/")
    page.locator(f"a[href='/people/{child.cylch_id}/household/#disagreements']").click()
    page.locator(f"a[href='/people/{child.cylch_id}/household/disagreements/{disagreement.pk}/resolve/']").click()
    assert page.locator("html").get_attribute("lang") == language
    body = page.locator("main").inner_text()
    assert "1 Stryd Fawr" in body
    assert "9 Lôn Goch" in body
    page.locator("input[name=stands][value=second]").check()
    page.fill("textarea[name=resolution]", "Checked with the school: the family moved.")
    _submit(page)
    assert page.locator("#disagreements").count() == 0
    disagreement.refresh_from_db()
    assert (disagreement.resolved_by, disagreement.stands) == (lead, "second")
    assert HouseholdMembership.objects.get(person=child, household=disagreement.standing.household).end_date
