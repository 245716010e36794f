"""The home page points each role at its own pages (the caseload; the board's reviews, thematic analysis and
timeliness) and names the practitioner's team and job title in the reader's language."""

from __future__ import annotations

import pytest

from cylch.accounts.models import RoleCode
from tests.factories import PractitionerFactory, TeamFactory

pytestmark = pytest.mark.django_db

CASELOAD = 'href="/people/caseload/"'
BOARD_LINKS = ('href="/reviews/"', 'href="/thematic/"', 'href="/meetings/timeliness/"')


def _home(client, practitioner, language: str = "en") -> str:
    client.force_login(practitioner)
    return client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize("role", [RoleCode.AGENCY_PRACTITIONER, RoleCode.LEAD_PRACTITIONER])
def test_a_practitioner_with_a_caseload_is_pointed_at_the_full_caseload(client, role):
    assert CASELOAD in _home(client, PractitionerFactory(roles=[role]))


def test_a_board_officer_has_no_caseload_link(client):
    assert CASELOAD not in _home(client, PractitionerFactory(roles=[RoleCode.BOARD_OFFICER]))


def test_a_board_officer_is_pointed_at_the_reviews_their_analysis_and_timeliness(client):
    page = _home(client, PractitionerFactory(roles=[RoleCode.BOARD_OFFICER]))
    assert all(link in page for link in BOARD_LINKS)


def test_each_board_link_opens_for_the_board_officer(client):
    client.force_login(PractitionerFactory(roles=[RoleCode.BOARD_OFFICER]))
    for link in BOARD_LINKS:
        url = link.removeprefix('href="').removesuffix('"')
        assert client.get(url).status_code == 200, url


def test_an_agency_practitioner_is_not_pointed_at_the_boards_pages(client):
    page = _home(client, PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER]))
    assert not any(link in page for link in BOARD_LINKS[:2])


def test_the_team_and_job_title_are_in_welsh_for_a_welsh_reader(client):
    team = TeamFactory(name="Assessment team", name_cy="Tîm asesu")
    practitioner = PractitionerFactory(
        agency=team.agency, team=team, job_title="Social worker", job_title_cy="Gweithiwr cymdeithasol"
    )
    welsh = _home(client, practitioner, "cy")
    assert "Tîm asesu" in welsh
    assert "Gweithiwr cymdeithasol" in welsh
    english = _home(client, practitioner, "en")
    assert "Assessment team" in english
    assert "Social worker" in english
