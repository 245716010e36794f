"""Two-factor sign-in: required for every role, set up on the first sign-in, a recovery code works once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cylch.accounts.models import RoleCode
from cylch.accounts.services import two_factor_reset
from tests.accounts.sign_in import authenticator_code
from tests.factories import TEST_PASSWORD, AuthenticatorFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

SIGN_IN, CODE, SET_UP = "/sign-in/", "/sign-in/code/", "/sign-in/set-up/"


def _password(client, username, next_url="/people/search/"):
    response = client.post(SIGN_IN, {"username": username, "password": TEST_PASSWORD, "next": next_url})
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("role", list(RoleCode))
def test_a_password_alone_reaches_nothing_but_the_second_step_in_any_role(client, role):
    practitioner = PractitionerFactory(roles=[role])
    AuthenticatorFactory(user=practitioner)
    _password(client, practitioner.username)
    for path in ("/", "/people/search/", "/front-door/", "/admin/", "/api/v1/concerns"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{CODE}?next="), path


def test_the_code_from_the_app_signs_in_and_lands_on_the_page_asked_for(client):
    device = AuthenticatorFactory()
    _password(client, device.user.username)
    response = client.post(CODE, {"code": authenticator_code(device), "next": "/people/search/"})
    assert response.status_code == 302
    assert response["Location"] == "/people/search/"
    assert client.get("/people/search/").status_code == 200


def test_a_wrong_code_is_refused_the_govuk_way(client):
    device = AuthenticatorFactory()
    _password(client, device.user.username)
    response = client.post(CODE, {"code": "000000" if authenticator_code(device) != "000000" else "111111"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Enter your security code – Cylch</title>" in page
    assert "Enter the code your authenticator app shows now, or one of your recovery codes" in page
    assert client.get("/").status_code == 302


def test_a_code_is_never_accepted_twice(client):
    device = AuthenticatorFactory()
    _password(client, device.user.username)
    code = authenticator_code(device)
    assert client.post(CODE, {"code": code})["Location"] == "/"
    client.post("/sign-out/")
    _password(client, device.user.username)
    assert client.post(CODE, {"code": code}).status_code == 200  # refused: the page again


def test_first_sign_in_sets_up_an_authenticator_and_shows_recovery_codes_once(client):
    practitioner = PractitionerFactory()
    _password(client, practitioner.username)
    assert client.get(f"{CODE}?next=/people/search/")["Location"] == f"{SET_UP}?next=%2Fpeople%2Fsearch%2F"
    page = client.get(SET_UP).content.decode()
    device = TOTPDevice.objects.get(user=practitioner, confirmed=False)
    assert "otpauth://totp/Cylch%3A" in page
    assert device.config_url in page.replace("&amp;", "&")
    assert client.get(SET_UP).context["uri"] == device.config_url  # the same secret on a reload

    response = client.post(SET_UP, {"code": authenticator_code(device), "next": "/people/search/"})

    page = response.content.decode()
    codes = list(StaticToken.objects.filter(device__user=practitioner).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in page for code in codes)
    assert 'href="/people/search/"' in page
    assert client.get("/people/search/").status_code == 200
    assert client.get(SET_UP)["Location"].startswith(CODE)  # set up once: never shown again
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_does_not_confirm_the_authenticator(client):
    practitioner = PractitionerFactory()
    _password(client, practitioner.username)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=practitioner)
    wrong = "123456" if authenticator_code(device) != "123456" else "654321"
    response = client.post(SET_UP, {"code": wrong})
    assert "Enter the code your authenticator app shows now" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=practitioner).exists()


def test_a_recovery_code_signs_in_once(client):
    practitioner = PractitionerFactory()
    _password(client, practitioner.username)
    client.get(SET_UP)
    client.post(SET_UP, {"code": authenticator_code(TOTPDevice.objects.get(user=practitioner))})
    recovery = StaticToken.objects.filter(device__user=practitioner).first().token
    client.post("/sign-out/")

    _password(client, practitioner.username)
    assert client.post(CODE, {"code": f" {recovery.upper()} "})["Location"] == "/"
    client.post("/sign-out/")
    _password(client, practitioner.username)
    assert client.post(CODE, {"code": recovery}).status_code == 200
    assert client.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=practitioner).count() == 9


def test_resetting_two_factor_unverifies_the_session_and_asks_for_a_new_set_up(client):
    practitioner = PractitionerFactory()
    client.force_login(practitioner)
    assert client.get("/").status_code == 200
    two_factor_reset(practitioner=practitioner)
    assert client.get("/")["Location"] == f"{CODE}?next=%2F"
    assert client.get(CODE)["Location"].startswith(SET_UP)


def test_signing_out_works_before_the_second_step(client):
    device = AuthenticatorFactory()
    _password(client, device.user.username)
    assert client.post("/sign-out/")["Location"] == SIGN_IN
    assert client.get(CODE)["Location"] == f"{SIGN_IN}?next={CODE}"


def test_switched_off_a_password_is_enough(client):
    practitioner = PractitionerFactory()
    _password(client, practitioner.username)
    with override_settings(CYLCH_REQUIRE_TWO_FACTOR=False):
        assert client.get("/").status_code == 200


def test_check_deploy_refuses_two_factor_switched_off():
    with override_settings(CYLCH_REQUIRE_TWO_FACTOR=False), pytest.raises(SystemCheckError, match=r"accounts\.E001"):
        call_command("check", "--deploy", "--tag", "security")
