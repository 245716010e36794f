"""The English/Cymraeg switch also remembers a signed-in practitioner's choice, for the messages sent to them."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db
SWITCH = "/i18n/setlang/"


def test_choosing_cymraeg_when_signed_in_stores_it_as_the_practitioners_language(client):
    practitioner = PractitionerFactory()
    client.force_login(practitioner)
    response = client.post(SWITCH, {"language": "cy", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    practitioner.refresh_from_db()
    assert practitioner.language == "cy"


def test_switching_back_to_english_is_stored_too(client):
    practitioner = PractitionerFactory(language="cy")
    client.force_login(practitioner)
    client.post(SWITCH, {"language": "en", "next": "/"})
    practitioner.refresh_from_db()
    assert practitioner.language == "en"


def test_a_language_cylch_does_not_offer_is_not_stored(client):
    practitioner = PractitionerFactory(language="cy")
    client.force_login(practitioner)
    client.post(SWITCH, {"language": "fr", "next": "/"})
    practitioner.refresh_from_db()
    assert practitioner.language == "cy"


def test_the_switch_still_works_before_signing_in(client):
    response = client.post(SWITCH, {"language": "cy", "next": "/sign-in/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
