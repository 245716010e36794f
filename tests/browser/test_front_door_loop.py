"""The whole front-door loop in a real browser: a school lead raises a concern, the front door decides,
and the school lead sees the outcome."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from cylch.accounts.models import AgencyKind, Practitioner, RoleCode
from tests.accounts.sign_in import authenticator_code
from tests.factories import TEST_PASSWORD, AgencyFactory, AuthenticatorFactory, PractitionerFactory
from tests.factories import test_nhs_number as nhs


def _authenticator(username: str) -> TOTPDevice:
    """The practitioner's authenticator app, added for them if they have none yet."""
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    return device or AuthenticatorFactory(user=Practitioner.objects.get(username=username))


def sign_in(page, live_server, username: str) -> None:
    """Password, then the code the practitioner's authenticator app shows."""
    device = _authenticator(username)
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.get_by_label("Code").fill(authenticator_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")


def sign_out(page, live_server) -> None:
    page.context.clear_cookies()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_school_lead_raises_front_door_decides_school_lead_sees_outcome(page, live_server):
    school = AgencyFactory(kind=AgencyKind.SCHOOL, name="Ysgol Gymraeg y Bont")
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES, local_authority=school.local_authority)
    PractitionerFactory(username="lead", agency=school)
    PractitionerFactory(username="mash", agency=council, roles=[RoleCode.FRONT_DOOR])

    sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/concerns/new/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Multi-agency referral").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("Given name").fill("Cerys")
    page.get_by_label("Family name").fill("Jones")
    page.fill("input[name=date_of_birth_day]", "1")
    page.fill("input[name=date_of_birth_month]", "5")
    page.fill("input[name=date_of_birth_year]", "2016")
    page.get_by_label("NHS number (if known)").fill(nhs(11))
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Continue").click()  # children
    page.get_by_role("button", name="Continue").click()  # household (skipped)
    page.get_by_label("Neglect").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("What happened?").fill("Came to school hungry three days running.")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()  # child's words
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Save and continue").click()  # phone
    page.get_by_role("button", name="Send the concern").click()
    reference = page.get_by_test_id("reference").inner_text().strip()
    assert reference

    sign_out(page, live_server)
    sign_in(page, live_server, "mash")
    page.goto(f"{live_server.url}/front-door/")
    page.get_by_role("link", name=reference).click()
    page.get_by_role("navigation", name="Parts of this concern").get_by_role("link", name="Decision").click()
    page.get_by_label("Early help or preventative service").check()
    page.get_by_label("Rationale").fill("Needs Team Around the Family support; no statutory threshold met.")
    page.get_by_role("button", name="Record decision and send feedback").click()
    assert "feedback" in page.locator(".govuk-notification-banner--success").inner_text()
    assert "Early help" in page.get_by_test_id("decision").inner_text()

    sign_out(page, live_server)
    sign_in(page, live_server, "lead")
    page.goto(f"{live_server.url}/concerns/mine/")
    assert "Early help or preventative service" in page.content()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("navigation", name="Parts of this concern").get_by_role("link", name="Decision").click()
    assert "Team Around the Family" in page.get_by_test_id("decision").inner_text()
