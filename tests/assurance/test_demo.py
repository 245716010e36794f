"""The 12Cs demo: two signed-off region cycles and an open one in every state, authorities' cycles to compare, the
partner practitioner's part, and every change in the history, on a small region with the demo sign-ins."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cylch.accounts.models import Practitioner
from cylch.assurance.demo import demo_load
from cylch.assurance.models import (
    ActionStatus,
    Assessment,
    AssuranceReturn,
    Contribution,
    Cycle,
    EvidenceAttachment,
    ImprovementAction,
    LocalPrompt,
    MeasuredFact,
    PartnershipLevel,
    ReviewPoint,
    Revision,
    StakeholderPartner,
)
from cylch.assurance.permissions import can_contribute
from cylch.assurance.selectors.actions import my_actions, overdue_actions
from cylch.assurance.selectors.cycles import cycles_for, moderation_gaps, sign_off_gaps
from cylch.assurance.selectors.returns import cycle_returns
from cylch.synthetic.capabilities import demo_loaders
from cylch.synthetic.services import demo_sign_ins_ensure, synthetic_region_load

PEOPLE = 400  # enough for every kind of agency and its practitioners; the people themselves are not needed


@pytest.fixture(scope="module")
def counts(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[dict[str, int]]:
    """A small region with the demo sign-ins and the 12Cs demo, once for the module, rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        synthetic_region_load(people=PEOPLE, seed=19)
        demo_sign_ins_ensure()
        yield demo_load(reference_date=timezone.localdate())
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _region_cycles() -> list[Cycle]:
    return list(Cycle.objects.filter(level=PartnershipLevel.REGION).order_by("period_end"))


def _open() -> Cycle:
    return Cycle.objects.get(signed_off_at__isnull=True)


def test_the_12cs_loader_runs_last_after_the_records_its_facts_read():
    assert demo_loaders()[-1] is demo_load


def test_the_counts_are_what_was_planted(counts):
    assert counts["12Cs cycles"] == Cycle.objects.count()
    assert counts["12Cs: agreed assessments"] == Assessment.objects.filter(ciw_score__isnull=False).count()
    assert counts["12Cs: agency contributions"] == Contribution.objects.count()
    assert counts["12Cs: assurance returns"] == AssuranceReturn.objects.count()
    assert counts["12Cs: improvement actions"] == ImprovementAction.objects.count()
    assert counts["12Cs: local prompts"] == LocalPrompt.objects.count()
    assert counts["12Cs: review points"] == ReviewPoint.objects.count()
    assert counts["12Cs: evidence files"] == EvidenceAttachment.objects.count()
    assert counts["12Cs: measured facts frozen"] == MeasuredFact.objects.count() > 0


def test_the_region_has_two_past_cycles_signed_off_by_the_board_officer_and_one_open(counts):
    first, last, current = _region_cycles()
    assert current == _open()
    assert current.period_start <= timezone.localdate() <= current.period_end
    for past, years in ((first, 2), (last, 1)):
        assert past.signed_off_by_id == Practitioner.objects.get(username="board.officer").pk
        assert past.period_end.year == current.period_end.year - years
        assert past.period_end < timezone.localtime(past.signed_off_at).date() < timezone.localdate()
        assert sign_off_gaps(past) == []
        assert past.measured_facts.exists()


def test_the_past_scores_move_both_ways_between_the_years(counts):
    first, last, _current = _region_cycles()
    before = {a.component: (a.ciw_score or 0) + (a.progress_score or 0) for a in first.assessments.all()}
    after = {a.component: (a.ciw_score or 0) + (a.progress_score or 0) for a in last.assessments.all()}
    assert any(after[c] > before[c] for c in before)
    assert any(after[c] < before[c] for c in before)


