"""The match-review queue and merge history: the front door compares and decides; managers undo merges."""

from __future__ import annotations

import pytest

from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry
from cylch.linkage.merging import person_merge
from cylch.linkage.models import MatchReview, MergeDecision, MergeKind, ReviewStatus
from cylch.people.models import Person
from tests.factories import PersonFactory, PractitionerFactory, SourceRecordFactory

pytestmark = pytest.mark.django_db

REVIEWERS = {RoleCode.FRONT_DOOR_MANAGER}


@pytest.fixture
def review():
    existing = PersonFactory(given_name="Cerys", family_name="Llewellyn")
    incoming = PersonFactory(given_name="Ceri", family_name="Llewelyn", nhs_number="")
    record = SourceRecordFactory(person=incoming)
    return MatchReview.objects.create(
        person=incoming,
        candidate=existing,
        source_record=record,
        probability=0.62,
        match_weight=1.2,
        evidence=[{"field": "family_name", "level": "similar", "weight": 2.1}],
        model_version="v2",
    )


@pytest.mark.parametrize("role", list(RoleCode))
def test_only_front_door_managers_review_matches(client, review, role):
    client.force_login(PractitionerFactory(roles=[role]))
    queue = client.get("/linkage/reviews/")
    detail = client.get(f"/linkage/reviews/{review.pk}/")
    if role in REVIEWERS:
        assert queue.status_code == detail.status_code == 200
        assert "Ceri Llewelyn" in queue.content.decode()
    else:
        assert queue.status_code == detail.status_code == 404


def test_a_long_review_queue_says_how_many_pairs_and_pages_through_all(client, review, monkeypatch):
    monkeypatch.setattr("cylch.linkage.selectors.REVIEW_PAGE_SIZE", 1)
    likelier = MatchReview.objects.create(
        person=PersonFactory(given_name="Osian", family_name="Pryce"),
        candidate=PersonFactory(given_name="Osian", family_name="Price"),
        probability=0.9,
        match_weight=3.1,
        evidence=[],
        model_version="v4",
    )
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR_MANAGER]))
    first = client.get("/linkage/reviews/").content.decode()
    second = client.get("/linkage/reviews/", {"page": 2}).content.decode()
    assert "2 pairs are waiting for review." in first
    assert "Showing 1 to 1, most likely first." in first
    assert [str(likelier.person) in page for page in (first, second)] == [True, False]
    assert [str(review.person) in page for page in (first, second)] == [False, True]


def test_the_comparison_shows_both_records_and_is_logged(client, review):
    user = PractitionerFactory(roles=[RoleCode.FRONT_DOOR_MANAGER])
    client.force_login(user)
    page = client.get(f"/linkage/reviews/{review.pk}/").content.decode()
    assert "Cerys" in page and "Ceri" in page  # noqa: PT018
    assert "Spelt similarly" in page  # the evidence in words, not the model's codes
    assert "family_name" not in page and "similar<" not in page  # noqa: PT018
    logged = set(AccessLogEntry.objects.filter(practitioner=user, page="match-review").values_list("person", flat=True))
    assert logged == {review.person_id, review.candidate_id}


def test_rejecting_keeps_both_records(client, review):
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR_MANAGER]))
    response = client.post(f"/linkage/reviews/{review.pk}/", {"decision": "different", "reason": "Different mothers"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.reason) == (ReviewStatus.REJECTED, "Different mothers")
    assert Person.objects.get(pk=review.person_id).merged_into_id is None


def test_accepting_merges_and_a_manager_can_undo_it(client, review):
    manager = PractitionerFactory(roles=[RoleCode.FRONT_DOOR_MANAGER])
    client.force_login(manager)
    client.post(f"/linkage/reviews/{review.pk}/", {"decision": "same", "reason": "Same NHS number on the letter"})
    review.refresh_from_db()
    assert review.status == ReviewStatus.ACCEPTED
    assert Person.objects.get(pk=review.person_id).merged_into_id == review.candidate_id
    decision = MergeDecision.objects.get(kind=MergeKind.MERGE)
    assert f"/linkage/merges/{decision.pk}/unmerge/" in client.get("/linkage/merges/").content.decode()
    response = client.post(f"/linkage/merges/{decision.pk}/unmerge/", {"reason": "Twins, not the same child"})
    assert response.status_code == 302
    assert Person.objects.get(pk=review.person_id).merged_into_id is None
    assert MergeDecision.objects.filter(kind=MergeKind.UNMERGE, undoes=decision).exists()


def test_a_decision_needs_a_reason(client, review):
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR_MANAGER]))
    response = client.post(f"/linkage/reviews/{review.pk}/", {"decision": "same", "reason": "  "})
    assert "Enter the reason for your decision" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING


@pytest.mark.parametrize("role", [r for r in RoleCode if r != RoleCode.FRONT_DOOR_MANAGER])
def test_only_a_front_door_manager_can_undo_a_merge(client, role):
    survivor, merged = PersonFactory(), PersonFactory()
    decision = person_merge(survivor=survivor, merged=merged, decided_by=None, reason="Same", automatic=True)
    client.force_login(PractitionerFactory(roles=[role]))
    assert client.get("/linkage/merges/").status_code == 404
    assert client.post(f"/linkage/merges/{decision.pk}/unmerge/", {"reason": "Because I can"}).status_code == 404
    assert Person.objects.get(pk=merged.pk).merged_into_id == survivor.pk


def test_the_queue_says_in_words_why_each_pair_needs_a_person(client, review):
    review.guard = "different_birth_date"
    review.save()
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR_MANAGER]))
    page = client.get("/linkage/reviews/").content.decode()
    assert "Partly agreed: Family name (spelt similarly)." in page
    assert "The dates of birth are further apart than a day and month swap" in page
