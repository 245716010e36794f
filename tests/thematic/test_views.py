"""The board's pages: only board officers and administrators; the analysis in one click; coding; uploading."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cylch.accounts.models import RoleCode
from cylch.thematic.models import CodedReview
from tests.factories import LocalAuthorityFactory, PractitionerFactory
from tests.thematic.factories import coded_review, reviews_with_structure

pytestmark = pytest.mark.django_db

PAGES = [
    "/thematic/",
    "/thematic/reviews/",
    "/thematic/new/",
    "/thematic/import/",
    "/thematic/downloads/descriptives.csv",
]


@pytest.fixture
def board(client):
    client.force_login(PractitionerFactory(roles=[RoleCode.BOARD_OFFICER]))
    return client


@pytest.mark.parametrize("path", [*PAGES, "/thematic/reviews/R-1/"])
@pytest.mark.parametrize(
    "role",
    [RoleCode.AGENCY_PRACTITIONER, RoleCode.FRONT_DOOR, RoleCode.LEAD_PRACTITIONER, RoleCode.INFORMATION_GOVERNANCE],
)
def test_other_roles_cannot_open_the_thematic_pages(client, path, role):
    coded_review("R-1")
    client.force_login(PractitionerFactory(roles=[role]))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("role", [RoleCode.BOARD_OFFICER, RoleCode.ADMINISTRATOR])
@pytest.mark.parametrize("path", [*PAGES, "/thematic/reviews/T-00/"])
def test_board_officers_and_administrators_can_open_them(client, role, path):
    reviews_with_structure(6)
    client.force_login(PractitionerFactory(roles=[role]))
    assert client.get(path).status_code == 200


def test_the_analysis_runs_on_all_reviews_in_one_click(board):
    reviews_with_structure(12)
    body = board.get("/thematic/").content.decode()
    assert "This analysis rests on 12 coded reviews (All coded reviews)." in body
    assert "Clusters of child vulnerabilities" in body
    assert "(n = 12 reviews)" in body
    assert 'role="img"' in body


def test_a_cell_under_five_reviews_is_marked_too_few_to_generalise(board):
    reviews_with_structure(12)
    coded_review("EXTRA", ["vuln_young_carer"])
    body = board.get("/thematic/").content.decode()
    start = body.index('<th scope="row" class="govuk-table__header">Young carer')
    assert "Too few to generalise" in body[start : body.index("</th>", start)]
    start = body.index('<th scope="row" class="govuk-table__header">Known to the police')
    assert "Too few to generalise" not in body[start : body.index("</th>", start)]


def test_the_analysis_of_a_chosen_set(board):
    reviews_with_structure(12)
    body = board.get("/thematic/", {"review_type": "cpr_concise"}).content.decode()
    assert "This analysis rests on 6 coded reviews" in body


def test_a_set_of_fewer_than_two_says_why_it_cannot_run(board):
    coded_review("R-1")
    body = board.get("/thematic/").content.decode()
    assert "needs at least 2" in body


def test_a_period_ending_before_it_starts_is_a_form_error(board):
    reviews_with_structure(4)
    params = {"date_from_day": "1", "date_from_month": "1", "date_from_year": "2022"}
    params |= {"date_to_day": "1", "date_to_month": "1", "date_to_year": "2021"}
    response = board.get("/thematic/", params)
    assert response.status_code == 400
    assert "must be the same as or after its start" in response.content.decode()


def test_downloads_carry_the_chosen_set_and_language(board):
    reviews_with_structure(12)
    response = board.get("/thematic/downloads/descriptives.csv", {"review_type": "cpr_concise", "language": "cy"})
    assert response["Content-Disposition"].startswith('attachment; filename="thematic-descriptives-cy-')
    text = response.content.decode()
    assert "vuln_neglect,Esgeulustod,vulnerability,3,50.0,6" in text


def test_an_unknown_download_is_not_found(board):
    reviews_with_structure(4)
    assert board.get("/thematic/downloads/secrets.txt").status_code == 404
    assert board.get("/thematic/downloads/report.pdf", {"language": "fr"}).status_code == 404


def test_the_report_downloads_as_a_pdf(board):
    reviews_with_structure(6)
    response = board.get("/thematic/downloads/report.pdf", {"language": "en"})
    assert response.content.startswith(b"%PDF")


def test_coding_a_review_on_the_form(board):
    council = LocalAuthorityFactory(code="W06000016")
    response = board.post(
        "/thematic/new/",
        {
            "review_id": "CPR-2024-01",
            "review_type": "cpr_concise",
            "local_authority": "W06000016",
            "incident_date_day": "3",
            "incident_date_month": "2",
            "incident_date_year": "2023",
            "codes_vulnerability": ["vuln_neglect", "vuln_self_esteem"],
            "codes_parent": ["parent_young"],
        },
    )
    assert response.status_code == 302
    review = CodedReview.objects.get(review_id="CPR-2024-01")
    assert review.local_authority == council
    assert sorted(c.code for c in review.codes.all()) == ["parent_young", "vuln_neglect", "vuln_self_esteem"]


def test_the_form_shows_each_code_with_its_definition(board):
    body = board.get("/thematic/new/").content.decode()
    assert "Poor home conditions" in body
    assert "The child lived in poor home conditions (hygiene, safety, overcrowding)." in body
    assert 'class="govuk-hint govuk-checkboxes__hint"' in body


def test_changing_a_coded_review_keeps_its_id(board):
    coded_review("R-1", ["vuln_neglect"])
    response = board.post("/thematic/reviews/R-1/", {"codes_vulnerability": ["vuln_self_esteem"]})
    assert response.status_code == 302
    assert [c.code for c in CodedReview.objects.get(review_id="R-1").codes.all()] == ["vuln_self_esteem"]


def test_a_learning_event_before_the_incident_is_refused_on_the_form(board):
    response = board.post(
        "/thematic/new/",
        {
            "review_id": "R-2",
            "incident_date_day": "3",
            "incident_date_month": "2",
            "incident_date_year": "2023",
            "learning_event_date_day": "1",
            "learning_event_date_month": "2",
            "learning_event_date_year": "2023",
        },
    )
    assert response.status_code == 400
    assert "The learning event cannot be before the incident" in response.content.decode()
    assert not CodedReview.objects.exists()


def test_an_id_already_coded_is_refused_for_a_new_review(board):
    coded_review("R-1")
    response = board.post("/thematic/new/", {"review_id": "R-1"})
    assert response.status_code == 400
    assert "already coded" in response.content.decode()


def test_uploading_a_spreadsheet(board):
    upload = SimpleUploadedFile("reviews.csv", b"review_id,vuln_neglect\nR-1,1\nR-2,0\n", content_type="text/csv")
    response = board.post("/thematic/import/", {"file": upload}, follow=True)
    assert "Imported 2 reviews: 2 new, 0 updated." in response.content.decode()
    assert CodedReview.objects.count() == 2


def test_an_upload_with_problems_lists_each_with_its_row_and_column(board):
    upload = SimpleUploadedFile("reviews.csv", b"review_id,vuln_neglect,colour\nR-1,1,red\n", content_type="text/csv")
    response = board.post("/thematic/import/", {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "Row 1, column colour: Not a column of the format or a code of the coding frame" in body
    assert not CodedReview.objects.exists()