def test_the_past_cycles_hold_leads_evidence_contributions_returns_and_delivered_actions(counts):
    for past in _region_cycles()[:2]:
        assessments = list(past.assessments.all())
        assert all(a.accountable_lead_id and a.evidence and a.timeframe for a in assessments)
        assert past.contributions.values("agency").distinct().count() >= 3
        assert not past.returns.filter(submitted_at__isnull=True).exists()
        assert ImprovementAction.objects.filter(assessment__cycle=past, status=ActionStatus.COMPLETED).exists()


def test_a_moderation_note_says_why_wherever_the_agreed_score_departs_from_a_proposal(counts):
    departing = [a for a in Assessment.objects.filter(ciw_score__isnull=False) if moderation_gaps(a)]
    assert departing
    assert all(a.moderation_note for a in departing)


def test_two_local_authorities_have_a_signed_off_cycle_for_the_same_period(counts):
    local = Cycle.objects.filter(level=PartnershipLevel.LOCAL_AUTHORITY)
    assert local.filter(signed_off_at__isnull=False).values("local_authority").distinct().count() >= 2
    assert local.values("period_start", "period_end").distinct().count() == 1
    assert all(sign_off_gaps(cycle) == [] for cycle in local)


def test_the_open_cycle_has_cs_moderated_cs_with_only_contributions_and_cs_untouched(counts):
    cycle = _open()
    contributed = set(cycle.contributions.values_list("component", flat=True))
    scored = {a.component for a in cycle.assessments.all() if a.ciw_score is not None}
    untouched = {a.component for a in cycle.assessments.all()} - scored - contributed
    assert scored
    assert scored <= contributed
    assert contributed - scored
    assert untouched


def test_the_open_cycle_has_returns_submitted_in_draft_and_late(counts):
    board = Practitioner.objects.get(username="board.officer")
    rows = cycle_returns(user=board, cycle=_open())
    assert {row.state for row in rows} == {"submitted", "draft", "not_started"}
    assert any(row.late and row.state == "draft" for row in rows)
    assert any(row.late and row.state == "not_started" for row in rows)
    # A return submitted after its due date stays late (with how late); one submitted in time is not.
    assert {row.late for row in rows if row.state == "submitted"} == {True, False}


def test_the_open_cycle_has_actions_in_every_state_and_some_overdue(counts):
    board = Practitioner.objects.get(username="board.officer")
    actions = ImprovementAction.objects.filter(assessment__cycle=_open())
    assert set(actions.values_list("status", flat=True)) == set(ActionStatus.values)
    assert overdue_actions(user=board).filter(assessment__cycle=_open()).exists()
    assert actions.filter(status=ActionStatus.COMPLETED, completed_on__lt=timezone.localdate()).exists()


def test_the_open_cycle_has_local_prompts_in_both_languages_and_review_points(counts):
    cycle = _open()
    assert cycle.local_prompts.count() == 2
    assert all(prompt.text_cy for prompt in cycle.local_prompts.all())
    assert ReviewPoint.objects.filter(assessment__cycle=cycle).exists()


def test_the_health_visitor_sign_in_has_a_part_in_the_open_cycle(counts):
    visitor = Practitioner.objects.get(username="health.visitor")
    cycle = _open()
    assert cycle in cycles_for(user=visitor)
    assert visitor.agency is not None
    assert can_contribute(visitor, cycle, visitor.agency)
    assert cycle.contributions.filter(agency=visitor.agency).exists()
    (row,) = cycle_returns(user=visitor, cycle=cycle)
    assert row.state == "draft"
    assert row.late
    assert my_actions(user=visitor).filter(owner=visitor, assessment__cycle=cycle).exists()


def test_the_pages_open_for_the_board_officer_and_the_health_visitor(counts, client):
    cycle = _open()
    for username in ("board.officer", "health.visitor"):
        client.force_login(Practitioner.objects.get(username=username))
        assert client.get(reverse("assurance:cycles")).status_code == 200
        assert client.get(reverse("assurance:cycle", args=[cycle.pk])).status_code == 200
        assert client.get(reverse("assurance:assessment", args=[cycle.pk, "c3"])).status_code == 200


