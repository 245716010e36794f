"""The front door's decision page names a child's open cumulative-risk alert among its checks (through
CYLCH_DECISION_CHECKS, since concerns sits below risk), and a closed alert is no longer one."""

from __future__ import annotations

import pytest

from cylch.accounts.models import RoleCode
from cylch.chronology.models import EventKind
from cylch.concerns.selectors import decision_checks
from cylch.concerns.services import concern_submit
from cylch.risk.models import AlertOutcome
from cylch.risk.selectors import decision_checks_alerts
from cylch.risk.services import alert_close, risk_evaluate
from tests.concerns.conftest import make_input
from tests.factories import AgencyFactory, PractitionerFactory
from tests.risk.conftest import born_years_ago, event

pytestmark = pytest.mark.usefixtures("now_is_fixed")


def _alert_for(child):
    event(child, EventKind.WAS_NOT_BROUGHT, days_ago=60)
    event(child, EventKind.WAS_NOT_BROUGHT, days_ago=5)
    [alert] = risk_evaluate(people=[child.pk]).raised
    return alert


def test_an_open_alert_is_a_check_naming_the_child_and_the_rule(db, baby):
    alert = _alert_for(baby)
    [check] = decision_checks_alerts(children={baby.pk: "Baby Jones"})
    assert (check.check, check.child, check.detail) == ("open_alert", "Baby Jones", alert.version.name)


def test_a_closed_alert_is_not_a_check(db, baby):
    alert = _alert_for(baby)
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    alert_close(alert=alert, user=front_door, outcome=AlertOutcome.REFERRED, reason="Referred to the front door.")
    assert decision_checks_alerts(children={baby.pk: "Baby Jones"}) == []


def test_the_decision_page_says_the_child_has_an_open_alert(db, client):
    school_lead = PractitionerFactory(agency=AgencyFactory(name="Ysgol"))
    concern = concern_submit(submitter=school_lead, data=make_input()).concern
    child = concern.subjects.get(role="child").person
    child.date_of_birth = born_years_ago(0, days=200)  # a baby, whom the Was Not Brought rule is for
    child.save(update_fields=["date_of_birth"])
    alert = _alert_for(child)
    assert [c.check for c in decision_checks(concern=concern)] == ["open_alert"]
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR]))
    html = client.get(f"/concerns/{concern.reference}/?section=decision").content.decode()
    assert "open cumulative-risk alert" in html
    assert alert.version.name in html
