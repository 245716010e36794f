"""Every role × every way personal data leaves Cylch: detail with need-to-know, otherwise only contacts.

Endpoints: the person page, search results, the caseload list, the person API, the match API
(linked-record candidates), the whole-family view and the chronology exports (CSV, PDF) follow
need-to-know. The oversight pages follow role: who has seen a record (information governance,
front-door managers), subject access exports (information governance), the match-review queue
(the front door). Each case is a can/cannot pair, as Data Hub tests its permissions.
"""

import datetime

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from cylch.accounts.models import RoleCode
from cylch.audit.access import access_request_create, access_request_decide, break_glass
from cylch.audit.models import AccessLogEntry, AuditAction
from cylch.notifications.models import Notification
from cylch.notifications.services import notification_send
from cylch.people.access import can_see_detail
from cylch.people.selectors import caseload, person_record, person_search
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "Disclosed at school: frightened to go home"
FULL_VIEW = {RoleCode.FRONT_DOOR, RoleCode.FRONT_DOOR_MANAGER}
ALL_ROLES = list(RoleCode)


@pytest.fixture
def child():
    person = PersonFactory(given_name="Tegan", family_name="Pugh", date_of_birth=datetime.date(2015, 2, 3))
    involved = AgencyFactory(name="Ysgol Gynradd")
    InvolvementFactory(person=person, agency=involved)
    ChronologyEventFactory(person=person, agency=involved, summary=SECRET)
    return person


def _user(role, child, involved):
    agency = child.involvements.get().agency if involved else AgencyFactory()
    return PractitionerFactory(roles=[role], agency=agency)


def _expected(role, involved):
    return involved or role in FULL_VIEW


def _web_detail(client, user, child):
    client.force_login(user)
    response = client.get(f"/people/{child.cylch_id}/")
    assert response.status_code == 200
    return SECRET in response.content.decode()


def _family_detail(client, user, child):
    client.force_login(user)
    response = client.get(f"/people/{child.cylch_id}/family/")
    assert response.status_code in (200, 302)
    return response.status_code == 200 and SECRET in response.content.decode()


def _export(client, user, child, fmt):
    client.force_login(user)
    response = client.get(f"/people/{child.cylch_id}/chronology.{fmt}")
    assert response.status_code in (200, 403)
    if fmt == "csv":
        return response.status_code == 200 and SECRET in response.content.decode()
    return response.status_code == 200 and response.content.startswith(b"%PDF")


def _api_detail(user, child):
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(f"/api/v1/persons/{child.cylch_id}")
    assert response.status_code == 200
    data = response.json()
    assert data["cylch_id"] == child.cylch_id
    assert ("chronology" in data) == data["detail_allowed"]
    return data["detail_allowed"] and SECRET in str(data["chronology"])


def _api_match(user, child):
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        "/api/v1/persons/match",
        {"given_name": "Tegan", "family_name": "Pugh", "date_of_birth": "2015-02-03"},
        format="json",
    )
    assert response.status_code == 200
    [candidate] = [c for c in response.json()["candidates"] if c["cylch_id"] == child.cylch_id]
    assert (candidate["person"] is not None) == candidate["detail_allowed"]
    return candidate["detail_allowed"]


