"""The single view of a child: flags, names by agency, genogram, concerns, exports, the family view,
asking for access, and subject access. Every page is a can/cannot pair and every read is logged."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from cylch.access.models import AccessGrant, GrantKind, GrantStatus
from cylch.access.services import access_request_create, break_glass
from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry, AccessOutcome, AuditAction
from cylch.chronology.models import EventKind
from cylch.concerns.services import SubjectInput, concern_submit
from cylch.linkage.merging import person_merge
from cylch.linkage.models import MatchReview
from cylch.records.selectors.person import person_record
from tests.concerns.conftest import make_input
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    ConcernFactory,
    ConcernSubjectFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PersonIdentifierFactory,
    PersonNameFactory,
    PractitionerFactory,
    RelationshipFactory,
    SourceRecordFactory,
    StatutoryStatusFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioner(client):
    user = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    client.force_login(user)
    return user


@pytest.fixture
def cerys(practitioner):
    child = PersonFactory(given_name="Cerys", family_name="Llewellyn", date_of_birth=datetime.date(2016, 5, 9))
    InvolvementFactory(person=child, agency=practitioner.agency, role="Health visitor")
    return child


@pytest.fixture
def stranger():
    child = PersonFactory(given_name="Osian", family_name="Pryce")
    InvolvementFactory(person=child)
    ChronologyEventFactory(person=child, summary="Secret summary")
    return child


def _events_of(response) -> list[list[str]]:
    """The rows of a chronology CSV from its column headings on (below the heading naming the person)."""
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return rows[next(i for i, row in enumerate(rows) if row and row[0] == "Date and time") :]


def _page(client, url, **query):
    response = client.get(url, query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- the person page ---


def test_flags_spell_out_the_register_and_include_unborn_children(client, practitioner):
    unborn = PersonFactory(
        given_name="",
        family_name="Baby Jones",
        is_unborn=True,
        date_of_birth=None,
        expected_delivery_date=timezone.localdate() + datetime.timedelta(days=60),
    )
    InvolvementFactory(person=unborn, agency=practitioner.agency)
    StatutoryStatusFactory(person=unborn, kind="cp_register", category="NEG")
    page = _page(client, f"/people/{unborn.cylch_id}/")
    assert "On the child protection register" in page
    assert "Registered before birth (unborn child)." in page
    assert "CPR" not in page


def test_looked_after_and_agencies_involved_are_flagged(client, practitioner, cerys):
    StatutoryStatusFactory(person=cerys, kind="looked_after", category="")
    InvolvementFactory(person=cerys, agency=AgencyFactory(name="Ysgol y Wern"))
    response = client.get(f"/people/{cerys.cylch_id}/")
    flags = response.context["flags"]
    assert len(flags.looked_after) == 1
    assert not flags.register
    assert "Ysgol y Wern" in flags.agencies


def test_names_used_by_each_agency_are_listed(client, practitioner, cerys):
    SourceRecordFactory(
        person=cerys, agency=AgencyFactory(name="Heddlu De Cymru"), given_name="Ceri", family_name="Lewellyn"
    )
    page = _page(client, f"/people/{cerys.cylch_id}/")
    assert "Names used by each agency" in page
    assert "Heddlu De Cymru" in page
    assert "Ceri Lewellyn" in page


def test_the_genogram_and_its_text_alternative_are_on_the_page(client, practitioner, cerys):
    mother = PersonFactory(given_name="Rhian", family_name="O'Brien <b>", date_of_birth=datetime.date(1990, 1, 2))
    RelationshipFactory(person=cerys, relative=mother, kind="parent")
    page = _page(client, f"/people/{cerys.cylch_id}/")
    assert 'role="img"' in page
    assert '<title id="genogram-title">Genogram of Cerys Llewellyn</title>' in page
    assert "The genogram as text" in page
    assert "O&#x27;Brien &lt;b&gt; is the parent of Cerys Llewellyn" in page or "O&#39;Brien &lt;b&gt;" in page
    assert "<b>" not in page.split("genogram-title")[1].split("</svg>")[0]


def test_the_chronology_filters_by_kind(client, practitioner, cerys):
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, kind=EventKind.WAS_NOT_BROUGHT, summary="WNB")
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, kind=EventKind.HOME_VISIT, summary="Visit")
    response = client.get(f"/people/{cerys.cylch_id}/", {"kind": EventKind.WAS_NOT_BROUGHT})
    assert [e.summary for e in response.context["chronology_page"].object_list] == ["WNB"]
    page = response.content.decode()
    assert f"chronology.csv?kind={EventKind.WAS_NOT_BROUGHT}" in page
    assert '<option value="home_visit">Home visit</option>' in page


def test_open_concerns_and_their_status_are_shown(client, practitioner, cerys):
    subject = ConcernSubjectFactory(person=cerys)
    page = _page(client, f"/people/{cerys.cylch_id}/")
    assert subject.concern.reference in page
    assert "Concerns and their status" in page


def test_a_merged_cylch_id_redirects_to_the_surviving_record(client, practitioner, cerys):
    duplicate = PersonFactory(given_name="Cerys", family_name="Llewellyn")
    person_merge(survivor=cerys, merged=duplicate, decided_by=None, reason="Same child", automatic=True)
    response = client.get(f"/people/{duplicate.cylch_id}/family/", {"kind": "note"})
    assert response.status_code == 302
    assert response["Location"] == f"/people/{cerys.cylch_id}/family/?kind=note"


def test_oversight_links_are_shown_only_to_oversight_roles(client, practitioner, cerys):
    page = _page(client, f"/people/{cerys.cylch_id}/")
    assert "Who has seen this record" not in page
    assert "Subject access export" not in page
    ig = PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE], agency=practitioner.agency)
    client.force_login(ig)
    page = _page(client, f"/people/{cerys.cylch_id}/")
    assert f"/people/{cerys.cylch_id}/access-log/" in page
    assert f"/people/{cerys.cylch_id}/subject-access.pdf" in page


# --- chronology exports ---


def test_the_csv_export_honours_the_filter_and_is_audited(client, practitioner, cerys):
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, kind=EventKind.WAS_NOT_BROUGHT, summary="WNB")
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, kind=EventKind.HOME_VISIT, summary="Visit")
    response = client.get(f"/people/{cerys.cylch_id}/chronology.csv", {"kind": EventKind.WAS_NOT_BROUGHT})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = _events_of(response)
    assert [row[3] for row in rows[1:]] == ["WNB"]
    entry = AccessLogEntry.objects.get(page="chronology-export-csv")
    assert (entry.person, entry.practitioner, entry.action, entry.outcome) == (
        cerys,
        practitioner,
        AuditAction.EXPORT,
        AccessOutcome.DETAIL,
    )
    assert entry.details["kind"] == EventKind.WAS_NOT_BROUGHT


def test_the_pdf_export_is_a_pdf_and_is_audited(client, practitioner, cerys):
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, child_words="I don't want to go home")
    response = client.get(f"/people/{cerys.cylch_id}/chronology.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(page="chronology-export-pdf", outcome=AccessOutcome.DETAIL).count() == 1


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_exports_are_refused_without_need_to_know_and_the_refusal_is_logged(client, practitioner, stranger, fmt):
    response = client.get(f"/people/{stranger.cylch_id}/chronology.{fmt}")
    assert response.status_code == 403
    assert b"Secret summary" not in response.content
    entry = AccessLogEntry.objects.get(page=f"chronology-export-{fmt}")
    assert entry.outcome == AccessOutcome.REFUSED


# --- the whole-family view ---


def test_the_family_view_applies_the_rule_to_each_member(client, practitioner, cerys):
    home = HouseholdFactory()
    HouseholdMembershipFactory(person=cerys, household=home)
    mother = PersonFactory(given_name="Rhian", family_name="Llewellyn", date_of_birth=datetime.date(1990, 1, 2))
    HouseholdMembershipFactory(person=mother, household=home)
    RelationshipFactory(person=cerys, relative=mother, kind="parent")
    InvolvementFactory(person=mother, agency=practitioner.agency)
    ChronologyEventFactory(person=mother, kind=EventKind.SUBSTANCE_MISUSE_CONTACT, summary="Mother's history")
    partner = PersonFactory(given_name="Gareth", family_name="Hughes", date_of_birth=datetime.date(1985, 1, 1))
    HouseholdMembershipFactory(person=partner, household=home)
    InvolvementFactory(person=partner, agency=AgencyFactory(name="Probation Cymru"))
    ChronologyEventFactory(person=partner, kind=EventKind.ARREST, summary="Partner's secret")
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, summary="Child's event")

    response = client.get(f"/people/{cerys.cylch_id}/family/")
    assert response.status_code == 200
    page = response.content.decode()
    members = {m.person: m for m, _relationship in response.context["members"]}
    assert members[cerys].detail_allowed and members[mother].detail_allowed  # noqa: PT018
    assert not members[partner].detail_allowed
    assert [e.summary for e in members[mother].history] == ["Mother's history"]
    assert "Mother's history" in page or "Mother&#x27;s history" in page
    assert "Partner&#x27;s secret" not in page
    assert "Partner's secret" not in page
    assert "Probation Cymru" in page  # whom to contact is shown to everyone
    assert "Restricted: other agencies hold information" in page
    logged = {(e.person, e.outcome) for e in AccessLogEntry.objects.filter(page="family-view")}
    assert logged == {
        (cerys, AccessOutcome.DETAIL),
        (mother, AccessOutcome.DETAIL),
        (partner, AccessOutcome.RESTRICTED),
    }


def test_the_family_chronology_is_paged_across_every_member_the_user_may_see(client, practitioner, cerys):
    home = HouseholdFactory()
    HouseholdMembershipFactory(person=cerys, household=home)
    mother = PersonFactory(date_of_birth=datetime.date(1990, 1, 2))
    HouseholdMembershipFactory(person=mother, household=home)
    InvolvementFactory(person=mother, agency=practitioner.agency)
    for _ in range(40):
        ChronologyEventFactory(person=cerys, agency=practitioner.agency)
        ChronologyEventFactory(person=mother, agency=practitioner.agency)
    first = client.get(f"/people/{cerys.cylch_id}/family/").context["chronology_page"]
    second = client.get(f"/people/{cerys.cylch_id}/family/", {"page": 2}).context["chronology_page"]
    assert (first.paginator.count, len(first.object_list), len(second.object_list)) == (80, 50, 30)
    assert {e.person for e in [*first.object_list, *second.object_list]} == {cerys, mother}


def test_the_family_chronology_filter_keeps_offering_every_kind_once_one_is_chosen(client, practitioner, cerys):
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, kind=EventKind.WAS_NOT_BROUGHT, summary="WNB")
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, kind=EventKind.HOME_VISIT, summary="Visit")
    response = client.get(f"/people/{cerys.cylch_id}/family/", {"kind": EventKind.WAS_NOT_BROUGHT})
    assert [e.summary for e in response.context["chronology_page"].object_list] == ["WNB"]
    assert '<option value="home_visit">Home visit</option>' in response.content.decode()


def test_the_family_view_of_a_child_without_need_to_know_goes_to_the_restricted_page(client, practitioner, stranger):
    response = client.get(f"/people/{stranger.cylch_id}/family/")
    assert response.status_code == 302
    assert response["Location"] == f"/people/{stranger.cylch_id}/"
    assert AccessLogEntry.objects.get(page="family-view").outcome == AccessOutcome.RESTRICTED


def test_the_family_view_shows_the_genogram_previous_homes_and_concerns(client, practitioner, cerys):
    HouseholdMembershipFactory(
        person=cerys,
        household=HouseholdFactory(address_line_1="12 Heol y Bont"),
        start_date=datetime.date(2017, 1, 1),
        end_date=datetime.date(2019, 12, 31),
    )
    home = HouseholdFactory()
    HouseholdMembershipFactory(person=cerys, household=home)
    mother = PersonFactory(given_name="Rhian", family_name="Llewellyn", date_of_birth=datetime.date(1990, 1, 2))
    HouseholdMembershipFactory(person=mother, household=home)
    RelationshipFactory(person=cerys, relative=mother, kind="parent")
    subject = ConcernSubjectFactory(person=cerys)
    page = _page(client, f"/people/{cerys.cylch_id}/family/")
    assert '<title id="genogram-title">Genogram of Cerys Llewellyn</title>' in page
    assert "Rhian Llewellyn is the parent of Cerys Llewellyn" in page
    assert "12 Heol y Bont" in page
    assert subject.concern.reference in page


def test_the_family_view_includes_siblings_living_elsewhere_through_the_rule(client, practitioner, cerys):
    HouseholdMembershipFactory(person=cerys)
    brother = PersonFactory(given_name="Dylan", family_name="Llewellyn", date_of_birth=datetime.date(2012, 4, 1))
    HouseholdMembershipFactory(person=brother)
    RelationshipFactory(person=cerys, relative=brother, kind="half_sibling")
    InvolvementFactory(person=brother, agency=AgencyFactory(name="Gofal Maeth Cymru"))
    ChronologyEventFactory(person=brother, summary="Brother's secret")
    response = client.get(f"/people/{cerys.cylch_id}/family/")
    page = response.content.decode()
    members = {m.person: m for m, _relationship in response.context["members"]}
    assert not members[brother].lives_with_child
    assert not members[brother].detail_allowed
    assert "Lives elsewhere" in page
    assert "Gofal Maeth Cymru" in page
    assert "Brother&#x27;s secret" not in page
    assert AccessLogEntry.objects.get(page="family-view", person=brother).outcome == AccessOutcome.RESTRICTED


def test_a_sibling_elsewhere_the_agency_works_with_is_shown_in_detail(client, practitioner, cerys):
    sister = PersonFactory(given_name="Ffion", family_name="Llewellyn")
    RelationshipFactory(person=sister, relative=cerys, kind="sibling")
    InvolvementFactory(person=sister, agency=practitioner.agency)
    ChronologyEventFactory(person=sister, agency=practitioner.agency, summary="Sister seen at clinic")
    response = client.get(f"/people/{cerys.cylch_id}/family/")
    members = {m.person: m for m, _relationship in response.context["members"]}
    assert members[sister].detail_allowed
    assert "Sister seen at clinic" in response.content.decode()


@pytest.fixture
def family_with_a_stranger(practitioner, cerys):
    """Cerys, her mother (whom the practitioner's agency works with) and a partner (whom it does not)."""
    home = HouseholdFactory()
    HouseholdMembershipFactory(person=cerys, household=home)
    mother = PersonFactory(given_name="Rhian", family_name="Llewellyn", date_of_birth=datetime.date(1990, 1, 2))
    HouseholdMembershipFactory(person=mother, household=home)
    InvolvementFactory(person=mother, agency=practitioner.agency)
    partner = PersonFactory(given_name="Gareth", family_name="Hughes", date_of_birth=datetime.date(1985, 1, 1))
    HouseholdMembershipFactory(person=partner, household=home)
    InvolvementFactory(person=partner)
    ChronologyEventFactory(person=cerys, agency=practitioner.agency, summary="Child's event")
    ChronologyEventFactory(person=mother, agency=practitioner.agency, summary="Mother's event")
    ChronologyEventFactory(person=partner, summary="Partner's secret")
    return mother, partner


def test_the_family_view_links_to_its_exports_with_the_filter(client, practitioner, cerys, family_with_a_stranger):
    page = _page(client, f"/people/{cerys.cylch_id}/family/", kind=EventKind.HOME_VISIT)
    assert f"/people/{cerys.cylch_id}/family/chronology.csv?kind={EventKind.HOME_VISIT}" in page
    assert f"/people/{cerys.cylch_id}/family/chronology.pdf?kind={EventKind.HOME_VISIT}" in page


def test_the_family_chronology_csv_says_whose_event_each_row_is_and_is_audited(
    client, practitioner, cerys, family_with_a_stranger
):
    mother, partner = family_with_a_stranger
    response = client.get(f"/people/{cerys.cylch_id}/family/chronology.csv", {"kind": EventKind.HOME_VISIT})
    assert response.status_code == 200
    assert "family-chronology" in response["Content-Disposition"]
    rows = _events_of(response)
    assert rows[0][1] == "Person"
    assert sorted((row[1], row[4]) for row in rows[1:]) == [
        ("Cerys Llewellyn", "Child's event"),
        ("Rhian Llewellyn", "Mother's event"),
    ]
    logged = {
        (e.person, e.action, e.outcome) for e in AccessLogEntry.objects.filter(page="family-chronology-export-csv")
    }
    assert logged == {
        (cerys, AuditAction.EXPORT, AccessOutcome.DETAIL),
        (mother, AuditAction.EXPORT, AccessOutcome.DETAIL),
        (partner, AuditAction.EXPORT, AccessOutcome.RESTRICTED),
    }
    entry = AccessLogEntry.objects.get(page="family-chronology-export-csv", person=cerys)
    assert entry.details["kind"] == EventKind.HOME_VISIT


def test_the_family_chronology_pdf_is_a_pdf(client, practitioner, cerys, family_with_a_stranger):
    response = client.get(f"/people/{cerys.cylch_id}/family/chronology.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.get(page="family-chronology-export-pdf", person=cerys).outcome == AccessOutcome.DETAIL


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_family_exports_are_refused_without_need_to_know_and_logged(client, practitioner, stranger, fmt):
    response = client.get(f"/people/{stranger.cylch_id}/family/chronology.{fmt}")
    assert response.status_code == 403
    assert b"Secret summary" not in response.content
    assert AccessLogEntry.objects.get(page=f"family-chronology-export-{fmt}").outcome == AccessOutcome.REFUSED


# --- the audit entry of a read ---


def test_the_person_page_entry_records_the_basis_and_whose_details_came_with_it(client, practitioner, cerys):
    home = HouseholdFactory()
    HouseholdMembershipFactory(person=cerys, household=home)
    lodger = PersonFactory()
    HouseholdMembershipFactory(person=lodger, household=home)
    grandmother = RelationshipFactory(person=cerys, kind="grandparent").relative
    _page(client, f"/people/{cerys.cylch_id}/")
    entry = AccessLogEntry.objects.get(page="person-detail", person=cerys)
    assert entry.reason == "involvement"
    assert entry.details["basis"] == "involvement"
    assert entry.details["also_shown"] == sorted([lodger.pk, grandmother.pk])


def test_access_resting_on_a_grant_is_logged_with_the_grant(client, practitioner, stranger):
    grant = break_glass(user=practitioner, person=stranger, reason="Child in the emergency department at 2am")
    _page(client, f"/people/{stranger.cylch_id}/")
    entry = AccessLogEntry.objects.get(page="person-detail")
    assert entry.reason == f"grant {grant.pk}"
    assert entry.details["grant"] == grant.pk


@pytest.mark.parametrize(
    ("role", "basis"), [(RoleCode.FRONT_DOOR, "front_door"), (RoleCode.BOARD_OFFICER, "board_role")]
)
def test_role_based_access_is_logged_with_its_basis(client, stranger, settings, role, basis):
    settings.CYLCH_FULL_VIEW_ROLES = [RoleCode.BOARD_OFFICER]
    client.force_login(PractitionerFactory(roles=[role]))
    _page(client, f"/people/{stranger.cylch_id}/family/")
    assert AccessLogEntry.objects.get(page="family-view", person=stranger).reason == basis


def test_a_restricted_read_gives_no_basis(client, practitioner, stranger):
    _page(client, f"/people/{stranger.cylch_id}/")
    entry = AccessLogEntry.objects.get(page="person-detail")
    assert (entry.outcome, entry.reason) == (AccessOutcome.RESTRICTED, "")


# --- asking for access ---


def test_the_restricted_page_offers_a_request_and_break_glass(client, practitioner, stranger):
    page = _page(client, f"/people/{stranger.cylch_id}/")
    assert "Request access" in page
    assert "govuk-warning-text" in page
    assert "Break glass and see the record" in page


def test_a_request_needs_a_reason(client, practitioner, stranger):
    response = client.post(f"/people/{stranger.cylch_id}/request-access/", {"request-reason": ""})
    assert response.status_code == 400
    assert '<a href="#id_request-reason">Enter why you need to see this record</a>' in response.content.decode()
    assert not AccessGrant.objects.exists()


def test_a_request_is_created_audited_and_shown_as_pending(client, practitioner, stranger):
    response = client.post(
        f"/people/{stranger.cylch_id}/request-access/", {"request-reason": "Child has joined our school this week"}
    )
    assert response.status_code == 302
    grant = AccessGrant.objects.get()
    assert (grant.kind, grant.status, grant.practitioner) == (GrantKind.REQUEST, GrantStatus.PENDING, practitioner)
    assert AccessLogEntry.objects.filter(action=AuditAction.ACCESS_REQUEST, person=stranger).exists()
    page = _page(client, f"/people/{stranger.cylch_id}/")
    assert "has not decided yet" in page


def test_break_glass_gives_the_record_at_once(client, practitioner, stranger):
    response = client.post(
        f"/people/{stranger.cylch_id}/break-glass/", {"glass-reason": "Child in the emergency department at 2am"}
    )
    assert response.status_code == 302
    page = _page(client, f"/people/{stranger.cylch_id}/")
    assert "Secret summary" in page
    assert "You have emergency access to this record until" in page
    assert AccessLogEntry.objects.filter(action=AuditAction.BREAK_GLASS, person=stranger).exists()


def test_break_glass_needs_a_reason(client, practitioner, stranger):
    response = client.post(f"/people/{stranger.cylch_id}/break-glass/", {"glass-reason": "now"})
    assert response.status_code == 400
    assert "at least 10 characters" in response.content.decode()
    assert not AccessGrant.objects.exists()


# --- subject access ---


@pytest.fixture
def information_governance(client):
    user = PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE])
    client.force_login(user)
    return user


