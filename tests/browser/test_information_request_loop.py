"""The information-request loop in a real browser, across two agencies, in English and in Welsh: the front door
asks the police, a police officer finds the request from the home page and answers it, and the front door sees
the answer with who gave it. Selectors are by field name and test id, so the same steps run in both languages."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from cylch.accounts.models import AgencyKind, RoleCode
from cylch.concerns.services import concern_submit
from tests.browser.test_front_door_loop import sign_in, sign_out
from tests.concerns.conftest import make_input
from tests.factories import AgencyFactory, PractitionerFactory


def _in_language(page, live_server, language: str) -> None:
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_police_answer_the_front_doors_question_and_the_front_door_sees_it(page, live_server, language):
    school = AgencyFactory(kind=AgencyKind.SCHOOL)
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES, local_authority=school.local_authority)
    police = AgencyFactory(kind=AgencyKind.POLICE, name="Heddlu Dyfed-Powys")
    PractitionerFactory(username="mash", agency=council, roles=[RoleCode.FRONT_DOOR])
    PractitionerFactory(username="officer", agency=police, first_name="Bethan", last_name="Heddwas")
    lead = PractitionerFactory(username="lead", agency=school)
    concern = concern_submit(submitter=lead, data=make_input(what_happened="Bruises on both arms at drop-off.")).concern
    due = timezone.localdate() + datetime.timedelta(days=3)

    sign_in(page, live_server, "mash")
    _in_language(page, live_server, language)
    page.goto(f"{live_server.url}/concerns/{concern.reference}/")
    assert page.locator("html").get_attribute("lang") == language
    page.locator(".cylch-sub-navigation a[href$='section=requests']").click()
    page.select_option("select[name=agency]", str(police.pk))
    page.fill("textarea[name=question]", "Any call-outs to the home this year?")
    page.fill("input[name=due_on_day]", str(due.day))
    page.fill("input[name=due_on_month]", str(due.month))
    page.fill("input[name=due_on_year]", str(due.year))
    page.locator("form:has(input[name=action][value=request]) button").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    assert page.get_by_test_id("information-request").count() == 1

    sign_out(page, live_server)
    sign_in(page, live_server, "officer")
    _in_language(page, live_server, language)
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("information-requests").locator("a").click()
    page.get_by_role("link", name=concern.reference).click()
    assert "Any call-outs to the home this year?" in page.get_by_test_id("question").inner_text()
    assert "Bruises" not in page.content()
    page.fill("textarea[name=response]", "Two call-outs in March, both domestic.")
    page.locator("main form button").click()
    assert "Two call-outs in March" in page.get_by_test_id("answer").inner_text()

    sign_out(page, live_server)
    sign_in(page, live_server, "mash")
    _in_language(page, live_server, language)
    page.goto(f"{live_server.url}/concerns/{concern.reference}/")
    page.locator(".cylch-sub-navigation a[href$='section=requests']").click()
    request = page.get_by_test_id("information-request")
    assert "Two call-outs in March" in request.get_by_test_id("answer").inner_text()
    assert "Bethan Heddwas" in request.inner_text()
