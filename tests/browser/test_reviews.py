"""Practice reviews in a real browser, in English and in Welsh: the board's business manager registers a referral
for a review, records a stage, a finding, a recommendation and its action; the owning agency finds the action from
its home page and completes it with evidence; the board signs off the review's last action. Selectors are by field
name, test id and URL, so the same steps run in both languages."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.reviews.models import Action, ActionStatus, Review
from tests.browser.axe import axe_violations
from tests.browser.test_front_door_loop import sign_in, sign_out
from tests.factories import AgencyFactory, PractitionerFactory


def _in_language(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


def _date(page, name: str, day: datetime.date) -> None:
    page.fill(f"input[name={name}_day]", str(day.day))
    page.fill(f"input[name={name}_month]", str(day.month))
    page.fill(f"input[name={name}_year]", str(day.year))


def _submit(page) -> None:
    page.locator("main form[method=post] button[type=submit]").first.click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_from_registering_a_review_to_closing_its_last_action(page, live_server, language):
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES)
    health = AgencyFactory(kind=AgencyKind.HEALTH_VISITING, local_authority=council.local_authority)
    PractitionerFactory(username="manager", agency=council, roles=[RoleCode.BOARD_OFFICER])
    PractitionerFactory(username="nurse", agency=health)
    code = f"CTM-2025-0{1 if language == 'en' else 2}"
    today = timezone.localdate()
    incident = today - datetime.timedelta(days=200)

    sign_in(page, live_server, "manager")
    _in_language(page, live_server, language)
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == language
    page.locator("main a[href='/reviews/']").first.click()
    page.locator("main a[href='/reviews/new/']").click()
    page.fill("input[name=code]", code)
    page.fill("input[name=title]", "Serious neglect of an infant")
    page.locator("input[name=review_type][value=susr]").check()
    page.select_option("select[name=local_authority]", str(council.local_authority_id))
    page.select_option("select[name=incident_kind]", "harm_neglect")
    _date(page, "incident_date", incident)
    page.locator("input[name=age_band][value='0_3m']").check()
    page.locator("input[name=characteristics][value=siblings]").check()
    _date(page, "referral_on", incident + datetime.timedelta(days=30))
    _submit(page)
    page.wait_for_url(f"{live_server.url}/reviews/{code}/")
    assert page.get_by_test_id("stages").locator("tbody tr").count() == 12
    assert page.locator("main svg").count() >= 1
    assert page.locator("main .govuk-tag--red").count() >= 1  # stages already past due

    page.locator(f"main a[href='/reviews/{code}/stages/']").click()
    _date(page, "actual_case_review_group", incident + datetime.timedelta(days=60))
    _submit(page)
    page.wait_for_url(f"{live_server.url}/reviews/{code}/")

    page.locator(f"main a[href='/reviews/{code}/findings/new/']").click()
    page.fill("textarea[name=text]", "Missed health appointments were never shared.")
    page.select_option("select[name=theme]", "was_not_brought")
    _submit(page)
    page.wait_for_url(f"{live_server.url}/reviews/{code}/")

    page.locator(f"main a[href='/reviews/{code}/recommendations/new/']").click()
    page.select_option("select[name=finding]", index=1)
    page.fill("textarea[name=text]", "Adopt a Was Not Brought protocol.")
    page.locator("input[name=level][value=regional]").check()
    page.select_option("select[name=owner_agency]", str(health.pk))
    page.fill("textarea[name=intended_outcome]", "Missed appointments are followed up within a week.")
    page.fill("textarea[name=measure]", "Audit of 20 cases.")
    _submit(page)
    page.wait_for_url(f"{live_server.url}/reviews/{code}/")

    page.locator(f"main a[href='/reviews/{code}/recommendations/1/actions/new/']").click()
    page.fill("textarea[name=description]", "Write the protocol and train the health visitors.")
    page.fill("input[name=owner_name]", "Named nurse for safeguarding")
    _date(page, "due_on", today - datetime.timedelta(days=3))
    _submit(page)
    page.wait_for_url(f"{live_server.url}/reviews/{code}/")
    action = Action.objects.get(recommendation__review__code=code)

    sign_out(page, live_server)
    sign_in(page, live_server, "nurse")
    _in_language(page, live_server, language)
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("reviews-home-actions").locator("a[href='/reviews/actions/']").click()
    page.locator(f"main a[href='/reviews/actions/{action.pk}/']").click()
    page.locator("input[name=status][value=completed]").check()
    page.fill("textarea[name=evidence_of_completion]", "Protocol published on 1 May; 40 health visitors trained.")
    page.fill("textarea[name=evidence_of_impact]", "Audit: 18 of 20 missed appointments followed up in a week.")
    _submit(page)
    page.wait_for_url(f"{live_server.url}/reviews/actions/{action.pk}/")
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert page.locator(f"form[action='/reviews/actions/{action.pk}/sign-off/']").count() == 0

    sign_out(page, live_server)
    sign_in(page, live_server, "manager")
    _in_language(page, live_server, language)
    page.goto(f"{live_server.url}/reviews/{code}/")
    page.locator(f"main a[href='/reviews/actions/{action.pk}/']").click()
    page.locator(f"form[action='/reviews/actions/{action.pk}/sign-off/'] button").click()
    page.wait_for_url(f"{live_server.url}/reviews/actions/{action.pk}/")
    assert page.locator(".govuk-notification-banner--success").is_visible()

    found = {}
    for path in (
        f"/reviews/{code}/",
        "/reviews/",
        "/reviews/timeliness/",
        "/reviews/recommendations/",
        "/reviews/library/?q=protocol",
        f"/reviews/{code}/stages/",
        f"/reviews/actions/{action.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        if violations := axe_violations(page):
            found[path] = violations
    assert not found, found

    action.refresh_from_db()
    assert action.status == ActionStatus.CLOSED
    assert Review.objects.get(code=code).stages.get(code="case_review_group").actual_on is not None
