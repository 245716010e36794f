"""Team names and job titles are data, shown in Welsh when the reader reads Welsh (#13 item 8): the Welsh recorded
on the row first, else the service's translation of a standard name, else the name as recorded."""

from __future__ import annotations

import pytest
from django.utils import translation

from cylch.accounts.models import RoleCode
from cylch.accounts.welsh import STANDARD_NAMES, in_language
from tests.factories import InvolvementFactory, PersonFactory, PractitionerFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_a_recorded_welsh_job_title_is_shown_in_welsh_only():
    practitioner = PractitionerFactory.build(job_title="Play therapist", job_title_cy="Therapydd chwarae")
    with translation.override("cy"):
        assert practitioner.job_title_localised == "Therapydd chwarae"
    with translation.override("en"):
        assert practitioner.job_title_localised == "Play therapist"


def test_a_recorded_welsh_team_name_is_shown_in_welsh():
    team = TeamFactory.build(name="Edge of care", name_cy="Ymyl gofal")
    with translation.override("cy"):
        assert team.name_localised == "Ymyl gofal"


def test_a_standard_job_title_without_a_welsh_one_recorded_takes_the_services_translation(monkeypatch):
    monkeypatch.setitem(STANDARD_NAMES, "Health visitor", "Ymwelydd iechyd")  # as the Welsh catalogue gives it
    with translation.override("cy"):
        assert in_language("Health visitor", "") == "Ymwelydd iechyd"


def test_a_title_the_service_does_not_know_is_shown_as_recorded():
    with translation.override("cy"):
        assert in_language("Play therapist", "") == "Play therapist"


def test_the_whom_to_contact_table_gives_the_job_title_in_welsh(client):
    reader = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    worker = PractitionerFactory(job_title="Play therapist", job_title_cy="Therapydd chwarae")
    child = PersonFactory()
    InvolvementFactory(person=child, practitioner=worker, agency=worker.agency)
    client.force_login(reader)
    client.cookies["cylch_language"] = "cy"
    page = client.get(f"/people/{child.cylch_id}/").content.decode()
    assert "Therapydd chwarae" in page
    assert "Play therapist" not in page
