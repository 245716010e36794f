"""`cylch demo` plants the front door's work: every state a concern can be in, and the queues beside it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone

from cylch.access.models import AccessGrant, GrantKind, GrantReview, GrantStatus
from cylch.concerns.models import (
    BELOW_STATUTORY,
    ChallengeStatus,
    Concern,
    InformationRequest,
    Outcome,
    Stage,
    ThresholdDecision,
    TimescaleAction,
)
from cylch.linkage.models import MatchReview, MergeDecision, ReviewStatus
from cylch.synthetic.capabilities import demo_loaders
from cylch.synthetic.demo_work import demo_load
from cylch.synthetic.services import DemoResult, demo_create


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[DemoResult]:
    """One demo region for the module (loading it takes seconds), rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        yield demo_create(reference_date=timezone.localdate())
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_front_doors_work_loads_first():
    assert demo_loaders()[0] is demo_load


def test_demo_prints_what_the_front_doors_work_planted(demo):
    assert demo.capabilities["concerns"] == Concern.objects.count()
    assert demo.capabilities["match reviews"] == MatchReview.objects.count()


def test_concerns_wait_new_and_in_screening(demo):
    assert Concern.objects.filter(stage=Stage.RECEIVED, decision_due_at__gt=timezone.now()).exists()
    assert Concern.objects.filter(stage=Stage.SCREENING).exists()


def test_a_concern_is_overdue_and_one_escalated(demo):
    assert Concern.objects.filter(decided_at__isnull=True, decision_due_at__lt=timezone.now()).exists()
    assert TimescaleAction.objects.filter(kind=TimescaleAction.Kind.ESCALATION).count() == 1


def test_a_concern_is_decided_with_each_outcome(demo):
    decided = set(Concern.objects.filter(stage=Stage.DECIDED).values_list("decisions__outcome", flat=True))
    assert decided >= set(Outcome.values)


def test_decisions_are_spread_over_the_weeks_before(demo):
    days = {timezone.localtime(c.decided_at).date() for c in Concern.objects.filter(decided_at__isnull=False)}
    assert len(days) >= 5
    assert max(days) < timezone.localdate()


def test_one_challenge_is_open_and_one_upheld_with_the_decision_revised(demo):
    assert Concern.objects.filter(challenges__status=ChallengeStatus.OPEN).count() == 1
    upheld = Concern.objects.get(challenges__status=ChallengeStatus.UPHELD)
    assert upheld.decisions.filter(replaces__isnull=False).exists()


def test_a_decision_below_the_statutory_level_gave_its_reason_for_a_child_on_the_register(demo):
    below = [
        d
        for d in ThresholdDecision.objects.filter(outcome__in=BELOW_STATUTORY)
        if any(check["check"] == "register" for check in d.checks_shown)
    ]
    assert below
    assert all(d.below_statutory_reason for d in below)


def test_information_requests_are_open_overdue_and_answered(demo):
    today = timezone.localdate()
    assert InformationRequest.objects.filter(responded_at__isnull=True, due_on__gte=today).exists()
    assert InformationRequest.objects.filter(responded_at__isnull=True, due_on__lt=today).exists()
    answered = InformationRequest.objects.get(responded_at__isnull=False)
    assert answered.responded_by is not None
    assert answered.responded_by.agency_id == answered.agency_id


def test_possible_matches_wait_for_review_and_one_was_merged(demo):
    assert MatchReview.objects.filter(status=ReviewStatus.PENDING).exists()
    assert MergeDecision.objects.exists()


def test_break_glass_uses_and_access_requests_wait_for_review_and_decision(demo):
    assert AccessGrant.objects.filter(kind=GrantKind.BREAK_GLASS).count() == 2
    assert AccessGrant.objects.filter(kind=GrantKind.REQUEST, status=GrantStatus.PENDING).exists()
    assert AccessGrant.objects.filter(kind=GrantKind.REQUEST, status=GrantStatus.APPROVED).exists()
    assert GrantReview.objects.count() == 1
