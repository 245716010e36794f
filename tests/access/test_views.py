"""Who has seen this record (information governance, front-door managers), the chain check, and deciding
access requests (the record's lead agency or the front door)."""

from __future__ import annotations

import pytest

from cylch.access.models import AccessGrant, GrantStatus
from cylch.access.rule import can_see_detail
from cylch.access.services import access_request_create
from cylch.accounts.models import RoleCode
from cylch.audit.chain import chain_seal
from cylch.audit.models import AccessLogEntry, AccessOutcome, AuditAction
from tests.factories import AgencyFactory, InvolvementFactory, PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

ACCESS_LOG_ROLES = {RoleCode.INFORMATION_GOVERNANCE}


@pytest.fixture
def child():
    person = PersonFactory(given_name="Tegan", family_name="Pugh")
    InvolvementFactory(person=person, agency=AgencyFactory(name="Ysgol Gynradd"))
    return person


def test_information_governance_sees_who_opened_the_record(client, child):
    viewer = PractitionerFactory(first_name="Bethan", last_name="Morgan", roles=[RoleCode.FRONT_DOOR])
    client.force_login(viewer)
    client.get(f"/people/{child.cylch_id}/")
    ig = PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE])
    client.force_login(ig)
    response = client.get(f"/people/{child.cylch_id}/access-log/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bethan Morgan" in page
    assert "The person’s record" in page  # the page in words, not its code
    assert "Front door" in page  # roles by name, not code
    assert "Check the audit log has not been altered" in page
    assert AccessLogEntry.objects.filter(practitioner=ig, page="access-log", outcome=AccessOutcome.DETAIL).exists()


def test_a_long_access_log_says_how_many_entries_and_pages_through_all(client, child, monkeypatch):
    monkeypatch.setattr("cylch.access.selectors.ACCESS_LOG_PAGE_SIZE", 2)
    for name in ("Aled", "Bethan"):
        client.force_login(PractitionerFactory(first_name=name, last_name="Viewer", roles=[RoleCode.FRONT_DOOR]))
        client.get(f"/people/{child.cylch_id}/")
    client.force_login(
        PractitionerFactory(first_name="Iola", last_name="Governance", roles=[RoleCode.INFORMATION_GOVERNANCE])
    )
    first = client.get(f"/people/{child.cylch_id}/access-log/").content.decode()
    second = client.get(f"/people/{child.cylch_id}/access-log/", {"page": 2}).content.decode()
    # Two page views, then the log's own reads (each is logged before it is listed), newest first.
    assert "3 entries, most recent first (showing 1 to 2)" in first
    assert "4 entries, most recent first (showing 3 to 4)" in second
    assert [name in first for name in ("Iola Governance", "Aled Viewer")] == [True, False]
    assert [name in second for name in ("Bethan Viewer", "Aled Viewer")] == [True, True]


@pytest.mark.parametrize("role", list(RoleCode))
def test_the_access_log_is_only_for_oversight_roles(client, child, role):
    user = PractitionerFactory(roles=[role], agency=child.involvements.get().agency)
    client.force_login(user)
    response = client.get(f"/people/{child.cylch_id}/access-log/")
    if role in ACCESS_LOG_ROLES:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert AccessLogEntry.objects.get(practitioner=user, page="access-log").outcome == AccessOutcome.REFUSED


def test_the_chain_check_reports_an_intact_log(client, child):
    client.force_login(PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE]))
    client.get(f"/people/{child.cylch_id}/access-log/")
    chain_seal()
    response = client.post(f"/people/{child.cylch_id}/access-log/")
    assert response.status_code == 200
    assert response.context["report"].intact
    assert "The audit log is intact" in response.content.decode()


def test_the_chain_check_names_an_edited_entry(client, child, tamper):
    client.force_login(PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE]))
    client.get(f"/people/{child.cylch_id}/access-log/")
    chain_seal()
    with tamper():
        AccessLogEntry.objects.filter(pk=AccessLogEntry.objects.order_by("pk").first().pk).update(page="edited")
    response = client.post(f"/people/{child.cylch_id}/access-log/")
    assert not response.context["report"].intact
    assert "The audit log has been tampered with" in response.content.decode()


def test_a_front_door_manager_can_neither_read_the_log_nor_run_the_chain_check(client, child):
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR_MANAGER]))
    assert client.get(f"/people/{child.cylch_id}/access-log/").status_code == 403
    assert client.post(f"/people/{child.cylch_id}/access-log/").status_code == 403


# --- deciding access requests ---


@pytest.fixture
def pending(child):
    requester = PractitionerFactory(first_name="Huw", last_name="Rees")
    return access_request_create(user=requester, person=child, reason="New school needs the safeguarding file")


def test_the_lead_agency_sees_and_approves_a_request(client, child, pending):
    lead = PractitionerFactory(agency=child.involvements.get().agency)
    client.force_login(lead)
    page = client.get("/access-requests/").content.decode()
    assert "Huw Rees" in page and "New school needs the safeguarding file" in page  # noqa: PT018
    assert AccessLogEntry.objects.filter(practitioner=lead, page="access-requests", person=child).exists()
    response = client.post(f"/access-requests/{pending.pk}/", {"decision": "approve", "reason": "Agreed: DSL"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == GrantStatus.APPROVED
    assert can_see_detail(user=pending.practitioner, person=child)
    assert AccessLogEntry.objects.filter(action=AuditAction.ACCESS_DECISION, practitioner=lead).exists()


def test_a_decision_needs_an_answer_and_a_reason(client, child, pending):
    client.force_login(PractitionerFactory(agency=child.involvements.get().agency))
    response = client.post(f"/access-requests/{pending.pk}/", {})
    page = response.content.decode()
    assert "Choose an answer" in page and "Enter the reason for your decision" in page  # noqa: PT018
    pending.refresh_from_db()
    assert pending.status == GrantStatus.PENDING


def test_another_agency_cannot_see_or_decide_a_request(client, child, pending):
    client.force_login(PractitionerFactory())
    assert "Huw Rees" not in client.get("/access-requests/").content.decode()
    assert client.get(f"/access-requests/{pending.pk}/").status_code == 404
    assert client.post(f"/access-requests/{pending.pk}/", {"decision": "approve", "reason": "x"}).status_code == 404
    assert AccessGrant.objects.get().status == GrantStatus.PENDING


def test_the_front_door_manager_can_refuse_any_request(client, child, pending):
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR_MANAGER]))
    client.post(f"/access-requests/{pending.pk}/", {"decision": "refuse", "reason": "No working relationship"})
    pending.refresh_from_db()
    assert pending.status == GrantStatus.REFUSED
    assert not can_see_detail(user=pending.practitioner, person=child)
