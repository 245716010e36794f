"""Who sees reviews, generated over every role and every page: the board's officers see everything of their
region; every other role sees none of it, except an agency's own actions in its work list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry
from cylch.reviews.services import document_upload, review_update
from tests.factories import PersonFactory, PractitionerFactory
from tests.reviews.factories import action_make, board_officer, docx_bytes, recommendation_make, review_make

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (
    "ethnicity",
    "family_details",
    "review_period_rationale",
    "family_views",
    "family_not_involved_reason",
    "practitioner_involvement",
    "child_story",
    "analysis",
)
NON_BOARD_ROLES = [role for role in RoleCode if role != RoleCode.BOARD_OFFICER]


@pytest.fixture
def world():
    board = board_officer()
    review = review_make(board, code="CTM-2024-03")
    recommendation = recommendation_make(board, review)
    action = action_make(board, recommendation)
    document = document_upload(
        review=review, user=board, kind="briefing", language="en", filename="b.docx", content=docx_bytes("Learning")
    )
    return board, review, action, document


def board_pages(review, action, document):
    code = review.code
    return [
        reverse("reviews:register"),
        reverse("reviews:review-new"),
        reverse("reviews:timeliness"),
        reverse("reviews:recommendations"),
        reverse("reviews:library"),
        reverse("reviews:document", args=[document.pk]),
        reverse("reviews:review", args=[code]),
        reverse("reviews:review-edit", args=[code]),
        reverse("reviews:review-stages", args=[code]),
        reverse("reviews:finding-new", args=[code]),
        reverse("reviews:recommendation-new", args=[code]),
        reverse("reviews:action-new", args=[code, 1]),
        reverse("reviews:document-new", args=[code]),
        reverse("reviews:report-template-docx", args=[code]),
        reverse("reviews:report-template-pdf", args=[code]) + "?language=cy",
    ]


def test_the_board_officer_opens_every_page(client, world):
    board, review, action, document = world
    client.force_login(board)
    for url in [*board_pages(review, action, document), reverse("reviews:action", args=[action.pk])]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", NON_BOARD_ROLES)
def test_every_other_role_sees_none_of_the_register(client, world, role):
    _board, review, action, document = world
    client.force_login(PractitionerFactory(roles=[role], agency=review.local_authority.agencies.first()))
    for url in board_pages(review, action, document):
        assert client.get(url).status_code in {403, 404}, url
    assert client.get(reverse("reviews:action", args=[action.pk])).status_code == 404


def test_a_practitioner_of_another_agency_has_an_empty_work_list(client, world):
    _board, _review, action, _document = world
    client.force_login(PractitionerFactory())
    response = client.get(reverse("reviews:actions"))
    assert response.status_code == 200
    assert action.description not in response.content.decode()


def test_the_owning_agency_sees_and_opens_its_action(client, world):
    _board, _review, action, _document = world
    client.force_login(PractitionerFactory(agency=action.owner_agency))
    assert action.description[:40] in client.get(reverse("reviews:actions")).content.decode()
    page = client.get(reverse("reviews:action", args=[action.pk]))
    assert page.status_code == 200
    assert "Sign off" not in page.content.decode()


def test_the_owning_agency_cannot_sign_off(client, world):
    _board, _review, action, _document = world
    client.force_login(PractitionerFactory(agency=action.owner_agency))
    assert client.post(reverse("reviews:action-sign-off", args=[action.pk])).status_code == 403


def test_another_regions_board_officer_cannot_open_the_review(client, world):
    _board, review, _action, _document = world
    client.force_login(board_officer())
    assert client.get(reverse("reviews:review", args=[review.code])).status_code == 404


def test_showing_the_linked_childs_record_is_logged(client, world):
    board, review, _action, _document = world
    child = PersonFactory()
    review_update(
        review=review,
        user=board,
        title=review.title,
        child_cylch_id=child.cylch_id,
        **dict.fromkeys(TEXT_FIELDS, ""),
        review_period_start=None,
        review_period_end=None,
    )
    client.force_login(board)
    page = client.get(reverse("reviews:review", args=[review.code])).content.decode()
    assert child.cylch_id in page
    assert AccessLogEntry.objects.filter(person=child, practitioner=board, page="review").exists()