def test_subject_access_json_holds_everything_and_is_audited(client, information_governance, stranger):
    SourceRecordFactory(person=stranger, given_name="Osi")
    response = client.get(f"/people/{stranger.cylch_id}/subject-access.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["person"]["cylch_id"] == stranger.cylch_id
    assert [e["summary"] for e in data["chronology"]] == ["Secret summary"]
    assert [r["given_name"] for r in data["source_records"]] == ["Osi"]
    assert data["involvements"]
    assert any(e["page"] == "subject-access-json" for e in data["access_log"])
    entry = AccessLogEntry.objects.get(page="subject-access-json")
    assert (entry.action, entry.outcome) == (AuditAction.EXPORT, AccessOutcome.DETAIL)


def test_subject_access_holds_concerns_grants_merges_reviews_and_the_merged_ids_log(
    client, information_governance, stranger
):
    concern = ConcernSubjectFactory(person=stranger, concern=ConcernFactory(what_happened="Told a teacher")).concern
    requester = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER])
    access_request_create(user=requester, person=stranger, reason="New school needs the safeguarding file")
    duplicate = PersonFactory(given_name="Osian", family_name="Price")
    person_record(user=requester, cylch_id=duplicate.cylch_id, page="person-detail")
    MatchReview.objects.create(
        person=duplicate, candidate=stranger, probability=0.6, match_weight=1.0, evidence=[], model_version="v2"
    )
    person_merge(survivor=stranger, merged=duplicate, decided_by=None, reason="Same child", automatic=True)
    data = json.loads(client.get(f"/people/{stranger.cylch_id}/subject-access.json").content)
    assert [(c["reference"], c["what_happened"]) for c in data["concerns"]] == [(concern.reference, "Told a teacher")]
    assert [g["reason"] for g in data["access_grants"]] == ["New school needs the safeguarding file"]
    assert [(d["survivor_cylch_id"], d["merged_cylch_id"]) for d in data["merge_decisions"]] == [
        (stranger.cylch_id, duplicate.cylch_id)
    ]
    assert [(r["cylch_id"], r["compared_with_cylch_id"]) for r in data["match_reviews"]] == [
        (duplicate.cylch_id, stranger.cylch_id)
    ]
    assert (duplicate.cylch_id, "person-detail") in {(e["cylch_id"], e["page"]) for e in data["access_log"]}


