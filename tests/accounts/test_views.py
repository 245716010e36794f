"""Signing in and out, and the language switch."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.accounts.sign_in import authenticator_code
from tests.factories import (
    TEST_PASSWORD,
    AuthenticatorFactory,
    PractitionerFactory,
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
