"""`cylch token create|rotate|revoke|list`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from cylch.accounts.models import ApiToken
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/concerns"


def _token(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def _status(key: str) -> int:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get(URL).status_code


def test_create_prints_a_working_key_once_and_keeps_only_its_hash():
    PractitionerFactory(username="school.system")
    key, note = _token("create", "--user", "school.system", "--scope", "concerns:read,concerns:write", "--days", "30")
    token = ApiToken.objects.get()
    assert (token.prefix, token.scopes) == (key[:12], "concerns:read concerns:write")
    assert key not in {token.key_hash, token.prefix, token.name}
    assert "shown only now" in note
    assert _status(key) == 200


def test_each_create_is_a_new_token():
    PractitionerFactory(username="school.system")
    first, _note = _token("create", "--user", "school.system", "--scope", "concerns:read")
    second, _note = _token("create", "--user", "school.system", "--scope", "concerns:read")
    assert first != second
    assert ApiToken.objects.count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scope", "concerns:delete"], "concerns:delete is not a scope"),
        (["--scope", "source-records:write"], "Only a system account may hold the source-records:write scope"),
        (["--scope", "concerns:read", "--days", "0"], "A token lasts from 1 to 366 days"),
        (["--scope", "concerns:read", "--days", "400"], "A token lasts from 1 to 366 days"),
        (["--scope", ","], "Name at least one scope"),
        (["--scope", "concerns:read", "--name", "x" * 101], "Use 100 characters or fewer"),
    ],
)
def test_create_refuses_bad_input_and_stores_nothing(args, message):
    PractitionerFactory(username="school.lead")
    with pytest.raises(CommandError, match=message):
        _token("create", "--user", "school.lead", *args)
    assert not ApiToken.objects.exists()


def test_a_system_account_may_hold_the_source_records_scope():
    PractitionerFactory(username="gp.system", is_system_account=True, roles=[])
    _token("create", "--user", "gp.system", "--scope", "source-records:write")
    assert ApiToken.objects.get().scopes == "source-records:write"


def test_create_for_an_inactive_user_is_refused():
    PractitionerFactory(username="left.service", is_active=False)
    with pytest.raises(CommandError, match=r"left\.service"):
        _token("create", "--user", "left.service", "--scope", "concerns:read")
    assert not ApiToken.objects.exists()


def test_rotate_gives_a_new_key_with_the_same_scopes_and_the_old_one_stops_working():
    PractitionerFactory(username="school.system")
    old, _note = _token("create", "--user", "school.system", "--scope", "concerns:read", "--name", "MIS")
    new, note = _token("rotate", old[:12])
    assert new != old
    assert f"Token {old[:12]} is revoked" in note
    assert (_status(old), _status(new)) == (401, 200)
    rotated = ApiToken.objects.get(prefix=new[:12])
    assert (rotated.scopes, rotated.name) == ("concerns:read", "MIS")


def test_a_revoked_token_cannot_be_rotated_back_to_life():
    PractitionerFactory(username="school.system")
    key, _note = _token("create", "--user", "school.system", "--scope", "concerns:read")
    _token("revoke", key[:12])
    with pytest.raises(CommandError, match="was revoked"):
        _token("rotate", key[:12])
    assert ApiToken.objects.count() == 1


def test_revoke_stops_the_token_at_once():
    PractitionerFactory(username="school.system")
    key, _note = _token("create", "--user", "school.system", "--scope", "concerns:read")
    assert _token("revoke", key[:12])[0] == f"Token {key[:12]} is now revoked."
    assert _status(key) == 401
    assert _token("revoke", key[:12])[0] == f"Token {key[:12]} was already revoked."


def test_an_unknown_prefix_is_named():
    with pytest.raises(CommandError, match="No token with the prefix 'abcdef123456'"):
        _token("revoke", "abcdef123456")


def test_list_shows_every_token_and_its_state_but_never_a_key():
    PractitionerFactory(username="school.system")
    PractitionerFactory(username="police.system")
    active, _note = _token("create", "--user", "school.system", "--scope", "concerns:read", "--name", "MIS")
    revoked, _note = _token("create", "--user", "police.system", "--scope", "persons:read")
    _token("revoke", revoked[:12])
    listing, _note = _token("list")
    rows = [line.split("\t") for line in listing.splitlines()]
    assert rows[0] == ["prefix", "user", "name", "scopes", "expires", "state"]
    assert {(r[0], r[1], r[2], r[3], r[5]) for r in rows[1:]} == {
        (active[:12], "school.system", "MIS", "concerns:read", "active"),
        (revoked[:12], "police.system", "", "persons:read", "revoked"),
    }
    for key in (active, revoked):
        assert key[12:] not in listing
    only_school, _note = _token("list", "--user", "school.system")
    assert len(only_school.splitlines()) == 2