def test_subject_access_writes_codes_as_words(client, information_governance, stranger):
    StatutoryStatusFactory(person=stranger, kind="cp_register", category="NEG")
    data = json.loads(client.get(f"/people/{stranger.cylch_id}/subject-access.json").content)
    assert data["statuses"][0]["kind"] == "On the child protection register"
    [entry] = [e for e in data["access_log"] if e["page"] == "subject-access-json"]
    assert (entry["roles"], entry["action"]) == (["Information governance"], "Exported")


def test_every_field_of_a_full_subject_access_export_has_a_printed_label(client, information_governance, stranger):
    from cylch.records.templatetags.exports import FIELD_LABELS

    StatutoryStatusFactory(person=stranger)
    SourceRecordFactory(person=stranger)
    PersonNameFactory(person=stranger)
    PersonIdentifierFactory(person=stranger)
    HouseholdMembershipFactory(person=stranger)
    RelationshipFactory(person=stranger)
    ConcernSubjectFactory(person=stranger)
    break_glass(user=PractitionerFactory(), person=stranger, reason="Child in the emergency department at 2am")
    duplicate = PersonFactory()
    MatchReview.objects.create(
        person=duplicate, candidate=stranger, probability=0.6, match_weight=1.0, evidence=[], model_version="v2"
    )
    person_merge(survivor=stranger, merged=duplicate, decided_by=None, reason="Same child", automatic=True)
    data = json.loads(client.get(f"/people/{stranger.cylch_id}/subject-access.json").content)
    sections = [rows for rows in data.values() if isinstance(rows, list)]
    assert all(sections), [name for name, rows in data.items() if rows == []]
    printed = set(data["person"]) | {key for rows in sections for row in rows for key in row}
    assert printed - set(FIELD_LABELS) == set()
    pdf = client.get(f"/people/{stranger.cylch_id}/subject-access.pdf")
    assert pdf.content.startswith(b"%PDF")


