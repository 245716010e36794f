"""From the front door's threshold decision to the first core group in a real browser, in English and in Welsh:
the front door decides "strategy discussion", convenes one from the concern with the police invited, records the
enquiry, books and holds the initial conference that registers the child, books and holds the first core group,
and the child's single view shows the plan and its clocks. Selectors are by field name and test id, so the same
steps run in both languages."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.concerns.models import Concern
from cylch.concerns.services import concern_submit
from cylch.meetings.models import Meeting, Plan
from tests.browser.test_front_door_loop import sign_in
from tests.concerns.conftest import make_input
from tests.factories import AgencyFactory, InvolvementFactory, PractitionerFactory


def _in_language(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


def _when(page, moment: datetime.datetime) -> None:
    local = timezone.localtime(moment)
    page.fill("input[name=held_on_day]", str(local.day))
    page.fill("input[name=held_on_month]", str(local.month))
    page.fill("input[name=held_on_year]", str(local.year))
    page.fill("input[name=time]", local.strftime("%H:%M"))


def _book(page, moment: datetime.datetime) -> None:
    _when(page, moment)
    page.locator("form[action*='/meetings/new/'] button").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()


def _hold(page, views: str) -> None:
    page.fill("textarea[name=child_views]", views)
    page.fill("textarea[name=minutes]", "Police and health shared what they know.")
    page.locator("form[action$='/held/'] button").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()


def _decide(page, kind: str, **fields: str) -> None:
    page.check(f"input[name=kind][value={kind}]")
    for name, value in fields.items():
        page.select_option(f"select[name={name}]", value)
    page.fill("textarea[name=rationale]", "Agencies' information together shows a risk of significant harm.")
    page.locator("form[action$='/decisions/'] button").click()
    assert page.get_by_test_id("meeting-decision").count() >= 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_from_the_threshold_decision_to_the_first_core_group(page, live_server, language):
    school = AgencyFactory(kind=AgencyKind.SCHOOL)
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES, local_authority=school.local_authority)
    police = AgencyFactory(kind=AgencyKind.POLICE, local_authority=school.local_authority)
    PractitionerFactory(username="mash", agency=council, roles=[RoleCode.FRONT_DOOR])
    officer = PractitionerFactory(username="officer", agency=police)
    lead = PractitionerFactory(username="lead", agency=school)
    concern = concern_submit(submitter=lead, data=make_input(what_happened="Bruises on both arms.")).concern
    start = timezone.now() - datetime.timedelta(minutes=40)
    Concern.objects.filter(pk=concern.pk).update(received_at=start - datetime.timedelta(hours=1))
    child = concern.subjects.get().person
    InvolvementFactory(person=child, agency=police, practitioner=officer, role="Public protection officer")

    sign_in(page, live_server, "mash")
    _in_language(page, live_server, language)
    page.goto(f"{live_server.url}/concerns/{concern.reference}/?section=decision")
    assert page.locator("html").get_attribute("lang") == language
    page.check("input[name=outcome][value=strategy_discussion]")
    page.fill("textarea[name=rationale]", "Unexplained bruising: a strategy discussion with police and health.")
    page.locator("form:has(input[name=action][value=decision]) button").click()

    page.goto(f"{live_server.url}/concerns/{concern.reference}/?section=decision")
    page.get_by_test_id("convene-strategy-discussion").locator("a.govuk-button").click()
    assert page.locator("input[name=children]").input_value() == child.cylch_id
    assert page.locator(f"input[name=invitees][value='{officer.pk}']").is_checked()
    _book(page, start)
    discussion = Meeting.objects.get(kind="strategy_discussion")
    assert discussion.concern_id == concern.pk
    _hold(page, "")
    _decide(page, "section_47")

    page.locator("a[href*='kind=initial_conference']").click()
    assert page.locator("select[name=strategy_discussion]").input_value() == str(discussion.pk)
    page.check("input[name=family][value=family]")
    _book(page, start + datetime.timedelta(minutes=5))
    _hold(page, "Cerys says she is scared when her dad shouts.")
    _decide(page, "register", person=str(child.pk), category="PHY")
    plan = Plan.objects.get(person=child)

    page.locator("a[href*='kind=core_group']").click()
    _book(page, start + datetime.timedelta(minutes=10))
    _hold(page, "")
    assert Meeting.objects.filter(kind="core_group", held=True).count() == 1

    page.goto(f"{live_server.url}/people/{child.cylch_id}/")
    assert page.locator(f"a[href='/meetings/plans/{plan.pk}/']").count() == 1
    assert page.get_by_test_id("meeting-clocks").count() == 1