@pytest.mark.parametrize("involved", [True, False], ids=["involved", "not-involved"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_endpoint_applies_need_to_know(client, child, role, involved):
    user = _user(role, child, involved)
    expected = _expected(role, involved)
    assert can_see_detail(user=user, person=child) is expected
    assert person_record(user=user, cylch_id=child.cylch_id, page="test").detail_allowed is expected
    [result] = [r for r in person_search(user=user, name="Tegan Pugh") if r.person == child]
    assert result.detail_allowed is expected
    assert (child in caseload(user=user)) is involved
    assert _web_detail(client, user, child) is expected
    assert _family_detail(client, user, child) is expected
    assert _export(client, user, child, "csv") is expected
    assert _api_detail(user, child) is expected
    assert _api_match(user, child) is expected
    # Everyone can see that other agencies hold information, and whom to contact.
    record = person_record(user=user, cylch_id=child.cylch_id, page="test")
    assert [c.agency.name for c in record.contacts] == ["Ysgol Gynradd"]


@pytest.mark.parametrize("role", [RoleCode.BOARD_OFFICER, RoleCode.INFORMATION_GOVERNANCE])
def test_configured_board_roles_see_detail(child, role):
    user = _user(role, child, involved=False)
    assert not can_see_detail(user=user, person=child)
    with override_settings(CYLCH_FULL_VIEW_ROLES=[role]):
        assert can_see_detail(user=user, person=child)


def test_anonymous_api_calls_are_refused(child):
    api = APIClient()
    assert api.get(f"/api/v1/persons/{child.cylch_id}").status_code in (401, 403)
    assert api.post("/api/v1/persons/match", {}, format="json").status_code in (401, 403)


def test_break_glass_gives_detail_and_is_audited(child):
    user = _user(RoleCode.AGENCY_PRACTITIONER, child, involved=False)
    assert not can_see_detail(user=user, person=child)
    break_glass(user=user, person=child, reason="Child presented at A&E out of hours with injuries")
    assert can_see_detail(user=user, person=child)
    assert AccessLogEntry.objects.filter(person=child, action=AuditAction.BREAK_GLASS, practitioner=user).exists()


def test_break_glass_tells_the_lead_agency_through_the_outbox(child, mailoutbox):
    user = _user(RoleCode.AGENCY_PRACTITIONER, child, involved=False)
    break_glass(user=user, person=child, reason="Child presented at A&E out of hours with injuries")
    notice = Notification.objects.get(template="access_break_glass")
    notification_send(notification_id=notice.pk)
    assert [m.to for m in mailoutbox] == [[child.involvements.get().agency.email]]
    assert child.cylch_id in mailoutbox[0].body


def test_an_access_request_gives_detail_only_once_approved(child):
    user = _user(RoleCode.AGENCY_PRACTITIONER, child, involved=False)
    grant = access_request_create(user=user, person=child, reason="New school needs the safeguarding file")
    assert not can_see_detail(user=user, person=child)
    lead = _user(RoleCode.AGENCY_PRACTITIONER, child, involved=True)
    access_request_decide(grant=grant, decided_by=lead, approve=True, reason="Agreed")
    assert can_see_detail(user=user, person=child)


def test_a_refused_access_request_gives_nothing(child):
    user = _user(RoleCode.AGENCY_PRACTITIONER, child, involved=False)
    grant = access_request_create(user=user, person=child, reason="Curious about the family next door")
    lead = _user(RoleCode.AGENCY_PRACTITIONER, child, involved=True)
    access_request_decide(grant=grant, decided_by=lead, approve=False, reason="No working relationship")
    assert not can_see_detail(user=user, person=child)


@pytest.mark.parametrize("involved", [True, False], ids=["involved", "not-involved"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_chronology_pdf_applies_need_to_know(client, child, role, involved):
    user = _user(role, child, involved)
    assert _export(client, user, child, "pdf") is _expected(role, involved)


ACCESS_LOG_ROLES = {RoleCode.INFORMATION_GOVERNANCE, RoleCode.FRONT_DOOR_MANAGER}
SUBJECT_ACCESS_ROLES = {RoleCode.INFORMATION_GOVERNANCE}


@pytest.mark.parametrize("involved", [True, False], ids=["involved", "not-involved"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_oversight_pages_follow_role_not_involvement(client, child, role, involved):
    user = _user(role, child, involved)
    client.force_login(user)
    log = client.get(f"/people/{child.cylch_id}/access-log/")
    assert (log.status_code == 200) is (role in ACCESS_LOG_ROLES)
    sar = client.get(f"/people/{child.cylch_id}/subject-access.json")
    assert (sar.status_code == 200) is (role in SUBJECT_ACCESS_ROLES)
    assert (SECRET in sar.content.decode()) is (role in SUBJECT_ACCESS_ROLES)
    queue = client.get("/linkage/reviews/")
    assert (queue.status_code == 200) is (role in FULL_VIEW)