def test_subject_access_pdf(client, information_governance, stranger):
    response = client.get(f"/people/{stranger.cylch_id}/subject-access.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", [r for r in RoleCode if r != RoleCode.INFORMATION_GOVERNANCE])
@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_subject_access_is_refused_to_every_other_role(client, stranger, role, fmt):
    client.force_login(PractitionerFactory(roles=[role], agency=stranger.involvements.get().agency))
    response = client.get(f"/people/{stranger.cylch_id}/subject-access.{fmt}")
    assert response.status_code == 403
    assert AccessLogEntry.objects.get(page=f"subject-access-{fmt}").outcome == AccessOutcome.REFUSED


def test_the_single_view_in_welsh(client, practitioner, cerys):
    StatutoryStatusFactory(person=cerys)
    client.cookies["cylch_language"] = "cy"
    page = _page(client, f"/people/{cerys.cylch_id}/")
    for text in ("Baneri", "Golwg ar y teulu cyfan", "Genogram Cerys Llewellyn", "Math o ddigwyddiad", "Pob math"):
        assert text in page, text
    family = _page(client, f"/people/{cerys.cylch_id}/family/")
    assert "Cronoleg y teulu" in family


def test_information_governance_finds_the_oversight_links_on_a_restricted_record(client, stranger):
    client.force_login(PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE]))
    page = _page(client, f"/people/{stranger.cylch_id}/")
    assert "Other agencies hold information about this person" in page
    assert f"/people/{stranger.cylch_id}/access-log/" in page
    assert f"/people/{stranger.cylch_id}/subject-access.json" in page


