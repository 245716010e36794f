"""The home page: each role is pointed at the work its permissions allow, and at nothing it would be refused."""

import pytest

from cylch.accounts.models import RoleCode
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db

MATCHES_LINK = 'href="/linkage/reviews/"'


@pytest.mark.parametrize(("role", "shown"), [(RoleCode.FRONT_DOOR_MANAGER, True), (RoleCode.FRONT_DOOR, False)])
def test_only_those_who_review_matches_are_pointed_at_them(client, role, shown):
    client.force_login(PractitionerFactory(roles=[role]))
    assert (MATCHES_LINK in client.get("/").content.decode()) is shown
