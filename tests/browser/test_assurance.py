"""A 12Cs cycle in a real browser, in English and in Welsh: the board officer opens a cycle from the home page; a
partner agency's practitioner contributes evidence and proposed scores for C1; the board moderates C1 (refused until
it says why its score differs from the proposal) and signs the cycle off. Selectors are by field name, test id and
URL, so the same steps run in both languages. The other eleven Cs are agreed through the service, as the form is the
same for each."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.assurance.models import Cycle
from cylch.assurance.services.cycles import assessment_update
from tests.browser.axe import axe_violations
from tests.browser.test_front_door_loop import sign_in, sign_out
from tests.factories import AgencyFactory, PractitionerFactory


def _in_language(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


def _as(page, live_server, username: str, language: str) -> None:
    sign_out(page, live_server)
    sign_in(page, live_server, username)
    _in_language(page, live_server, language)


def _date(page, name: str, day: datetime.date) -> None:
    page.fill(f"input[name={name}_day]", str(day.day))
    page.fill(f"input[name={name}_month]", str(day.month))
    page.fill(f"input[name={name}_year]", str(day.year))


def _submit(page) -> None:
    page.locator("main form[method=post] button[type=submit]").last.click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_cycle_from_opening_through_a_contribution_and_moderation_to_sign_off(page, live_server, language):
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES)
    health = AgencyFactory(kind=AgencyKind.HEALTH_VISITING, local_authority=council.local_authority)
    board = PractitionerFactory(username="manager", agency=council, roles=[RoleCode.BOARD_OFFICER])
    PractitionerFactory(username="nurse", agency=health)

    sign_in(page, live_server, "manager")
    _in_language(page, live_server, language)
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == language
    page.get_by_test_id("board-links").locator("a[href='/assurance/']").click()
    page.locator("main a[href='/assurance/new/']").click()
    page.fill("input[name=title]", "12Cs 2024 to 2025")
    page.locator("input[name=level][value=region]").check()
    _date(page, "period_start", datetime.date(2024, 4, 1))
    _date(page, "period_end", datetime.date(2025, 3, 31))
    _date(page, "contributions_due", datetime.date(2025, 5, 31))
    _submit(page)
    cycle = Cycle.objects.get()
    base = f"{live_server.url}/assurance/{cycle.pk}"
    page.wait_for_url(f"{base}/")
    assert page.get_by_test_id("cycle-summary").locator("tbody tr").count() == 12
    assert set(cycle.partner_agencies.all()) == {council, health}

    _as(page, live_server, "nurse", language)
    page.goto(f"{base}/")
    page.locator(f"main a[href='/assurance/{cycle.pk}/c/c1/']").click()
    page.locator(f"main a[href='/assurance/{cycle.pk}/c/c1/contribution/']").click()
    page.fill("textarea[name=evidence]", "Our threshold guide is used in every team; 92% trained at group B.")
    page.locator("input[name=proposed_ciw_score][value='5']").check()
    page.locator("input[name=proposed_progress_score][value='4']").check()
    _submit(page)
    page.wait_for_url(f"{base}/c/c1/")
    assert page.get_by_test_id("proposals").locator("tbody tr").count() == 1

    _as(page, live_server, "manager", language)
    page.goto(f"{base}/c/c1/")
    page.locator(f"main a[href='/assurance/{cycle.pk}/c/c1/edit/']").click()
    page.locator("input[name=ciw_score][value='4']").check()
    page.locator("input[name=progress_score][value='4']").check()
    page.fill("textarea[name=evidence]", "Threshold guide in use; the audit found two teams applying it unevenly.")
    page.select_option("select[name=accountable_lead]", str(board.pk))
    page.select_option("select[name=timeframe]", "silver")
    _submit(page)
    assert page.locator(".govuk-error-summary a[href='#id_moderation_note']").is_visible()
    page.fill("textarea[name=moderation_note]", "The audit of two teams holds the score at good, not very good.")
    _submit(page)
    page.wait_for_url(f"{base}/c/c1/")

    for assessment in cycle.assessments.exclude(component="c1"):
        assessment_update(
            user=board,
            assessment=assessment,
            ciw_score=3,
            progress_score=3,
            evidence="Agreed at the board's moderation meeting.",
            moderation_note="",
            accountable_lead=board,
            timeframe="gold",
        )
    page.goto(f"{base}/")
    page.locator(f"main a[href='/assurance/{cycle.pk}/sign-off/']").last.click()
    _submit(page)
    page.wait_for_url(f"{base}/")
    assert page.get_by_test_id("signed-off").is_visible()
    assert page.locator(f"main a[href='/assurance/{cycle.pk}/c/c1/edit/']").count() == 0

    found = {}
    for path in (
        "/assurance/",
        f"/assurance/{cycle.pk}/",
        f"/assurance/{cycle.pk}/c/c1/",
        f"/assurance/{cycle.pk}/history/",
    ):
        page.goto(f"{live_server.url}{path}")
        if violations := axe_violations(page):
            found[path] = violations
    assert not found, found
    cycle.refresh_from_db()
    assert cycle.is_signed_off
