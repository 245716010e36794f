"""Every role × every way personal data leaves Cylch: detail with need-to-know, otherwise only contacts.

Endpoints: the person page, search results (selector and page), the caseload list, the person API,
the match API (linked-record candidates and their evidence), the whole-family view, the chronology
and family chronology exports (CSV, PDF), and a concern's page and API follow need-to-know. Concern
lists show others' concerns only to the front door (its queue). The oversight pages follow role: who
has seen a record (information governance), subject access exports (information governance), the
match-review queue and compare page (front-door managers). Oversight roles see no child through their agency's
involvements. Each case is a can/cannot
pair, as Data Hub tests its permissions.
"""

import datetime

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from cylch.access.rule import can_see_detail
from cylch.access.services import access_request_create, access_request_decide, break_glass
from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry, AuditAction
from cylch.linkage.models import MatchReview
from cylch.notifications.models import Notification
from cylch.notifications.services import notification_send
from cylch.records.selectors.caseload import caseload
from cylch.records.selectors.person import person_record
from cylch.records.selectors.search import person_search
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    ConcernFactory,
    ConcernSubjectFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "Disclosed at school: frightened to go home"
FULL_VIEW = {RoleCode.FRONT_DOOR, RoleCode.FRONT_DOOR_MANAGER}
# Oversight roles (board officer, information governance, administrator) do not see children through their
# agency's involvements: see cylch.accounts.permissions.
CASEWORK = {RoleCode.AGENCY_PRACTITIONER, RoleCode.LEAD_PRACTITIONER, *FULL_VIEW}
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
    return (involved and role in CASEWORK) or role in FULL_VIEW


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


def _export(client, user, child, fmt, *, family=False):
    client.force_login(user)
    response = client.get(f"/people/{child.cylch_id}/{'family/' if family else ''}chronology.{fmt}")
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


def _web_search(client, user, child):
    client.force_login(user)
    response = client.get("/people/search/", {"name": "Tegan Pugh"})
    assert response.status_code == 200
    page = response.content.decode()
    assert child.cylch_id in page  # everyone learns that the child is known
    return "Full record" in page


def _match_candidate(user, child):
    api = APIClient()
    api.force_authenticate(user)
    response = api.post(
        "/api/v1/persons/match",
        {"given_name": "Tegan", "family_name": "Pugh", "date_of_birth": "2015-02-03"},
        format="json",
    )
    assert response.status_code == 200
    [candidate] = [c for c in response.json()["candidates"] if c["cylch_id"] == child.cylch_id]
    return candidate


def _api_match(user, child):
    candidate = _match_candidate(user, child)
    assert (candidate.get("person") is not None) == candidate["detail_allowed"]
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
    assert (child in caseload(user=user)) is (involved and role in CASEWORK)
    assert _web_detail(client, user, child) is expected
    assert _family_detail(client, user, child) is expected
    assert _export(client, user, child, "csv") is expected
    assert _export(client, user, child, "csv", family=True) is expected
    assert _web_search(client, user, child) is expected
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
    assert _export(client, user, child, "pdf", family=True) is _expected(role, involved)


@pytest.mark.parametrize("involved", [True, False], ids=["involved", "not-involved"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_match_api_gives_evidence_only_for_records_the_caller_may_open(child, role, involved):
    candidate = _match_candidate(_user(role, child, involved), child)
    assert ("evidence" in candidate) is _expected(role, involved)


CONCERN_SECRET = "Bruises on both arms at drop-off"


@pytest.fixture
def concern(child):
    """A concern about the child raised by someone outside every agency in the matrix."""
    return ConcernSubjectFactory(person=child, concern=ConcernFactory(what_happened=CONCERN_SECRET)).concern


@pytest.mark.parametrize("involved", [True, False], ids=["involved", "not-involved"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_concern_page_and_api_apply_need_to_know(client, child, concern, role, involved):
    user = _user(role, child, involved)
    expected = _expected(role, involved)
    client.force_login(user)
    page = client.get(f"/concerns/{concern.reference}/")
    assert page.status_code == (200 if expected else 404)
    assert (CONCERN_SECRET in page.content.decode()) is expected
    api = APIClient()
    api.force_authenticate(user)
    detail = api.get(f"/api/v1/concerns/{concern.reference}")
    assert detail.status_code == (200 if expected else 403)
    assert (concern.reference in detail.content.decode()) is expected  # the API gives status, not the narrative


@pytest.mark.parametrize("involved", [True, False], ids=["involved", "not-involved"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_concern_lists_show_others_concerns_only_to_the_front_door(client, child, concern, role, involved):
    user = _user(role, child, involved)
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    assert concern.reference not in api.get("/api/v1/concerns").content.decode()
    assert concern.reference not in client.get("/concerns/mine/").content.decode()
    assert (concern.reference in client.get("/front-door/").content.decode()) is (role in FULL_VIEW)


def test_the_referrer_finds_their_own_concern_in_every_list_and_detail(client, child, concern):
    referrer = concern.referrer
    assert not can_see_detail(user=referrer, person=child)
    client.force_login(referrer)
    api = APIClient()
    api.force_authenticate(referrer)
    assert concern.reference in api.get("/api/v1/concerns").content.decode()
    assert concern.reference in client.get("/concerns/mine/").content.decode()
    assert api.get(f"/api/v1/concerns/{concern.reference}").status_code == 200
    assert CONCERN_SECRET in client.get(f"/concerns/{concern.reference}/").content.decode()


@pytest.mark.parametrize("involved", [True, False], ids=["involved", "not-involved"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_match_review_compare_page_is_for_front_door_managers_only(client, child, role, involved):
    incoming = PersonFactory(given_name="Teagan", family_name="Pugh", nhs_number="")
    review = MatchReview.objects.create(
        person=incoming, candidate=child, probability=0.6, match_weight=1.0, evidence=[], model_version="v2"
    )
    client.force_login(_user(role, child, involved))
    response = client.get(f"/linkage/reviews/{review.pk}/")
    manager = role == RoleCode.FRONT_DOOR_MANAGER
    assert response.status_code == (200 if manager else 404)
    assert ("Teagan" in response.content.decode()) is manager


ACCESS_LOG_ROLES = {RoleCode.INFORMATION_GOVERNANCE}
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
    assert (queue.status_code == 200) is (role == RoleCode.FRONT_DOOR_MANAGER)


FEED_PATHS = ["events", "involvements", "household-memberships", "relationships", "statuses"]


@pytest.mark.parametrize("path", FEED_PATHS)
@pytest.mark.parametrize("role", [*ALL_ROLES, "system_account"])
def test_only_an_agencys_system_account_feeds_the_record_and_only_as_itself(child, role, path):
    """Every role's token with every scope it may hold, and a system account's with feeds:write: only the system
    account is answered per item, and what it sends is its own agency's account."""
    from cylch.accounts.permissions import may_hold_scope
    from cylch.accounts.scopes import SCOPES
    from cylch.feeds.models import FeedItem
    from tests.factories import SourceRecordFactory, api_key

    system = role == "system_account"
    user = PractitionerFactory(is_system_account=system, roles=[] if system else [role])
    SourceRecordFactory(agency=user.agency, person=child, local_id="L-1")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_key(user, scopes=[s for s in SCOPES if may_hold_scope(user, s)])}")
    item = {"id": "X-1", "person": {"local_id": "L-1"}, "agency": AgencyFactory().pk}
    response = api.post(f"/api/v1/{path}", item, format="json")
    assert response.status_code == (200 if system else 403)
    assert not FeedItem.objects.exclude(agency=user.agency).exists()
