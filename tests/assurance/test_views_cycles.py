"""The cycle pages: who may open each, what each shows, and bad input answering 400 on the named box with nothing
stored; the same pages in Welsh."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from cylch.accounts.models import RoleCode
from cylch.assurance.models import Contribution, Cycle, EvidenceAttachment, ReviewPoint
from cylch.assurance.services.cycles import assessment_update
from tests.assurance.factories import ContributionFactory, CycleFactory, board_officer, partner_practitioner
from tests.factories import PractitionerFactory

pytestmark = pytest.mark.django_db


def _date(prefix, day):
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month), f"{prefix}_year": str(day.year)}


def _open_data(**overrides):
    return {
        "title": "12Cs 2024 to 2025",
        "level": "region",
        **_date("period_start", datetime.date(2024, 4, 1)),
        **_date("period_end", datetime.date(2025, 3, 31)),
        **_date("contributions_due", datetime.date(2025, 5, 31)),
    } | overrides


def _url(name, cycle, component=None):
    return reverse(f"assurance:{name}", args=[cycle.pk, component] if component else [cycle.pk])


def test_a_board_officer_opens_a_cycle_and_lands_on_its_summary(client):
    board = board_officer()
    client.force_login(board)
    response = client.post(reverse("assurance:cycle-new"), _open_data())
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "12Cs 2024 to 2025" in page
    assert "C12 Commitment and creativity" in page


def test_an_impossible_period_answers_400_on_the_end_date_and_opens_nothing(client):
    client.force_login(board_officer())
    data = _open_data(**_date("period_end", datetime.date(2023, 1, 1)))
    response = client.post(reverse("assurance:cycle-new"), data)
    assert response.status_code == 400
    assert 'href="#id_period_end_day"' in response.content.decode()
    assert not Cycle.objects.exists()


def test_an_agency_practitioner_cannot_open_a_cycle(client):
    client.force_login(PractitionerFactory())
    assert client.get(reverse("assurance:cycle-new")).status_code == 403


def test_the_cycle_list_shows_the_board_its_region_s_cycles_only(client):
    mine = CycleFactory(title="Ours")
    CycleFactory(title="Theirs")
    client.force_login(mine.opened_by)
    page = client.get(reverse("assurance:cycles")).content.decode()
    assert "Ours" in page
    assert "Theirs" not in page


def test_a_partner_agency_sees_the_cycle_and_an_outsider_gets_404(client):
    cycle = CycleFactory()
    client.force_login(partner_practitioner(cycle))
    assert client.get(_url("cycle", cycle)).status_code == 200
    client.force_login(PractitionerFactory())
    assert client.get(_url("cycle", cycle)).status_code == 404


def test_the_c_page_shows_guidance_prompts_and_the_scale_descriptors(client):
    cycle = CycleFactory()
    board = cycle.opened_by
    assessment_update(
        user=board,
        assessment=cycle.assessments.get(component="c1"),
        ciw_score=4,
        progress_score=6,
        evidence="Threshold document in use.",
        moderation_note="",
        accountable_lead=board,
        timeframe="silver",
    )
    client.force_login(board)
    page = client.get(_url("assessment", cycle, "c1")).content.decode()
    assert "Clarity of roles and thresholds" in page
    assert "shared threshold document" in page
    assert "important strengths, with some areas for improvement" in page
    assert "embedded, functioning optimally and sustainable" in page
    assert "Silver (tactical)" in page


def test_an_agency_sees_only_its_own_proposal_before_sign_off(client):
    cycle = CycleFactory()
    ContributionFactory(cycle=cycle, component="c2", evidence="Other agency's audit.")
    practitioner = partner_practitioner(cycle)
    ContributionFactory(cycle=cycle, component="c2", agency=practitioner.agency, evidence="Our own audit.")
    client.force_login(practitioner)
    page = client.get(_url("assessment", cycle, "c2")).content.decode()
    assert "Our own audit." in page
    assert "Other agency&#x27;s audit." not in page


def test_the_board_sees_every_proposal(client):
    cycle = CycleFactory()
    ContributionFactory(cycle=cycle, component="c2", evidence="First audit.")
    ContributionFactory(cycle=cycle, component="c2", evidence="Second audit.")
    client.force_login(cycle.opened_by)
    page = client.get(_url("assessment", cycle, "c2")).content.decode()
    assert "First audit." in page
    assert "Second audit." in page


def test_an_unknown_c_is_404(client):
    cycle = CycleFactory()
    client.force_login(cycle.opened_by)
    assert client.get(_url("assessment", cycle, "c13")).status_code == 404


def test_a_partner_saves_its_contribution(client):
    cycle = CycleFactory()
    practitioner = partner_practitioner(cycle)
    client.force_login(practitioner)
    data = {"evidence": "Audit of 20 cases.", "proposed_ciw_score": "3", "proposed_progress_score": "4"}
    response = client.post(_url("contribution-edit", cycle, "c3"), data)
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    assert (contribution.agency, contribution.proposed_progress_score) == (practitioner.agency, 4)


@pytest.mark.parametrize(
    ("data", "box"),
    [
        ({"evidence": "x", "proposed_ciw_score": "7"}, "id_proposed_ciw_score_0"),
        ({"evidence": "x", "proposed_ciw_score": "99999999999999999999"}, "id_proposed_ciw_score_0"),
        ({"evidence": "x", "proposed_progress_score": "three"}, "id_proposed_progress_score_0"),
        ({"evidence": "nul\x00"}, "id_evidence"),
        ({"evidence": ""}, "id_evidence"),
        ({"evidence": "x" * 20_001}, "id_evidence"),
    ],
)
def test_a_bad_contribution_answers_400_on_the_named_box(client, data, box):
    cycle = CycleFactory()
    client.force_login(partner_practitioner(cycle))
    response = client.post(_url("contribution-edit", cycle, "c3"), data)
    assert response.status_code == 400
    assert f'href="#{box}"' in response.content.decode()
    assert not Contribution.objects.exists()


def test_the_board_cannot_contribute_for_an_agency_it_is_not(client):
    cycle = CycleFactory()  # the board officer's agency is not a partner
    client.force_login(cycle.opened_by)
    assert client.get(_url("contribution-edit", cycle, "c3")).status_code == 403


def test_a_partner_cannot_open_the_moderation_form(client):
    cycle = CycleFactory()
    client.force_login(partner_practitioner(cycle))
    assert client.get(_url("assessment-edit", cycle, "c1")).status_code == 403


def test_moderation_without_a_reason_answers_400_on_the_note(client):
    cycle = CycleFactory()
    ContributionFactory(cycle=cycle, component="c1", proposed_ciw_score=2, proposed_progress_score=2)
    client.force_login(cycle.opened_by)
    response = client.post(_url("assessment-edit", cycle, "c1"), {"ciw_score": "5", "progress_score": "2"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_moderation_note"' in page
    assert cycle.assessments.get(component="c1").ciw_score is None


def test_sign_off_page_lists_what_is_missing_and_refuses(client):
    cycle = CycleFactory()
    client.force_login(cycle.opened_by)
    page = client.get(_url("sign-off", cycle)).content.decode()
    assert "C7 Culture of inclusion, transparency and challenge: no Care Inspectorate Wales score" in page
    response = client.post(_url("sign-off", cycle))
    assert response.status_code == 400
    cycle.refresh_from_db()
    assert not cycle.is_signed_off


def test_a_partner_cannot_reach_the_sign_off_page(client):
    cycle = CycleFactory()
    client.force_login(partner_practitioner(cycle))
    assert client.get(_url("sign-off", cycle)).status_code == 403


def test_an_evidence_file_is_uploaded_and_downloaded_by_its_agency_only(client):
    cycle = CycleFactory()
    practitioner = partner_practitioner(cycle)
    client.force_login(practitioner)
    upload = SimpleUploadedFile("audit.pdf", b"%PDF-1.7 audit", content_type="application/pdf")
    assert client.post(_url("attachment-add", cycle, "c3"), {"upload": upload}).status_code == 302
    file = EvidenceAttachment.objects.get()
    download = client.get(reverse("assurance:attachment", args=[cycle.pk, file.pk]))
    assert download.content == b"%PDF-1.7 audit"
    assert download["Content-Disposition"].startswith("attachment;")
    client.force_login(partner_practitioner(cycle))  # another partner agency, before sign-off
    assert client.get(reverse("assurance:attachment", args=[cycle.pk, file.pk])).status_code == 404


def test_a_disguised_file_answers_400_on_the_upload_box(client):
    cycle = CycleFactory()
    client.force_login(cycle.opened_by)
    upload = SimpleUploadedFile("audit.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    response = client.post(_url("attachment-add", cycle, "c3"), {"upload": upload})
    assert response.status_code == 400
    assert 'href="#id_upload"' in response.content.decode()
    assert not EvidenceAttachment.objects.exists()


def test_the_history_page_shows_a_change_in_words(client):
    cycle = CycleFactory()
    practitioner = partner_practitioner(cycle)
    client.force_login(practitioner)
    for score in ("3", "5"):
        client.post(
            _url("contribution-edit", cycle, "c4"),
            {"evidence": "Vacancies down.", "proposed_ciw_score": score},
        )
    page = client.get(_url("history", cycle)).content.decode()
    assert "Contribution changed" in page
    assert "<del>3</del> → 5" in page


def test_pages_read_in_welsh(client):
    cycle = CycleFactory()
    client.force_login(cycle.opened_by)
    with translation.override("cy"):
        client.cookies["django_language"] = "cy"
        page = client.get(_url("assessment", cycle, "c1"), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Eglurder rolau a throthwyon" in page
    assert "A oes dogfen trothwyon gyffredin" in page


def test_a_board_officer_finds_the_12cs_from_the_home_page_and_the_service_navigation(client):
    client.force_login(board_officer())
    page = client.get(reverse("home:home")).content.decode()
    assert page.count(f'href="{reverse("assurance:cycles")}"') == 2


def test_an_agency_practitioner_has_no_12cs_link_in_the_service_navigation(client):
    client.force_login(PractitionerFactory())
    assert f'href="{reverse("assurance:cycles")}"' not in client.get(reverse("home:home")).content.decode()


def test_a_partner_agency_s_front_door_worker_cannot_write_its_contribution(client):
    cycle = CycleFactory()
    worker = partner_practitioner(cycle, roles=[RoleCode.FRONT_DOOR])
    client.force_login(worker)
    response = client.post(_url("contribution-edit", cycle, "c1"), {"evidence": "Front door's view"})
    assert response.status_code == 404
    assert not Contribution.objects.exists()


def test_the_board_officer_running_the_cycle_cannot_write_their_own_agency_s_contribution(client):
    board = board_officer()
    cycle = CycleFactory(opened_by=board, partner_agencies=[board.agency])
    client.force_login(board)
    response = client.post(_url("contribution-edit", cycle, "c1"), {"evidence": "The board's own proposal"})
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_the_history_page_escapes_a_prompt_s_apostrophe_once(client):
    cycle = CycleFactory()
    client.force_login(cycle.opened_by)
    client.post(
        _url("prompt-new", cycle, "c1"), {"text": "How do agencies know?", "text_cy": "Sut mae asiantaethau'n gwybod?"}
    )
    page = client.get(_url("history", cycle)).content.decode()
    assert "Sut mae asiantaethau&#x27;n gwybod?" in page
    assert "&amp;#x27;" not in page


@pytest.mark.parametrize(("name", "who"), [("assessment-edit", "board"), ("contribution-edit", "partner")])
def test_the_score_choices_read_in_welsh_on_a_welsh_page(client, name, who):
    cycle = CycleFactory()
    client.force_login(cycle.opened_by if who == "board" else partner_practitioner(cycle))
    with translation.override("en"):
        client.get(_url(name, cycle, "c1"))  # an English page first: the choices must not stay in English
    client.cookies["django_language"] = "cy"
    with translation.override("cy"):
        page = client.get(_url(name, cycle, "c1"), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "gwendidau mawr, mae angen camau unioni ar frys" in page
    assert "major weaknesses, urgent remedial action required" not in page


def test_a_refusal_on_a_12cs_page_speaks_of_the_cycle_not_of_a_child(client):
    cycle = CycleFactory()
    partner = partner_practitioner(cycle)
    client.force_login(partner)
    response = client.post(_url("stakeholder-add", cycle, "c1"), {"agency": partner.agency_id, "role": "Leads"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "part in this 12Cs cycle does not let you do this" in page
    assert "work with this child" not in page


def _signed_off():
    board = board_officer(first_name="Megan", last_name="Rees")
    return CycleFactory(opened_by=board, signed_off_by=board, signed_off_at=timezone.now())


@pytest.mark.parametrize("name", ["assessment-edit", "action-new", "prompt-new"])
def test_a_signed_off_cycle_s_board_pages_say_it_is_read_only_instead_of_offering_a_form(client, name):
    cycle = _signed_off()
    client.force_login(cycle.opened_by)
    page = client.get(_url(name, cycle, "c1")).content.decode()
    assert 'data-testid="signed-off"' in page
    assert '<form method="post" novalidate>' not in page


def test_a_signed_off_cycle_s_contribution_page_says_it_is_read_only(client):
    cycle = _signed_off()
    client.force_login(partner_practitioner(cycle))
    page = client.get(_url("contribution-edit", cycle, "c1")).content.decode()
    assert 'data-testid="signed-off"' in page
    assert '<form method="post" novalidate>' not in page


def test_the_cycle_caption_has_no_space_before_its_colon(client):
    cycle = CycleFactory()
    client.force_login(cycle.opened_by)
    page = client.get(_url("cycle", cycle)).content.decode()
    assert f"{cycle.region.name}: 1 April 2024" in page


@pytest.mark.parametrize(
    ("name", "field", "value", "message"),
    [
        (
            "contribution-edit",
            "evidence",
            "Staff\x00trained",
            "Your agency&#x27;s evidence must not contain null characters",
        ),
        (
            "contribution-edit",
            "evidence",
            "x" * 20_001,
            "Your agency&#x27;s evidence must be 20,000 characters or fewer",
        ),
        ("prompt-new", "text", "Who\x00knows?", "The prompt must not contain null characters"),
    ],
)
def test_hostile_text_is_refused_with_an_error_naming_the_box(client, name, field, value, message):
    cycle = CycleFactory()
    client.force_login(cycle.opened_by if name == "prompt-new" else partner_practitioner(cycle))
    response = client.post(_url(name, cycle, "c1"), {field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Contribution.objects.exists()


def test_a_title_with_a_null_character_is_refused_by_name(client):
    client.force_login(board_officer())
    response = client.post(reverse("assurance:cycle-new"), _open_data(title="12Cs\x002024"))
    assert response.status_code == 400
    assert "Title must not contain null characters" in response.content.decode()
    assert not Cycle.objects.exists()


def test_opening_a_cycle_reports_every_problem_at_once(client):
    client.force_login(board_officer())
    data = _open_data(level="local_authority", **_date("period_end", datetime.date(2023, 1, 1)))
    page = client.post(reverse("assurance:cycle-new"), data).content.decode()
    assert 'href="#id_period_end_day"' in page
    assert "Choose a local authority of your region." in page
    assert not Cycle.objects.exists()


@pytest.mark.parametrize("day", [datetime.date(1990, 1, 1), datetime.date(2100, 1, 1)])
def test_a_review_point_outside_the_cycle_s_years_is_refused(client, day):
    cycle = CycleFactory()
    client.force_login(cycle.opened_by)
    data = {"description": "Training figures", **_date("due_on", day)}
    response = client.post(_url("review-point-add", cycle, "c1"), data)
    assert response.status_code == 400
    assert 'href="#id_due_on_day"' in response.content.decode()
    assert not ReviewPoint.objects.exists()
