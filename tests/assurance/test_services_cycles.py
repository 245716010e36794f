"""The cycle services' rules: opening, scoring and moderation, contributions, evidence files, sign-off, hostile
input; each change writes a revision, and a refused one stores nothing."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from cylch.assurance.models import (
    Assessment,
    Component,
    Contribution,
    Cycle,
    EvidenceAttachment,
    MeasuredFact,
    PartnershipLevel,
    Revision,
)
from cylch.assurance.services.cycles import (
    MAX_ATTACHMENT_BYTES,
    assessment_update,
    attachment_upload,
    contribution_save,
    cycle_open,
    cycle_sign_off,
    local_prompt_add,
    review_point_add,
    stakeholder_remove,
    stakeholder_set,
)
from tests.assurance.factories import ContributionFactory, CycleFactory, board_officer, partner_practitioner
from tests.factories import AgencyFactory, LocalAuthorityFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

PERIOD = {
    "period_start": datetime.date(2024, 4, 1),
    "period_end": datetime.date(2025, 3, 31),
    "contributions_due": datetime.date(2025, 5, 31),
}


def _open(board: Any, **kwargs: Any) -> Cycle:
    values = {"level": PartnershipLevel.REGION, "title": "12Cs 2024 to 2025", **PERIOD, **kwargs}
    return cycle_open(user=board, **values)


def _agree(board: Any, assessment: Assessment, **kwargs: Any) -> Assessment:
    values = {
        "ciw_score": 4,
        "progress_score": 3,
        "evidence": "Threshold document reviewed in June.",
        "moderation_note": "",
        "accountable_lead": board,
        "timeframe": "gold",
        **kwargs,
    }
    return assessment_update(user=board, assessment=assessment, **values)


def _complete(board: Any, cycle: Cycle) -> None:
    for assessment in cycle.assessments.all():
        _agree(board, assessment)


# --- opening ---------------------------------------------------------------------------------------------------


def test_opening_a_regional_cycle_makes_twelve_assessments_and_asks_every_agency_of_the_region() -> None:
    board = board_officer()
    region = board.agency.local_authority.region
    other_authority_agency = AgencyFactory(local_authority=LocalAuthorityFactory(region=region))
    AgencyFactory()  # another region's
    cycle = _open(board)
    assert sorted(cycle.assessments.values_list("component", flat=True)) == sorted(Component.values)
    assert set(cycle.partner_agencies.all()) == {board.agency, other_authority_agency}
    assert cycle.region == region


def test_a_local_authority_cycle_asks_that_authority_s_agencies_by_default() -> None:
    board = board_officer()
    authority = board.agency.local_authority
    elsewhere = AgencyFactory(local_authority=LocalAuthorityFactory(region=authority.region))
    cycle = _open(board, level=PartnershipLevel.LOCAL_AUTHORITY, local_authority=authority)
    assert board.agency in cycle.partner_agencies.all()
    assert elsewhere not in cycle.partner_agencies.all()


def test_a_cycle_cannot_be_opened_for_another_region_s_authority() -> None:
    board = board_officer()
    with pytest.raises(ValidationError) as error:
        _open(board, level=PartnershipLevel.LOCAL_AUTHORITY, local_authority=LocalAuthorityFactory())
    assert "local_authority" in error.value.message_dict
    assert not Cycle.objects.exists()


def test_a_period_ending_before_it_starts_is_refused_on_the_end_date() -> None:
    with pytest.raises(ValidationError) as error:
        _open(board_officer(), period_end=datetime.date(2024, 3, 1))
    assert "period_end" in error.value.message_dict


def test_only_a_board_officer_opens_a_cycle() -> None:
    with pytest.raises(PermissionDenied):
        _open(PractitionerFactory())
    assert not Cycle.objects.exists()


def test_opening_writes_the_cycle_s_first_revision() -> None:
    cycle = _open(board_officer())
    assert list(Revision.objects.filter(cycle=cycle).values_list("subject", "version")) == [("cycle", 1)]


# --- the board's agreed assessment and moderation -------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 7, -1, 10**30, "4", 4.0, True])
def test_a_score_outside_1_to_6_or_not_a_whole_number_is_refused_naming_the_field(score: Any) -> None:
    cycle = CycleFactory()
    assessment = cycle.assessments.get(component="c1")
    with pytest.raises(ValidationError) as error:
        _agree(cycle.opened_by, assessment, progress_score=score)
    assert "progress_score" in error.value.message_dict
    assessment.refresh_from_db()
    assert assessment.ciw_score is None
    assert not Revision.objects.filter(cycle=cycle).exists()


def test_an_agreed_score_is_saved_and_versioned() -> None:
    cycle = CycleFactory()
    assessment = _agree(cycle.opened_by, cycle.assessments.get(component="c1"))
    assessment = _agree(cycle.opened_by, assessment, ciw_score=5)
    assessment.refresh_from_db()
    assert (assessment.ciw_score, assessment.version) == (5, 2)
    snapshots = Revision.objects.filter(subject="assessment", subject_id=assessment.pk).order_by("version")
    assert [r.snapshot["ciw_score"] for r in snapshots] == [4, 5]


def test_an_agreed_score_that_differs_from_a_proposal_needs_the_moderation_note() -> None:
    cycle = CycleFactory()
    ContributionFactory(cycle=cycle, component="c1", proposed_ciw_score=5, proposed_progress_score=3)
    with pytest.raises(ValidationError) as error:
        _agree(cycle.opened_by, cycle.assessments.get(component="c1"), ciw_score=4, progress_score=3)
    message = error.value.message_dict["moderation_note"][0]
    assert "Care Inspectorate Wales score (agreed 4; proposed 5)" in message
    assert "progress" not in message


def test_an_agreed_score_that_differs_is_saved_with_the_reason() -> None:
    cycle = CycleFactory()
    ContributionFactory(cycle=cycle, component="c1", proposed_ciw_score=5)
    assessment = _agree(
        cycle.opened_by, cycle.assessments.get(component="c1"), ciw_score=4, moderation_note="Audit found gaps."
    )
    assert assessment.moderation_note == "Audit found gaps."


def test_an_agreed_score_matching_every_proposal_needs_no_note() -> None:
    cycle = CycleFactory()
    ContributionFactory(cycle=cycle, component="c1", proposed_ciw_score=4, proposed_progress_score=3)
    assert _agree(cycle.opened_by, cycle.assessments.get(component="c1")).ciw_score == 4


def test_a_partner_agency_cannot_record_the_agreed_score() -> None:
    cycle = CycleFactory()
    with pytest.raises(PermissionDenied):
        _agree(partner_practitioner(cycle), cycle.assessments.get(component="c1"))


def test_another_region_s_board_officer_cannot_record_the_agreed_score() -> None:
    cycle = CycleFactory()
    with pytest.raises(PermissionDenied):
        _agree(board_officer(), cycle.assessments.get(component="c1"))


def test_an_accountable_lead_from_another_region_is_refused() -> None:
    cycle = CycleFactory()
    with pytest.raises(ValidationError) as error:
        _agree(cycle.opened_by, cycle.assessments.get(component="c1"), accountable_lead=PractitionerFactory())
    assert "accountable_lead" in error.value.message_dict


@pytest.mark.parametrize(
    ("field", "value"),
    [("evidence", "Policy\x00"), ("evidence", "x" * 20_001), ("timeframe", "platinum"), ("moderation_note", 12)],
)
def test_hostile_text_is_refused_naming_the_field(field: str, value: Any) -> None:
    cycle = CycleFactory()
    with pytest.raises(ValidationError) as error:
        _agree(cycle.opened_by, cycle.assessments.get(component="c1"), **{field: value})
    assert field in error.value.message_dict


def test_stakeholders_and_review_points_are_recorded_and_versioned() -> None:
    cycle = CycleFactory()
    board = cycle.opened_by
    assessment = cycle.assessments.get(component="c4")
    stakeholder = stakeholder_set(user=board, assessment=assessment, agency=board.agency, role="Chairs the group")
    review_point_add(user=board, assessment=assessment, due_on=datetime.date(2025, 9, 1), description="Staffing")
    stakeholder_remove(user=board, stakeholder=stakeholder)
    assert not assessment.stakeholders.exists()
    assert assessment.review_points.count() == 1
    assert list(Revision.objects.filter(cycle=cycle).values_list("subject", flat=True)) == [
        "stakeholder",
        "review_point",
        "stakeholder",
    ]


def test_a_stakeholder_agency_from_another_region_is_refused() -> None:
    cycle = CycleFactory()
    with pytest.raises(ValidationError) as error:
        stakeholder_set(
            user=cycle.opened_by, assessment=cycle.assessments.first(), agency=AgencyFactory(), role="Chairs"
        )
    assert "agency" in error.value.message_dict


def test_a_local_prompt_is_added_to_one_c() -> None:
    cycle = CycleFactory()
    prompt = local_prompt_add(
        user=cycle.opened_by, cycle=cycle, component="c6", text="Is the hub staffed daily?", text_cy="A yw'r hyb?"
    )
    assert (prompt.component, prompt.text_cy) == ("c6", "A yw'r hyb?")


def test_a_local_prompt_for_no_c_is_refused() -> None:
    cycle = CycleFactory()
    with pytest.raises(ValidationError) as error:
        local_prompt_add(user=cycle.opened_by, cycle=cycle, component="c13", text="?")
    assert "component" in error.value.message_dict


# --- contributions ---------------------------------------------------------------------------------------------


def test_a_partner_agency_saves_its_own_contribution_and_changes_it() -> None:
    cycle = CycleFactory()
    practitioner = partner_practitioner(cycle)
    values = {"cycle": cycle, "component": "c2", "proposed_ciw_score": 3, "proposed_progress_score": None}
    contribution_save(user=practitioner, evidence="Supervision audit.", **values)
    contribution = contribution_save(user=practitioner, evidence="Supervision audit, second look.", **values)
    assert contribution.agency == practitioner.agency
    assert Contribution.objects.get().evidence == "Supervision audit, second look."
    assert contribution.version == 2


def test_an_agency_that_is_not_a_partner_cannot_contribute() -> None:
    cycle = CycleFactory()
    outsider = PractitionerFactory(agency=AgencyFactory(local_authority__region=cycle.region))
    with pytest.raises(PermissionDenied):
        contribution_save(
            user=outsider,
            cycle=cycle,
            component="c2",
            evidence="x",
            proposed_ciw_score=3,
            proposed_progress_score=3,
        )


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("proposed_ciw_score", {"proposed_ciw_score": 7}),
        ("proposed_progress_score", {"proposed_progress_score": 0}),
        ("evidence", {"evidence": ""}),
        ("evidence", {"evidence": "\x00"}),
        ("component", {"component": "c0"}),
    ],
)
def test_a_bad_contribution_is_refused_naming_the_field_and_nothing_is_stored(field: str, values: Any) -> None:
    cycle = CycleFactory()
    arguments = {
        "component": "c2",
        "evidence": "Audit.",
        "proposed_ciw_score": 3,
        "proposed_progress_score": 3,
        **values,
    }
    with pytest.raises(ValidationError) as error:
        contribution_save(user=partner_practitioner(cycle), cycle=cycle, **arguments)
    assert field in error.value.message_dict
    assert not Contribution.objects.exists()
    assert not Revision.objects.exists()


# --- evidence files -------------------------------------------------------------------------------------------


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("audit.pdf", b"%PDF-1.7 ...", "application/pdf"), ("plan.docx", _docx(), "wordprocessingml")],
)
def test_an_agency_uploads_an_evidence_file_stored_in_the_database(name: str, content: bytes, kind: str) -> None:
    cycle = CycleFactory()
    practitioner = partner_practitioner(cycle)
    attachment = attachment_upload(
        user=practitioner,
        cycle=cycle,
        component="c3",
        upload=SimpleUploadedFile(name, content),
        agency=practitioner.agency,
    )
    assert kind in attachment.content_type
    assert bytes(EvidenceAttachment.objects.get().content) == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("audit.pdf", b"MZ\x90\x00 an executable"),
        ("audit.exe", b"%PDF-1.7"),
        ("plan.docx", b"PK not a zip"),
        ("notes.txt", b"\xff\xfe bad"),
        ("notes.txt", b""),
        ("big.pdf", b"%PDF-" + b"0" * MAX_ATTACHMENT_BYTES),
        ("bad\x00name.pdf", b"%PDF-1.7"),
    ],
)
def test_a_file_that_is_not_what_it_claims_or_too_big_is_refused(name: str, content: bytes) -> None:
    cycle = CycleFactory()
    with pytest.raises(ValidationError) as error:
        attachment_upload(
            user=cycle.opened_by,
            cycle=cycle,
            component="c3",
            upload=SimpleUploadedFile(name, content),
            agency=None,
        )
    assert "upload" in error.value.message_dict
    assert not EvidenceAttachment.objects.exists()


def test_an_agency_cannot_upload_in_another_agency_s_name() -> None:
    cycle = CycleFactory()
    other = AgencyFactory(local_authority__region=cycle.region)
    cycle.partner_agencies.add(other)
    with pytest.raises(PermissionDenied):
        attachment_upload(
            user=partner_practitioner(cycle),
            cycle=cycle,
            component="c3",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1"),
            agency=other,
        )


def test_an_agency_cannot_upload_the_board_s_evidence() -> None:
    cycle = CycleFactory()
    with pytest.raises(PermissionDenied):
        attachment_upload(
            user=partner_practitioner(cycle),
            cycle=cycle,
            component="c3",
            upload=SimpleUploadedFile("a.pdf", b"%PDF-1"),
            agency=None,
        )


# --- sign-off -------------------------------------------------------------------------------------------------


def test_sign_off_names_each_c_without_a_score_or_a_lead() -> None:
    cycle = CycleFactory()
    board = cycle.opened_by
    _complete(board, cycle)
    _agree(board, cycle.assessments.get(component="c3"), progress_score=None)
    _agree(board, cycle.assessments.get(component="c11"), accountable_lead=None)
    with pytest.raises(ValidationError) as error:
        cycle_sign_off(user=board, cycle=cycle)
    message = error.value.messages[0]
    assert "C3 Competence: no 12Cs progress score" in message
    assert "C11 Collaboration forums and pathways: no accountable lead" in message
    assert "C1 Clarity" not in message
    cycle.refresh_from_db()
    assert not cycle.is_signed_off


def test_sign_off_is_refused_when_a_later_proposal_differs_without_a_reason() -> None:
    cycle = CycleFactory()
    _complete(cycle.opened_by, cycle)
    ContributionFactory(cycle=cycle, component="c5", proposed_ciw_score=6)
    with pytest.raises(ValidationError) as error:
        cycle_sign_off(user=cycle.opened_by, cycle=cycle)
    assert "C5 Congruence in strategy and operations: no reason" in error.value.messages[0]


def test_the_board_signs_off_a_complete_cycle_and_the_facts_are_frozen() -> None:
    cycle = CycleFactory()
    _complete(cycle.opened_by, cycle)
    cycle = cycle_sign_off(user=cycle.opened_by, cycle=cycle)
    assert cycle.is_signed_off
    assert cycle.signed_off_by == cycle.opened_by
    assert Revision.objects.filter(cycle=cycle, subject="cycle").count() == 1
    assert MeasuredFact.objects.filter(cycle=cycle).exists()


def test_a_partner_agency_cannot_sign_off() -> None:
    cycle = CycleFactory()
    _complete(cycle.opened_by, cycle)
    with pytest.raises(PermissionDenied):
        cycle_sign_off(user=partner_practitioner(cycle), cycle=cycle)


def test_another_region_s_board_cannot_sign_off() -> None:
    cycle = CycleFactory()
    _complete(cycle.opened_by, cycle)
    with pytest.raises(PermissionDenied):
        cycle_sign_off(user=board_officer(), cycle=cycle)


@pytest.fixture
def signed_off() -> Cycle:
    cycle = CycleFactory()
    _complete(cycle.opened_by, cycle)
    return cycle_sign_off(user=cycle.opened_by, cycle=cycle)


def test_nobody_changes_an_agreed_score_after_sign_off(signed_off: Cycle) -> None:
    with pytest.raises(ValidationError, match="signed off"):
        _agree(signed_off.opened_by, signed_off.assessments.get(component="c1"), ciw_score=6)
    assert signed_off.assessments.get(component="c1").ciw_score == 4


def test_no_agency_contributes_after_sign_off(signed_off: Cycle) -> None:
    with pytest.raises(ValidationError, match="signed off"):
        contribution_save(
            user=partner_practitioner(signed_off),
            cycle=signed_off,
            component="c1",
            evidence="Late.",
            proposed_ciw_score=3,
            proposed_progress_score=3,
        )


def test_a_signed_off_cycle_cannot_be_signed_off_again_or_given_prompts(signed_off: Cycle) -> None:
    with pytest.raises(ValidationError, match="signed off"):
        cycle_sign_off(user=signed_off.opened_by, cycle=signed_off)
    with pytest.raises(ValidationError, match="signed off"):
        local_prompt_add(user=signed_off.opened_by, cycle=signed_off, component="c1", text="Late?")
