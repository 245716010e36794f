"""A chronology event an agency gave only a date for is stored at local midnight; the single view and the PDF
show its date without a made-up "00:00" (#13 item 8), and a real time as it was recorded."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cylch.accounts.models import RoleCode
from cylch.records.templatetags.record_display import time_if_known
from tests.factories import ChronologyEventFactory, InvolvementFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def _local(*parts: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*parts))  # noqa: DTZ001 - made aware in the local zone


def test_local_midnight_has_no_time():
    assert time_if_known(timezone.localtime(_local(2026, 3, 2, 0, 0))) == ""


def test_a_recorded_time_is_shown():
    assert time_if_known(timezone.localtime(_local(2026, 3, 2, 14, 5))) == "14:05"


def test_the_single_view_shows_a_date_only_event_without_00_00(client):
    user = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    child = PersonFactory()
    InvolvementFactory(person=child, agency=user.agency)
    ChronologyEventFactory(person=child, occurred_at=_local(2026, 3, 2, 0, 0), summary="Placed on the register")
    ChronologyEventFactory(person=child, occurred_at=_local(2026, 3, 3, 14, 5), summary="Home visit")
    client.force_login(user)
    page = client.get(f"/people/{child.cylch_id}/").content.decode()
    chronology = page[page.index('id="chronology"') :]
    assert "00:00" not in chronology
    assert "14:05" in chronology
