"""The access matrix for alerts, generated: every role, in an agency involved with the child and in one that is
not, against the alert page and the banner on the child's single view. Detail (the rule,
why it fired, the child's name, acting on it) goes only to whom the access rule lets see the child; everyone else
learns that an alert exists and whom to contact."""

from __future__ import annotations

import pytest

from cylch.access.rule import can_see_detail
from cylch.accounts.models import AgencyKind, RoleCode
from cylch.chronology.models import EventKind
from cylch.risk.models import Alert
from cylch.risk.services import risk_evaluate
from tests.factories import AgencyFactory, InvolvementFactory, PractitionerFactory
from tests.risk.conftest import event

WNB = EventKind.WAS_NOT_BROUGHT
pytestmark = pytest.mark.usefixtures("now_is_fixed")
CASES = [(role, involved) for role in RoleCode.values for involved in (True, False)]


@pytest.fixture
def alert(db, baby, health_visiting) -> Alert:
    event(baby, WNB, days_ago=60, agency=health_visiting)
    event(baby, WNB, days_ago=5, agency=health_visiting)
    return risk_evaluate(people=[baby.pk]).raised[0]


def _reader(role: str, involved: bool, baby, health_visiting):
    agency = health_visiting if involved else AgencyFactory(kind=AgencyKind.SCHOOL)
    reader = PractitionerFactory(agency=agency, roles=[role])
    if involved:
        InvolvementFactory(person=baby, agency=agency, practitioner=reader)
    return reader


@pytest.mark.parametrize(("role", "involved"), CASES)
def test_the_alert_page_shows_detail_only_to_whom_the_access_rule_allows(
    client, alert, baby, health_visiting, role, involved
):
    reader = _reader(role, involved, baby, health_visiting)
    client.force_login(reader)
    page = client.get(f"/risk/alerts/{alert.pk}/").content.decode()
    if can_see_detail(user=reader, person=baby):
        assert alert.version.name in page
        assert str(baby) in page
    else:
        assert "An alert is open about a child" in page
        assert alert.version.name not in page
        assert str(baby) not in page
        assert client.post(f"/risk/alerts/{alert.pk}/acknowledge/").status_code == 403


@pytest.mark.parametrize(("role", "involved"), CASES)
def test_the_single_view_banner_names_the_rule_only_to_whom_the_access_rule_allows(
    client, alert, baby, health_visiting, role, involved
):
    reader = _reader(role, involved, baby, health_visiting)
    client.force_login(reader)
    page = client.get(f"/people/{baby.cylch_id}/").content.decode()
    assert 'id="risk-alerts"' in page
    assert (alert.version.name in page) is can_see_detail(user=reader, person=baby)


def test_the_involved_casework_practitioner_sees_detail_and_an_uninvolved_one_does_not(baby, health_visiting, alert):
    """The pair the matrix rests on: without it every row above could pass for the wrong reason."""
    assert can_see_detail(user=_reader(RoleCode.AGENCY_PRACTITIONER, True, baby, health_visiting), person=baby)
    assert not can_see_detail(user=_reader(RoleCode.AGENCY_PRACTITIONER, False, baby, health_visiting), person=baby)
