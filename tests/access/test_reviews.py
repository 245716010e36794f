"""Information governance's review queue: break-glass uses and approved requests, each with its reason and what
was opened under it, and an outcome with a note that is itself on the audit chain."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cylch.access.models import AccessGrant, GrantKind, GrantReview, GrantStatus, ReviewOutcome
from cylch.access.services import access_request_create, access_request_decide, break_glass, grant_review_record
from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry, AuditAction
from tests.factories import PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

REASON = "Child in the emergency department at night; need to know if on the register."


@pytest.fixture
def ig_lead(db):
    return PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE])


@pytest.fixture
def child(db):
    return PersonFactory(given_name="Nia", family_name="Rees")


@pytest.fixture
def breaker(db):
    return PractitionerFactory(first_name="Dafydd", last_name="Meddyg")


@pytest.fixture
def glass(client, breaker, child):
    """A break-glass use, and the record opened under it once."""
    grant = break_glass(user=breaker, person=child, reason=REASON)
    client.force_login(breaker)
    client.get(f"/people/{child.cylch_id}/")
    client.logout()
    return grant


def test_information_governance_sees_a_break_glass_use_to_review(client, ig_lead, glass):
    client.force_login(ig_lead)
    html = client.get("/access-reviews/").content.decode()
    assert f"/access-reviews/{glass.pk}/" in html
    assert REASON in html
    assert "Dafydd Meddyg" in html


def test_a_pending_request_is_not_reviewed_and_an_approved_one_is(client, ig_lead, child):
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR])
    pending = access_request_create(user=PractitionerFactory(), person=child, reason="Planning a home visit soon.")
    approved = access_request_create(user=PractitionerFactory(), person=child, reason="Joint visit with police.")
    access_request_decide(grant=approved, decided_by=front_door, approve=True, reason="Joint visit agreed.")
    client.force_login(ig_lead)
    html = client.get("/access-reviews/").content.decode()
    assert f"/access-reviews/{approved.pk}/" in html
    assert f"/access-reviews/{pending.pk}/" not in html


def test_a_meeting_invitation_is_not_queued_for_review(client, ig_lead, child):
    invited = AccessGrant.objects.create(
        person=child,
        practitioner=PractitionerFactory(),
        kind=GrantKind.MEETING,
        status=GrantStatus.APPROVED,
        reason="Strategy discussion 2026-12-07 (meeting 1)",
    )
    client.force_login(ig_lead)
    html = client.get("/access-reviews/").content.decode()
    assert f"/access-reviews/{invited.pk}/" not in html


def test_the_review_page_shows_what_was_opened_under_the_grant(client, ig_lead, glass):
    client.force_login(ig_lead)
    response = client.get(f"/access-reviews/{glass.pk}/")
    opened = response.context["review"].opened
    assert [entry.page for entry in opened] == ["person-detail"]
    assert 'data-testid="opened"' in response.content.decode()


def test_recording_the_outcome_is_audited_and_takes_the_grant_off_the_queue(client, ig_lead, glass):
    client.force_login(ig_lead)
    response = client.post(
        f"/access-reviews/{glass.pk}/", {"decision": "not_appropriate", "reason": "The child was not in hospital."}
    )
    assert response.status_code == 302
    review = GrantReview.objects.get(grant=glass)
    assert (review.outcome, review.note, review.reviewed_by) == (
        ReviewOutcome.NOT_APPROPRIATE,
        "The child was not in hospital.",
        ig_lead,
    )
    entry = AccessLogEntry.objects.get(page="access-review", action=AuditAction.ACCESS_DECISION)
    assert entry.practitioner == ig_lead
    assert entry.person == glass.person
    assert entry.details["review"] == "not_appropriate"
    assert entry.details["grant"] == glass.pk
    assert f"/access-reviews/{glass.pk}/" not in client.get("/access-reviews/").content.decode()


def test_an_outcome_needs_a_note(client, ig_lead, glass):
    client.force_login(ig_lead)
    response = client.post(f"/access-reviews/{glass.pk}/", {"decision": "appropriate", "reason": ""})
    assert response.status_code == 200
    assert not GrantReview.objects.exists()


def test_a_grant_is_reviewed_once(ig_lead, glass):
    grant_review_record(grant=glass, reviewer=ig_lead, outcome="appropriate", note="Emergency, as stated.")
    with pytest.raises(ValidationError):
        grant_review_record(grant=glass, reviewer=ig_lead, outcome="not_appropriate", note="Changed my mind.")


def test_nobody_reviews_their_own_access(breaker, glass):
    breaker.roles.add(*PractitionerFactory(roles=[RoleCode.INFORMATION_GOVERNANCE]).roles.all())
    with pytest.raises(PermissionDenied):
        grant_review_record(grant=glass, reviewer=breaker, outcome="appropriate", note="I was right.")


def test_a_practitioner_cannot_see_the_queue_or_a_review(client, glass):
    other = PractitionerFactory()
    client.force_login(other)
    assert client.get("/access-reviews/").status_code == 403
    assert client.get(f"/access-reviews/{glass.pk}/").status_code == 404
    answer = {"decision": "appropriate", "reason": "Fine."}
    assert client.post(f"/access-reviews/{glass.pk}/", answer).status_code == 404
    assert not GrantReview.objects.exists()


def test_the_home_page_of_information_governance_links_to_the_queue(client, ig_lead):
    client.force_login(ig_lead)
    assert 'href="/access-reviews/"' in client.get("/").content.decode()
