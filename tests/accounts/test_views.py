"""Signing in and out, the language switch, and each role's home page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessOutcome
from tests.accounts.sign_in import authenticator_code
from tests.factories import (
    TEST_PASSWORD,
    AgencyFactory,
    AuthenticatorFactory,
    InvolvementFactory,
    LocalAuthorityFactory,
    PersonFactory,
    PractitionerFactory,
    StatutoryStatusFactory,
)

pytestmark = pytest.mark.django_db

HOME = "/"
SIGN_IN = "/sign-in/"
SIGN_OUT = "/sign-out/"


def test_the_urls_are_where_the_settings_expect():
    assert reverse("home:home") == HOME
    assert reverse("accounts:sign-in") == SIGN_IN
    assert reverse("accounts:sign-out") == SIGN_OUT


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{SIGN_IN}?next=/"


def test_the_sign_in_page_is_a_govuk_page_with_a_language_switch(client):
    page = client.get(SIGN_IN).content.decode()
    assert '<html lang="en"' in page
    assert "<title>Sign in – Cylch</title>" in page
    assert 'class="govuk-skip-link"' in page
    assert 'name="language" value="cy"' in page
    assert 'action="/i18n/setlang/"' in page
    assert "Sign out" not in page  # no service navigation before signing in


def test_signing_in_lands_on_the_page_asked_for_after_the_second_factor(client):
    practitioner = PractitionerFactory(username="siân")
    device = AuthenticatorFactory(user=practitioner)
    response = client.post(SIGN_IN, {"username": "siân", "password": TEST_PASSWORD, "next": "/people/search/"})
    assert response.status_code == 302
    assert response["Location"] == "/people/search/"
    response = client.get("/people/search/")
    assert response["Location"] == "/sign-in/code/?next=%2Fpeople%2Fsearch%2F"
    response = client.post("/sign-in/code/", {"code": authenticator_code(device), "next": "/people/search/"})
    assert response["Location"] == "/people/search/"
    assert client.get(HOME).context["user"] == practitioner


def test_a_wrong_password_is_reported_the_govuk_way(client):
    PractitionerFactory(username="siân")
    response = client.post(SIGN_IN, {"username": "siân", "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in – Cylch</title>" in page
    assert 'class="govuk-error-summary"' in page
    assert '<a href="#id_username">Enter a correct username and password. Both are case-sensitive.</a>' in page


def test_empty_sign_in_names_each_missing_field(client):
    page = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page
    assert 'id="id_username-error"' in page
    assert 'aria-describedby="id_username-error"' in page


def test_signing_out_is_a_post_and_ends_the_session(client):
    client.force_login(PractitionerFactory())
    assert client.get(SIGN_OUT).status_code == 405
    response = client.post(SIGN_OUT)
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert client.get(HOME).status_code == 302


def test_choosing_welsh_works_before_signing_in(client):
    response = client.post("/i18n/setlang/", {"language": "cy", "next": SIGN_IN})
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert response.cookies["cylch_language"].value == "cy"
    page = client.get(SIGN_IN).content.decode()
    assert '<html lang="cy"' in page
    assert "Mewngofnodi" in page


def test_an_agency_practitioner_sees_their_caseload_own_allocations_first(client):
    practitioner = PractitionerFactory(first_name="Nia", last_name="Bowen", roles=[RoleCode.AGENCY_PRACTITIONER])
    colleagues_child = PersonFactory(given_name="Aled", family_name="Abbott")
    my_child = PersonFactory(given_name="Zara", family_name="Zephaniah")
    other_agency_child = PersonFactory(given_name="Carys", family_name="Cole")
    InvolvementFactory(person=colleagues_child, agency=practitioner.agency)
    InvolvementFactory(person=my_child, agency=practitioner.agency, practitioner=practitioner)
    InvolvementFactory(person=other_agency_child)
    client.force_login(practitioner)

    page = client.get(HOME).content.decode()

    assert "Nia Bowen" in page
    assert practitioner.agency.name in page
    assert "Agency practitioner" in page
    assert "The children your agency works with" in page
    assert page.index("Zara Zephaniah") < page.index("Aled Abbott")
    assert "Carys Cole" not in page
    assert f'href="/people/{my_child.cylch_id}/"' in page


def test_a_long_caseload_says_how_many_and_pages_through_everyone(client, monkeypatch):
    monkeypatch.setattr("cylch.records.selectors.caseload.CASELOAD_PAGE_SIZE", 2)
    practitioner = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    children = [PersonFactory(given_name="Child", family_name=name) for name in ("Ash", "Birch", "Cedar")]
    for child in children:
        InvolvementFactory(person=child, agency=practitioner.agency)
    client.force_login(practitioner)
    first = client.get(HOME).content.decode()
    second = client.get(HOME, {"page": 2}).content.decode()
    assert "Your agency is working with 3 people." in first
    assert "Showing 1 to 2, your own allocations first." in first
    assert [f"Child {name}" in first for name in ("Ash", "Birch", "Cedar")] == [True, True, False]
    assert [f"Child {name}" in second for name in ("Ash", "Birch", "Cedar")] == [False, False, True]
    assert 'href="?page=2#caseload"' in first


def test_a_practitioner_whose_agency_works_with_no_one_is_told_so(client):
    client.force_login(PractitionerFactory())
    assert "Your agency is not working with anyone in Cylch at the moment." in client.get(HOME).content.decode()


def test_the_front_door_sees_register_and_looked_after_counts_for_its_authority(client):
    authority = LocalAuthorityFactory(name="Casnewydd")
    practitioner = PractitionerFactory(agency=AgencyFactory(local_authority=authority), roles=[RoleCode.FRONT_DOOR])
    StatutoryStatusFactory(local_authority=authority)
    StatutoryStatusFactory(local_authority=authority, kind="looked_after", category="")
    StatutoryStatusFactory(local_authority=authority, end_date=timezone.localdate() - datetime.timedelta(days=1))
    StatutoryStatusFactory()  # another authority
    client.force_login(practitioner)

    response = client.get(HOME)
    counts = response.context["summary"].local_statuses

    assert (counts.on_register, counts.looked_after) == (1, 1)
    page = response.content.decode()
    assert "Children on the child protection register (Casnewydd)" in page
    assert "CPR" not in page
    assert "The children your agency works with" not in page


def test_information_governance_sees_last_weeks_access_log(client):
    practitioner = PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE])
    viewer = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    person = PersonFactory()
    client.force_login(viewer)
    client.get(f"/people/{person.cylch_id}/")
    client.force_login(practitioner)

    summary = client.get(HOME).context["summary"]

    assert summary.access_log.views == 1
    assert summary.access_log.restricted_views == 1
    assert viewer.access_log.get().outcome == AccessOutcome.RESTRICTED


def test_the_administrator_is_pointed_at_the_admin(client):
    client.force_login(PractitionerFactory(roles=[RoleCode.ADMINISTRATOR]))
    page = client.get(HOME).content.decode()
    assert 'href="/admin/"' in page


def test_the_board_officer_sees_regional_counts(client):
    practitioner = PractitionerFactory(roles=[RoleCode.BOARD_OFFICER])
    StatutoryStatusFactory(local_authority=practitioner.agency.local_authority)
    client.force_login(practitioner)
    summary = client.get(HOME).context["summary"]
    assert summary.regional_statuses.on_register == 1
    assert summary.caseload is None