def _family(child, agency, size):
    home = HouseholdFactory()
    HouseholdMembershipFactory(person=child, household=home)
    for n in range(size):
        relative = PersonFactory(date_of_birth=datetime.date(1980 + n, 1, 1))
        HouseholdMembershipFactory(person=relative, household=home)
        RelationshipFactory(person=child, relative=relative, kind="parent" if n < 2 else "sibling")
        SourceRecordFactory(person=child)
        ChronologyEventFactory(person=child, agency=agency)
        ConcernSubjectFactory(person=child)


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/people/{}/", "/people/{}/family/"])
def test_the_single_view_makes_the_same_number_of_queries_for_a_bigger_family(client, practitioner, url):
    small, big = PersonFactory(), PersonFactory()
    for child, size in ((small, 1), (big, 6)):
        InvolvementFactory(person=child, agency=practitioner.agency)
        _family(child, practitioner.agency, size)
    assert _queries(client, url.format(small.cylch_id)) == _queries(client, url.format(big.cylch_id))


# --- register and looked-after flags for every reader (#14 item 4) ---


@pytest.fixture
def registered_stranger(stranger):
    status = StatutoryStatusFactory(person=stranger, category="EMO")
    council = AgencyFactory(
        kind="childrens_services", local_authority=status.local_authority, name="Cyngor Test", phone="01234 567890"
    )
    status.recorded_by_agency, status.recorded_at = council, timezone.now()
    status.save()
    StatutoryStatusFactory(person=stranger, kind="looked_after", category="", local_authority=status.local_authority)
    return stranger