@pytest.mark.parametrize(
    ("model", "subject"),
    [
        (Assessment, "assessment"),
        (Contribution, "contribution"),
        (AssuranceReturn, "return"),
        (ImprovementAction, "action"),
    ],
)
def test_every_version_of_every_record_is_in_the_history(counts, model, subject):
    records = model.objects.all()
    if model is Assessment:
        records = records.filter(ciw_score__isnull=False)
    assert records.exists()
    for record in records:
        versions = Revision.objects.filter(subject=subject, subject_id=record.pk).values_list("version", flat=True)
        assert sorted(versions) == list(range(1, record.version + 1))


@pytest.mark.parametrize(
    ("model", "subject"),
    [
        (LocalPrompt, "prompt"),
        (StakeholderPartner, "stakeholder"),
        (ReviewPoint, "review_point"),
        (EvidenceAttachment, "attachment"),
        (Cycle, "cycle"),
    ],
)
def test_every_prompt_stakeholder_review_point_file_and_cycle_has_its_revision(counts, model, subject):
    for record in model.objects.all():
        assert Revision.objects.filter(subject=subject, subject_id=record.pk).exists()


def test_the_history_is_dated_in_the_story_not_all_at_load_time(counts):
    now = timezone.now()
    assert not Revision.objects.filter(changed_at__gt=now).exists()
    for cycle in Cycle.objects.all():
        revisions = Revision.objects.filter(cycle=cycle)
        assert not revisions.filter(changed_at__lt=cycle.opened_at).exists()
        if cycle.signed_off_at is not None:
            # After sign-off only the action plan moves on.
            assert not revisions.filter(changed_at__gt=cycle.signed_off_at).exclude(subject="action").exists()
            assert cycle.signed_off_at < now - datetime.timedelta(days=30)
    assert _open().opened_at.date() < timezone.localdate()


def test_loading_again_adds_nothing(counts):
    assert demo_load(reference_date=timezone.localdate()) == {"12Cs cycles": 0}
    assert Cycle.objects.count() == counts["12Cs cycles"]


def test_every_contribution_and_return_is_written_by_a_contributor_of_its_agency_never_the_board(counts):
    for cycle in Cycle.objects.all():
        for contribution in cycle.contributions.select_related("updated_by", "agency"):
            assert can_contribute(contribution.updated_by, cycle, contribution.agency)
        for found in cycle.returns.exclude(updated_by=None).select_related("updated_by", "agency"):
            assert can_contribute(found.updated_by, cycle, found.agency)


def test_each_record_s_versions_are_dated_in_order_and_none_after_today(counts):
    now = timezone.now()
    seen: dict[tuple[str, int], tuple[int, datetime.datetime]] = {}
    for revision in Revision.objects.order_by("subject", "subject_id", "version"):
        assert revision.changed_at <= now
        key = (revision.subject, revision.subject_id)
        if key in seen:
            assert seen[key][1] <= revision.changed_at, (key, seen[key][0], revision.version)
        seen[key] = (revision.version, revision.changed_at)


def test_the_history_s_snapshots_hold_the_story_s_dates_not_the_day_the_demo_was_loaded(counts):
    for cycle in Cycle.objects.filter(signed_off_at__isnull=False):
        signed = Revision.objects.get(cycle=cycle, subject="cycle", version=2)
        assert datetime.datetime.fromisoformat(signed.snapshot["signed_off_at"]) == cycle.signed_off_at
        assert signed.changed_at == cycle.signed_off_at
    for found in AssuranceReturn.objects.filter(submitted_at__isnull=False):
        last = Revision.objects.filter(subject="return", subject_id=found.pk).order_by("-version").first()
        assert datetime.datetime.fromisoformat(last.snapshot["submitted_at"]) == found.submitted_at
