"""The board's 12Cs report pages: who may open them (the region's board; a partner agency 403; another region's
board 404), what they show (trends in words, the comparison, the heat map, the facts), and hostile query strings."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cylch.accounts.models import AgencyKind
from cylch.assurance.models import ActionStatus, ImprovementAction, PartnershipLevel
from tests.assurance.factories import ContributionFactory, CycleFactory, board_officer, partner_practitioner
from tests.factories import AgencyFactory, ConcernFactory, LocalAuthorityFactory, PractitionerFactory

PAGES = ["facts", "heatmap", "report-pdf", "report-xlsx", "report-csv"]


@pytest.fixture
def board(db):
    return board_officer()


@pytest.fixture
def cycle(board):
    return CycleFactory(opened_by=board)


def _score(cycle, component: str, ciw: int, progress: int) -> None:
    cycle.assessments.filter(component=component).update(ciw_score=ciw, progress_score=progress)


def _sign(cycle, board, end: datetime.date) -> None:
    cycle.period_start, cycle.period_end = end.replace(year=end.year - 1) + datetime.timedelta(days=1), end
    cycle.signed_off_at, cycle.signed_off_by = timezone.now(), board
    cycle.save()


@pytest.mark.parametrize("page", PAGES)
def test_the_board_opens_each_report_of_its_cycle(client, board, cycle, page):
    client.force_login(board)
    assert client.get(reverse(f"assurance:{page}", args=[cycle.pk])).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_a_partner_agency_cannot_open_the_boards_reports(client, cycle, page):
    client.force_login(partner_practitioner(cycle))
    assert client.get(reverse(f"assurance:{page}", args=[cycle.pk])).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_another_regions_board_finds_no_such_cycle(client, cycle, page):
    client.force_login(board_officer())
    assert client.get(reverse(f"assurance:{page}", args=[cycle.pk])).status_code == 404


@pytest.mark.parametrize("page", ["trends", "compare"])
def test_only_a_board_officer_opens_trends_and_the_comparison(client, db, page):
    client.force_login(PractitionerFactory())
    assert client.get(reverse(f"assurance:{page}")).status_code == 403


def test_the_cycle_page_shows_the_radar_and_the_reports_to_the_board(client, board, cycle):
    client.force_login(board)
    page = client.get(f"/assurance/{cycle.pk}/").content.decode()
    assert 'data-testid="cycle-charts"' in page
    assert "<svg" in page
    assert f"/assurance/{cycle.pk}/report.pdf?language=cy" in page


def test_the_radars_table_says_an_unscored_c_is_not_scored(client, board, cycle):
    cycle.assessments.filter(component="c4").update(ciw_score=4, progress_score=None)
    client.force_login(board)
    page = client.get(f"/assurance/{cycle.pk}/").content.decode()
    assert "Not scored</td>" in page
    assert "the line breaks there" in page


def test_the_cycle_page_shows_a_partner_agency_no_board_charts(client, cycle):
    client.force_login(partner_practitioner(cycle))
    page = client.get(f"/assurance/{cycle.pk}/").content.decode()
    assert 'data-testid="cycle-charts"' not in page


def test_a_cs_page_shows_its_measured_facts_with_how_computed_and_the_source(client, board, cycle):
    client.force_login(board)
    page = client.get(f"/assurance/{cycle.pk}/c/c10/").content.decode()
    assert "Concerns decided within one working day" in page
    assert "How it was computed" in page
    assert "/front-door/metrics/?since_day=" in page


@pytest.mark.parametrize("component", ["c4", "c10", "c11"])
def test_a_partner_agencys_practitioner_is_not_linked_to_figures_pages_that_refuse_them(client, cycle, component):
    client.force_login(partner_practitioner(cycle))
    page = client.get(f"/assurance/{cycle.pk}/c/{component}/").content.decode()
    assert "From: " in page
    for refused in ("/front-door/metrics/", "/risk/dashboard/", "/meetings/timeliness/"):
        assert f'href="{refused}' not in page


def test_the_board_is_linked_to_the_risk_dashboard_and_the_timescales_report(client, board, cycle):
    client.force_login(board)
    page = client.get(f"/assurance/{cycle.pk}/c/c11/").content.decode()
    assert 'href="/risk/dashboard/?months=' in page
    assert 'href="/meetings/timeliness/"' in page


def test_the_facts_page_says_what_the_timescales_report_counts_that_the_fact_does_not(client, board, cycle):
    client.force_login(board)
    page = client.get(f"/assurance/{cycle.pk}/facts/").content.decode()
    assert "no choice of dates" in page


def test_a_partner_agency_sees_its_own_agency_share_on_a_cs_page_and_not_anothers(client, cycle):
    police = AgencyFactory(local_authority__region=cycle.region, kind=AgencyKind.POLICE, name="Heddlu De Cymru")
    school = AgencyFactory(local_authority=police.local_authority, name="Ysgol y Bryn")
    reader = partner_practitioner(cycle, police)
    for agency in (police, school):
        ConcernFactory(
            referrer=PractitionerFactory(agency=agency),
            received_at=timezone.make_aware(datetime.datetime.combine(cycle.period_start, datetime.time(10))),
        )
    client.force_login(reader)
    page = client.get(f"/assurance/{cycle.pk}/c/c8/").content.decode()
    assert "Concerns raised by Heddlu De Cymru" in page
    assert "Ysgol y Bryn" not in page


def test_trends_say_in_words_how_each_c_moved_since_the_cycle_before(client, board):
    earlier = CycleFactory(opened_by=board)
    later = CycleFactory(opened_by=board)
    _sign(earlier, board, datetime.date(2024, 3, 31))
    _sign(later, board, datetime.date(2025, 3, 31))
    _score(earlier, "c4", 3, 2)
    _score(later, "c4", 4, 2)
    _score(earlier, "c7", 5, 5)
    _score(later, "c7", 4, 5)
    client.force_login(board)
    page = client.get("/assurance/trends/?partnership=region").content.decode()
    assert "C4 Capacity rose from 3 to 4 on the Care Inspectorate Wales scale" in page
    assert "C7 Culture of inclusion, transparency and challenge fell from 5 to 4 on the Care Inspectorate" in page
    assert "progress scale" in page  # the legend
    assert "2023–24" in page
    assert "2024–25" in page


def test_trends_show_one_local_authoritys_cycles_only(client, board):
    authority = LocalAuthorityFactory(region=board.agency.local_authority.region, name="Cyngor Bro Morgannwg")
    CycleFactory(opened_by=board, title="Region-wide 2025")
    CycleFactory(opened_by=board, level=PartnershipLevel.LOCAL_AUTHORITY, local_authority=authority, title="Vale 2025")
    client.force_login(board)
    page = client.get(f"/assurance/trends/?partnership=la-{authority.pk}").content.decode()
    assert "Vale 2025" in page
    assert "Region-wide 2025" not in page


@pytest.mark.parametrize(
    "query", ["partnership=la-99999999999999999999", "partnership=%00", "partnership=" + "x" * 5000, "partnership=la-"]
)
def test_trends_refuse_nothing_to_a_hostile_partnership(client, board, query):
    CycleFactory(opened_by=board)
    client.force_login(board)
    response = client.get(f"/assurance/trends/?{query}")
    assert response.status_code == 200
    assert "That partnership has no cycles in your region" in response.content.decode()


def test_the_comparison_lists_each_authoritys_latest_signed_off_cycle(client, board):
    region = board.agency.local_authority.region
    vale = LocalAuthorityFactory(region=region, name="Bro Morgannwg")
    LocalAuthorityFactory(region=region, name="Caerdydd")
    old = CycleFactory(opened_by=board, level=PartnershipLevel.LOCAL_AUTHORITY, local_authority=vale, title="Vale 2024")
    new = CycleFactory(opened_by=board, level=PartnershipLevel.LOCAL_AUTHORITY, local_authority=vale, title="Vale 2025")
    _sign(old, board, datetime.date(2024, 3, 31))
    _sign(new, board, datetime.date(2025, 3, 31))
    _score(new, "c1", 5, 4)
    client.force_login(board)
    page = client.get("/assurance/compare/?scale=progress").content.decode()
    assert "Vale 2025" in page
    assert "Vale 2024" not in page
    assert "Caerdydd" in page
    assert "No signed-off cycle yet" in page
    assert "12Cs progress scale" in page


def test_the_heat_map_shows_each_partner_agencys_proposed_score_per_c(client, board, cycle):
    school = AgencyFactory(local_authority__region=cycle.region, name="Ysgol Uwchradd")
    ContributionFactory(cycle=cycle, component="c3", agency=school, proposed_ciw_score=5)
    client.force_login(board)
    page = client.get(f"/assurance/{cycle.pk}/heat-map/").content.decode()
    assert "Ysgol Uwchradd" in page
    assert ">5<" in page
    assert "no contribution" in page


def test_the_heat_map_counts_overdue_actions_per_c(client, board, cycle):
    assessment = cycle.assessments.get(component="c4")
    owner = PractitionerFactory()
    ImprovementAction.objects.create(
        assessment=assessment,
        description="Fill the two vacant posts",
        owner_agency=owner.agency,
        owner=owner,
        due_on=datetime.date(2020, 1, 1),
        status=ActionStatus.IN_PROGRESS,
    )
    client.force_login(board)
    response = client.get(f"/assurance/{cycle.pk}/heat-map/")
    assert dict(response.context["overdue"])["C4 Capacity"] == 1


@pytest.mark.parametrize("scale", ["progress", "ciw", "%00", "9" * 400])
def test_the_heat_map_takes_any_scale_without_failing(client, board, cycle, scale):
    client.force_login(board)
    assert client.get(f"/assurance/{cycle.pk}/heat-map/?scale={scale}").status_code == 200


def test_the_pdf_takes_an_unknown_language_as_the_readers(client, board, cycle):
    client.force_login(board)
    response = client.get(f"/assurance/{cycle.pk}/report.pdf?language=%00xx")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-en.pdf"')
