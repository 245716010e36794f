"""The foundation journey in a real browser: sign in, find a child by a misspelt name, open their record."""

from __future__ import annotations

import base64
import datetime
import re

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.sign_in import authenticator_code
from tests.factories import (
    TEST_PASSWORD,
    AgencyFactory,
    AuthenticatorFactory,
    ChronologyEventFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def health_visitor_and_child():
    health_visiting = AgencyFactory(name="Bwrdd Iechyd Test – Health Visiting", kind="health_visiting")
    practitioner = PractitionerFactory(username="hv.test", first_name="Heledd", agency=health_visiting)
    AuthenticatorFactory(user=practitioner)
    child = PersonFactory(given_name="Gwenllian", family_name="Pritchard", date_of_birth=datetime.date(2023, 5, 9))
    InvolvementFactory(person=child, agency=health_visiting, practitioner=practitioner)
    HouseholdMembershipFactory(person=child, household__address_line_1="7 Stryd y Felin")
    ChronologyEventFactory(
        person=child,
        agency=AgencyFactory(name="Heddlu Test Police", kind="police"),
        kind="domestic_abuse_incident",
        summary="Police attended a domestic abuse incident at the home.",
        child_words="Mam was crying",
        occurred_at=timezone.now() - datetime.timedelta(days=10),
    )
    return practitioner, child


def sign_in(page, live_server, username):
    """Password, then the code from the practitioner's authenticator."""
    page.goto(live_server.url + "/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(authenticator_code(TOTPDevice.objects.get(user__username=username)))
    page.get_by_role("button", name="Continue").click()


def test_a_first_sign_in_sets_up_the_authenticator_from_the_key_shown(page, live_server):
    practitioner = PractitionerFactory(username="new.starter")
    page.goto(live_server.url + "/")
    page.get_by_label("Username").fill(practitioner.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Set up two-factor sign-in").is_visible()
    key = base64.b32decode(page.get_by_test_id("secret").inner_text().replace(" ", ""))
    page.get_by_label("Code").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_test_id("recovery-codes").locator("li").count() == 10
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("button", name="Sign out").or_(page.get_by_role("link", name="Sign out")).count() > 0


def test_health_visitor_signs_in_searches_and_opens_a_child(page, live_server, health_visitor_and_child):
    practitioner, child = health_visitor_and_child
    sign_in(page, live_server, practitioner.username)
    page.get_by_role("link", name=re.compile("Find a person")).first.click()
    page.get_by_label("Name").fill("Gwenlian Prichard")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile("Gwenllian Pritchard")).click()

    assert page.get_by_role("heading", name=re.compile("Gwenllian Pritchard")).is_visible()
    body = page.locator("main").inner_text()
    assert child.cylch_id in body.replace(" ", "").replace("-", "")
    assert "7 Stryd y Felin" in body
    assert "Police attended a domestic abuse incident at the home." in body
    assert "Mam was crying" in body


def test_the_language_switch_shows_the_page_in_welsh(page, live_server, health_visitor_and_child):
    practitioner, _ = health_visitor_and_child
    sign_in(page, live_server, practitioner.username)
    page.get_by_role("button", name="Cymraeg").click()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("button", name="Allgofnodi").or_(page.get_by_role("link", name="Allgofnodi")).count() > 0
