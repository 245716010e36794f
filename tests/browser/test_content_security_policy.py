"""The Content-Security-Policy in a real browser: GOV.UK Frontend still starts, the charts still draw and the API
documentation still renders, with no inline script or style refused (a unit test cannot see what Chromium blocks)."""

from __future__ import annotations

import pytest

from cylch.accounts.models import AgencyKind, RoleCode
from tests.browser.test_front_door_loop import sign_in
from tests.factories import AgencyFactory, PractitionerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _refusals(page) -> list[str]:
    """Every console message Chromium writes when the policy refuses something, collected as the test runs."""
    refused: list[str] = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    page.on("pageerror", lambda error: refused.append(str(error)))
    return refused


def test_govuk_frontend_starts_and_the_metrics_chart_draws_under_the_policy(page, live_server):
    refused = _refusals(page)
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES)
    PractitionerFactory(username="mash", agency=council, roles=[RoleCode.FRONT_DOOR])

    sign_in(page, live_server, "mash")
    page.goto(f"{live_server.url}/front-door/metrics/")
    # GOV.UK Frontend marks each component it has started; the skip link is on every page.
    page.wait_for_selector("[data-module=govuk-skip-link][data-govuk-skip-link-init]", state="attached")
    classes = page.evaluate("document.body.className").split()
    assert {"js-enabled", "govuk-frontend-supported"} <= set(classes)
    chart = page.locator("svg.cylch-chart").first
    assert page.evaluate("getComputedStyle(document.querySelector('svg.cylch-chart')).maxWidth") == "700px"
    assert chart.bounding_box()["width"] > 0
    assert refused == []


def test_the_api_documentation_renders_under_its_own_policy(page, live_server):
    refused = _refusals(page)
    PractitionerFactory(username="integrator")

    sign_in(page, live_server, "integrator")
    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_role("heading", name="Cylch API").first.wait_for()
    page.get_by_text("/api/v1/concerns").first.wait_for(state="attached")
    # Redoc's footer asks Redocly's CDN for its logo: refusing that is the policy working (nothing about who
    # reads the documentation leaves the network), and Redoc hides the missing image.
    assert [message for message in refused if "https://cdn.redoc.ly/" not in message] == []
