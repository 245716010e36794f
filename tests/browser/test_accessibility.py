"""axe-core over every kind of page, in English and in Welsh, on the demo region (`cylch demo`'s data, so each
page has real content on it): no violation rated moderate or worse on any of them. One test per language visits
them all and reports every page's findings together, so a failure lists all there is to fix at once."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cylch.access.models import AccessGrant, GrantKind
from cylch.accounts.models import AgencyKind, RoleCode
from cylch.concerns.models import ChallengeStatus, Concern, InformationRequest
from cylch.concerns.services import concern_submit
from cylch.concerns.triage import decision_record
from cylch.linkage.models import MatchReview, ReviewStatus
from cylch.people.models import HouseholdMembership, Person
from cylch.synthetic.services import DEMO_PASSWORD, demo_create
from tests.accounts.sign_in import authenticator_code
from tests.browser.axe import axe_violations
from tests.browser.test_front_door_loop import sign_in
from tests.concerns.conftest import make_input
from tests.factories import AgencyFactory, PractitionerFactory

WIDE = {"width": 1280, "height": 900}


def _sign_in(page, live_server, username: str, language: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/sign-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.fill("input[name=code]", authenticator_code(device))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{live_server.url}/")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])


def _pages() -> dict[str, list[str]]:
    """Each demo sign-in and the pages (paths) they are checked on."""
    challenged = Concern.objects.filter(challenges__status=ChallengeStatus.OPEN).first()
    assert challenged is not None
    base = f"/concerns/{challenged.reference}/"
    sections = ["details", "known", "screening", "requests", "decision", "challenges"]
    asked = InformationRequest.objects.filter(agency__practitioners__username="police.officer").first()
    assert asked is not None
    child = (
        Person.objects.filter(pk__in=HouseholdMembership.objects.values("person_id"), concern_subjects__isnull=False)
        .order_by("pk")
        .first()
    )
    assert child is not None
    restricted = (
        Person.objects.exclude(involvements__agency__practitioners__username="police.officer")
        .exclude(access_grants__practitioner__username="police.officer")
        .filter(merged_into__isnull=True)
        .order_by("pk")
        .first()
    )
    assert restricted is not None
    review = MatchReview.objects.filter(status=ReviewStatus.PENDING).first()
    assert review is not None
    to_review = AccessGrant.objects.filter(kind=GrantKind.BREAK_GLASS, review__isnull=True).first()
    assert to_review is not None
    return {
        "front.door": [
            "/",
            f"/people/search/?name={child.family_name}",
            f"/people/{child.cylch_id}/",
            f"/people/{child.cylch_id}/family/",
            "/front-door/",
            "/front-door/metrics/",
            "/access-requests/",
            *[base if s == "details" else f"{base}?section={s}" for s in sections],
            "/concerns/NOT-A-CONCERN/",
        ],
        "school.lead": ["/", "/concerns/mine/", "/concerns/new/", "/risk/alerts/"],
        "police.officer": [
            "/information-requests/",
            f"/information-requests/{asked.pk}/",
            f"/people/{restricted.cylch_id}/",
        ],
        "front.door.manager": ["/linkage/reviews/", f"/linkage/reviews/{review.pk}/"],
        "ig.lead": ["/access-reviews/", f"/access-reviews/{to_review.pk}/", f"/people/{child.cylch_id}/access-log/"],
    }


def _raise_a_concern(page, live_server, found: dict[str, list[dict]]) -> None:
    """The question pages, check your answers and the submitted page, answered by field name (any language)."""

    def check() -> None:
        violations = axe_violations(page)
        if violations:
            found[page.url.removeprefix(live_server.url)] = violations

    page.goto(f"{live_server.url}/concerns/new/")
    page.locator("main form button").last.click()
    check()  # kind
    page.locator("input[name=kind]").first.check()
    page.locator("main form button[type=submit]").last.click()
    check()  # a child
    page.fill("input[name=given_name]", "Cerys")
    page.fill("input[name=family_name]", "Jones")
    page.fill("input[name=date_of_birth_day]", "1")
    page.fill("input[name=date_of_birth_month]", "5")
    page.fill("input[name=date_of_birth_year]", "2016")
    page.locator("main form button[type=submit]").last.click()
    check()  # the children
    page.locator("main form button[type=submit]").last.click()
    check()  # the household
    page.locator("main form button[type=submit]").last.click()
    check()  # categories
    page.locator("input[name=categories]").first.check()
    page.locator("main form button[type=submit]").last.click()
    page.fill("textarea[name=what_happened]", "Came to school hungry three days running.")
    page.locator("main form button[type=submit]").last.click()
    page.locator("main form button[type=submit]").last.click()  # the child's words
    check()  # family
    page.locator("input[name=family_aware][value=no]").check()
    check()  # family, with the follow-up question shown
    page.fill("textarea[name=family_not_aware_reason]", "Telling them could put her at risk.")
    page.locator("main form button[type=submit]").last.click()
    page.locator("input[name=immediate_risk][value=no]").check()
    page.locator("main form button[type=submit]").last.click()
    page.locator("main form button[type=submit]").last.click()  # phone
    check()  # check your answers
    page.locator("main form button[type=submit]").last.click()
    page.get_by_test_id("reference").wait_for()
    check()  # submitted


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_kind_of_page_has_no_moderate_or_worse_axe_violation(page, live_server, language):
    demo_create(reference_date=timezone.localdate())
    page.set_viewport_size(WIDE)
    found: dict[str, list[dict]] = {}
    for username, paths in _pages().items():
        _sign_in(page, live_server, username, language)
        for path in paths:
            page.goto(f"{live_server.url}{path}")
            assert page.locator("html").get_attribute("lang") == language
            violations = axe_violations(page)
            if violations:
                found[f"{username} {path}"] = violations
        if username == "school.lead":
            _raise_a_concern(page, live_server, found)
    page.goto(f"{live_server.url}/api/docs/")  # Redoc's own markup is not ours to check, but the page's language is
    assert page.locator("html").get_attribute("lang") == language
    assert not found, "\n".join(
        f"{where}:\n" + "\n".join(f"  {v['impact']} {v['rule']}: {v['help']} at {v['targets']}" for v in violations)
        for where, violations in found.items()
    )


def _front_door_with_a_decided_concern() -> Concern:
    """A school's concern the front door has decided, seen by `mash` (a front-door manager: every menu item)."""
    school = AgencyFactory(kind=AgencyKind.SCHOOL)
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES, local_authority=school.local_authority)
    mash = PractitionerFactory(username="mash", agency=council, roles=[RoleCode.FRONT_DOOR_MANAGER])
    concern = concern_submit(submitter=PractitionerFactory(agency=school), data=make_input()).concern
    decision_record(concern=concern, user=mash, outcome="early_help", rationale="Team Around the Family support.")
    return concern


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_the_service_navigation_fits_one_line_on_a_desktop_and_collapses_on_a_phone(page, live_server, language):
    _front_door_with_a_decided_concern()
    sign_in(page, live_server, "mash")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page.set_viewport_size(WIDE)
    page.goto(f"{live_server.url}/")
    items = page.locator(".govuk-service-navigation__item")
    tops = items.evaluate_all("items => items.map(item => item.getBoundingClientRect().top)")
    assert len(tops) >= 5
    assert max(tops) - min(tops) < 5, list(zip(items.all_inner_texts(), tops, strict=True))
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    toggle = page.locator(".govuk-service-navigation__toggle")
    assert toggle.is_visible()
    assert not page.locator("#navigation").is_visible()
    toggle.click()
    assert page.locator("#navigation").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_front_doors_pages_fit_a_phone_without_scrolling_sideways(page, live_server):
    concern = _front_door_with_a_decided_concern()
    sign_in(page, live_server, "mash")
    page.set_viewport_size({"width": 375, "height": 800})
    sections = [f"/concerns/{concern.reference}/?section={s}" for s in ("details", "known", "decision", "challenges")]
    for path in ("/front-door/", "/front-door/metrics/", "/concerns/mine/", "/information-requests/", *sections):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide on a 375px phone"
