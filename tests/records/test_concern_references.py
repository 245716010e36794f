"""A record and an event the front door made from a concern say "Concern REF" on the single view, not Cylch's
internal key (`concern:REF:1`) as if it were an agency's record number."""

from __future__ import annotations

import pytest

from cylch.accounts.models import RoleCode
from cylch.concerns.services import concern_submit
from cylch.records.templatetags.record_display import concern_reference
from tests.concerns.conftest import make_input
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


def test_the_reference_is_read_from_the_front_doors_key_only():
    assert concern_reference("concern:2026-1K2PT2M:1") == "2026-1K2PT2M"
    assert concern_reference("EMIS-42") == ""
    assert concern_reference("") == ""


def test_the_single_view_says_which_concern_not_the_internal_key(client):
    concern = concern_submit(submitter=PractitionerFactory(), data=make_input()).concern
    child = concern.subjects.get(role="child").person
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR]))
    html = client.get(f"/people/{child.cylch_id}/").content.decode()
    assert f"concern:{concern.reference}:" not in html
    assert f"Concern {concern.reference}" in html