def test_the_restricted_page_shows_the_register_with_its_category_and_whom_to_call(
    client, practitioner, registered_stranger
):
    page = _page(client, f"/people/{registered_stranger.cylch_id}/")
    assert "Other agencies hold information about this person" in page
    assert "On the child protection register (Emotional abuse)" in page
    assert "Looked after" in page
    assert "Safeguarding: 01234 567890" in page
    assert "Recorded by Cyngor Test" in page
    assert "Secret summary" not in page


def test_the_restricted_read_records_the_flags_it_showed(client, practitioner, registered_stranger):
    _page(client, f"/people/{registered_stranger.cylch_id}/")
    entry = AccessLogEntry.objects.get(page="person-detail", person=registered_stranger)
    assert entry.outcome == AccessOutcome.RESTRICTED
    assert entry.details["statuses_shown"] == ["cp_register", "looked_after"]


def test_an_ended_registration_is_not_flagged(client, practitioner, stranger):
    StatutoryStatusFactory(person=stranger, end_date=datetime.date(2024, 6, 1))
    page = _page(client, f"/people/{stranger.cylch_id}/")
    assert "On the child protection register" not in page


# --- provenance: each fact says which agency recorded it and when (#14 item 7) ---


def test_each_fact_on_the_single_view_names_the_agency_that_recorded_it(client, practitioner, cerys):
    police = AgencyFactory(name="Heddlu Test")
    when = datetime.datetime(2025, 3, 4, 10, 0, tzinfo=datetime.UTC)
    provenance = {"recorded_by_agency": police, "recorded_at": when}
    HouseholdMembershipFactory(person=cerys, **provenance)
    RelationshipFactory(person=cerys, **provenance)
    InvolvementFactory(person=cerys, **provenance)
    SourceRecordFactory(person=cerys, agency=police, ethnicity="WBRI", first_language="cym")
    ChronologyEventFactory(person=cerys, agency=police)
    page = _page(client, f"/people/{cerys.cylch_id}/")
    assert page.count("Recorded by Heddlu Test on 4 March 2025") == 3
    assert "Welsh" in page
    assert "White – British" in page


