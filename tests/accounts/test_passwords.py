"""Passwords are hashed with Argon2; hashes stored before it still verify and are upgraded at sign-in."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password

from tests.factories import TEST_PASSWORD, AuthenticatorFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def test_a_new_password_is_hashed_with_argon2():
    practitioner = PractitionerFactory()
    practitioner.set_password("a-new-long-passphrase")
    assert practitioner.password.startswith("argon2$argon2id$")


def test_an_older_pbkdf2_hash_still_signs_in_and_is_upgraded(client):
    practitioner = PractitionerFactory()
    practitioner.password = make_password(TEST_PASSWORD, hasher="pbkdf2_sha256")
    practitioner.save(update_fields=["password"])
    AuthenticatorFactory(user=practitioner)
    response = client.post("/sign-in/", {"username": practitioner.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.password.startswith("argon2$")
