"""`cylch token create --user NAME`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


def _token_create(username: str) -> str:
    out = StringIO()
    call_command("token", "create", "--user", username, stdout=out)
    return out.getvalue().strip()


def test_token_create_prints_the_named_users_api_token():
    PractitionerFactory(username="school.system")
    assert _token_create("school.system") == Token.objects.get(user__username="school.system").key


def test_token_create_a_second_time_prints_the_same_token():
    PractitionerFactory(username="school.system")
    assert _token_create("school.system") == _token_create("school.system")
    assert Token.objects.count() == 1


def test_token_create_for_an_inactive_user_is_refused():
    PractitionerFactory(username="left.service", is_active=False)
    with pytest.raises(CommandError, match=r"left\.service"):
        _token_create("left.service")
    assert Token.objects.count() == 0