def test_the_family_view_says_who_recorded_the_home(client, practitioner, cerys):
    council = AgencyFactory(name="Cyngor Test")
    HouseholdMembershipFactory(person=cerys, recorded_by_agency=council, recorded_at=timezone.now())
    assert "Recorded by Cyngor Test" in _page(client, f"/people/{cerys.cylch_id}/family/")


def test_identity_given_in_a_concern_shows_as_that_agencys_answer(client, practitioner, cerys):
    child = SubjectInput(
        given_name=cerys.given_name,
        family_name=cerys.family_name,
        date_of_birth=cerys.date_of_birth,
        nhs_number=cerys.nhs_number,
        first_language="pol",
    )
    concern_submit(submitter=practitioner, data=make_input(subjects=(child,)))
    assert "Polish" in _page(client, f"/people/{cerys.cylch_id}/")


def test_the_family_view_says_who_recorded_a_status_and_an_involvement(client, practitioner, cerys):
    council = AgencyFactory(name="Cyngor Test")
    provenance = {"recorded_by_agency": council, "recorded_at": timezone.now()}
    StatutoryStatusFactory(person=cerys, **provenance)
    InvolvementFactory(person=cerys, agency=council, **provenance)
    assert _page(client, f"/people/{cerys.cylch_id}/family/").count("Recorded by Cyngor Test") == 2
