"""Cumulative risk in a real browser, in English and in Welsh: a baby's second missed health-visitor appointment
arrives from the health system as FHIR, the alert fires, and the front door finds it from the home page, sees why
it fired, acknowledges it and closes it with an outcome. Selectors are by field name, test id and URL, so the same
steps run in both languages."""

from __future__ import annotations

import datetime
import json

import pytest
from django.conf import settings
from django.utils import timezone

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.accounts.scopes import APPOINTMENTS_WRITE
from cylch.chronology.models import EventKind
from cylch.risk.fhir import NHS_NUMBER_SYSTEM
from cylch.risk.models import Alert, AlertStatus
from tests import factories
from tests.browser.test_front_door_loop import sign_in
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    PersonFactory,
    PractitionerFactory,
    api_key,
)
from tests.risk.conftest import default_rules  # noqa: F401  # the rules, when a live server's flush removed them


def _in_language(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


def _no_show(nhs_number: str) -> dict:
    return {
        "resourceType": "Appointment",
        "identifier": [{"system": "https://hv.example/appointments", "value": "hv-review-2"}],
        "status": "noshow",
        "serviceType": [{"text": "Health visitor 9-12 month review"}],
        "start": (timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "participant": [
            {
                "actor": {"type": "Patient", "identifier": {"system": NHS_NUMBER_SYSTEM, "value": nhs_number}},
                "status": "accepted",
            }
        ],
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_an_appointment_arriving_over_fhir_raises_an_alert_the_front_door_closes(page, live_server, language):
    health_visiting = AgencyFactory(kind=AgencyKind.HEALTH_VISITING)
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES, local_authority=health_visiting.local_authority)
    PractitionerFactory(username="mash", agency=council, roles=[RoleCode.FRONT_DOOR])
    system = PractitionerFactory(agency=health_visiting, is_system_account=True, roles=[])
    baby = PersonFactory(
        date_of_birth=timezone.localdate() - datetime.timedelta(days=300), nhs_number=factories.test_nhs_number(7)
    )
    ChronologyEventFactory(
        person=baby,
        agency=health_visiting,
        kind=EventKind.WAS_NOT_BROUGHT,
        occurred_at=timezone.now() - datetime.timedelta(days=40),
    )

    response = page.request.post(
        f"{live_server.url}/api/v1/fhir/Appointment",
        data=json.dumps(_no_show(baby.nhs_number)),
        headers={
            "Authorization": f"Token {api_key(system, scopes=[APPOINTMENTS_WRITE])}",
            "Content-Type": "application/fhir+json",
        },
    )
    assert response.status == 201, response.text()
    alert = Alert.objects.get(rule__code="wnb-young-or-registered", subjects__person=baby)

    sign_in(page, live_server, "mash")
    _in_language(page, live_server, language)
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_test_id("risk-alerts").locator("a[href='/risk/alerts/']").click()
    page.locator(f"main a[href='/risk/alerts/{alert.pk}/']").click()
    assert str(baby) in page.content()
    assert page.locator("main svg").count() >= 1  # the events on a timeline
    page.locator(f"form[action='/risk/alerts/{alert.pk}/acknowledge/'] button").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    page.locator("input[name=outcome][value=meeting]").check()
    page.fill("textarea[name=reason]", "Taken to the strategy discussion on Thursday.")
    page.locator(f"form[action='/risk/alerts/{alert.pk}/close/'] button").click()
    page.wait_for_url(f"{live_server.url}/risk/alerts/")
    assert page.locator(".govuk-notification-banner--success").is_visible()

    alert.refresh_from_db()
    assert alert.status == AlertStatus.CLOSED
    assert alert.outcome == "meeting"
    assert alert.acknowledged_by is not None
    assert alert.closed_by == alert.acknowledged_by
