"""The cycle reads: which cycles a user sees, what the summary and a C's page show to whom, and the history."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from cylch.accounts.models import RoleCode
from cylch.assurance.models import Cycle, Revision
from cylch.assurance.selectors.cycles import assessment_page, cycle_get, cycle_summary, cycles_for, history
from cylch.assurance.services.actions import action_add
from cylch.assurance.services.cycles import (
    assessment_update,
    contribution_save,
    cycle_open,
    cycle_sign_off,
    review_point_add,
)
from tests.assurance.factories import ContributionFactory, CycleFactory, board_officer, partner_practitioner
from tests.assurance.factories_returns import ReturnFactory
from tests.factories import AgencyFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def _agree(board, assessment, **kwargs):
    values = {
        "ciw_score": 4,
        "progress_score": 4,
        "evidence": "",
        "moderation_note": "",
        "accountable_lead": board,
        "timeframe": "",
    }
    return assessment_update(user=board, assessment=assessment, **(values | kwargs))


def test_the_board_sees_its_region_s_cycles_and_an_agency_the_cycles_it_is_a_partner_in():
    ours = CycleFactory()
    theirs = CycleFactory()
    practitioner = partner_practitioner(theirs)
    assert list(cycles_for(user=ours.opened_by)) == [ours]
    assert list(cycles_for(user=practitioner)) == [theirs]
    assert list(cycles_for(user=PractitionerFactory())) == []


def test_a_board_officer_whose_agency_is_a_partner_elsewhere_sees_each_cycle_once():
    ours = CycleFactory()
    ours.partner_agencies.add(ours.opened_by.agency)
    assert list(cycles_for(user=ours.opened_by)) == [ours]


def test_a_cycle_out_of_reach_reads_as_missing():
    cycle = CycleFactory()
    with pytest.raises(Cycle.DoesNotExist):
        cycle_get(user=board_officer(), pk=cycle.pk)


def test_the_summary_counts_each_c_s_contributions_for_the_board():
    cycle = CycleFactory()
    ContributionFactory(cycle=cycle, component="c3")
    ContributionFactory(cycle=cycle, component="c3")
    rows = {row.code: row for row in cycle_summary(user=cycle.opened_by, cycle=cycle).rows}
    assert (rows["c3"].contributions, rows["c4"].contributions) == (2, 0)
    assert len(rows) == 12


def test_before_sign_off_an_agency_sees_only_its_own_proposal_and_after_it_every_one():
    cycle = CycleFactory()
    board = cycle.opened_by
    practitioner = partner_practitioner(cycle)
    ContributionFactory(cycle=cycle, component="c1", proposed_ciw_score=4, proposed_progress_score=4)
    contribution_save(
        user=practitioner,
        cycle=cycle,
        component="c1",
        evidence="Ours.",
        proposed_ciw_score=4,
        proposed_progress_score=4,
    )
    page = assessment_page(user=practitioner, cycle=cycle, component="c1")
    assert [p.contribution.agency for p in page.proposals] == [practitioner.agency]
    assert len(assessment_page(user=board, cycle=cycle, component="c1").proposals) == 2
    for assessment in cycle.assessments.all():
        _agree(board, assessment)
    cycle = cycle_sign_off(user=board, cycle=cycle)
    assert len(assessment_page(user=practitioner, cycle=cycle, component="c1").proposals) == 2


def test_history_is_newest_first_with_the_change_in_words():
    cycle = CycleFactory()
    board = cycle.opened_by
    assessment = _agree(board, cycle.assessments.get(component="c2"), timeframe="gold")
    _agree(board, assessment, ciw_score=5, timeframe="bronze")
    entries = history(user=board, cycle=cycle)
    changes = {(c.label, c.before, c.after) for c in entries[0].changes}
    assert ("Care Inspectorate Wales score", "4", "5") in changes
    assert ("implementation timeframe", "Gold (strategic)", "Bronze (operational)") in changes
    assert entries[0].revision.version == 2


def test_before_sign_off_an_agency_s_history_leaves_out_other_agencies_changes():
    cycle = CycleFactory()
    ContributionFactory(cycle=cycle)  # made directly: no revision
    mine = partner_practitioner(cycle)
    theirs = partner_practitioner(cycle)
    values = {"cycle": cycle, "component": "c5", "evidence": "x", "proposed_ciw_score": 3, "proposed_progress_score": 3}
    contribution_save(user=mine, **values)
    contribution_save(user=theirs, **values)
    assert [e.revision.agency for e in history(user=mine, cycle=cycle)] == [mine.agency]
    assert len(history(user=cycle.opened_by, cycle=cycle)) == 2


def test_a_partner_agency_s_front_door_worker_has_no_cycles_listed():
    cycle = CycleFactory()
    worker = partner_practitioner(cycle, roles=[RoleCode.FRONT_DOOR])
    assert list(cycles_for(user=worker)) == []


def test_the_board_officer_running_a_cycle_is_not_offered_their_own_agency_s_contribution():
    board = board_officer()
    cycle = CycleFactory(opened_by=board, partner_agencies=[board.agency])
    page = assessment_page(user=board, cycle=cycle, component="c1")
    assert page.runs
    assert not page.may_contribute
    assert page.own is None


def _changes(entry):
    return {c.label: (c.before, c.after) for c in entry.changes}


def test_a_cycle_s_history_reads_in_words_without_who_and_when_stamps():
    board = board_officer(first_name="Megan", last_name="Rees")
    partner = AgencyFactory(local_authority__region=board.agency.local_authority.region, name="Gwent Police")
    cycle = cycle_open(
        user=board,
        level="region",
        title="12Cs 2024",
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2025, 3, 31),
        contributions_due=datetime.date(2025, 5, 31),
        partner_agencies=[partner],
    )
    (entry,) = history(user=board, cycle=cycle)
    changes = _changes(entry)
    assert changes["period from"] == ("", "1 April 2024")
    assert changes["partnership"] == ("", "Region")
    assert changes["partner agencies"] == ("", "Gwent Police")
    assert not {"opened_at", "opened by", "opened_by", "signed_off_at", "region"} & set(changes)


def test_an_action_s_history_names_its_agency_and_owner_and_says_its_status_and_date_in_words():
    cycle = CycleFactory()
    board = cycle.opened_by
    agency = AgencyFactory(local_authority__region=cycle.region, name="Caerphilly Children's Services")
    owner = PractitionerFactory(agency=agency, first_name="Siân", last_name="Lloyd")
    action_add(
        assessment=cycle.assessments.get(component="c3"),
        user=board,
        description="Book refreshers",
        owner_agency=agency,
        owner=owner,
        due_on=datetime.date(2025, 9, 30),
    )
    changes = _changes(history(user=board, cycle=cycle)[0])
    assert changes["owning agency"] == ("", "Caerphilly Children's Services")
    assert changes["owner"] == ("", "Siân Lloyd")
    assert changes["due"] == ("", "30 September 2025")
    assert changes["status"] == ("", "Not started")
    assert "assessment" not in changes


def test_a_return_s_history_gives_training_lines_in_words_and_leaves_out_its_submission_stamps():
    cycle = CycleFactory()
    board = cycle.opened_by
    found = ReturnFactory(cycle=cycle)
    snapshot = {
        "agency": found.agency_id,
        "due_on": "2025-05-31",
        "submitted_at": "2026-12-07T13:23:00+00:00",
        "submitted_by": board.pk,
        "training": {"group_a": ["85.8", "95.0"], "group_b": ["None", "100.0"]},
    }
    Revision.objects.create(
        cycle=cycle,
        subject="return",
        subject_id=found.pk,
        version=1,
        summary="Return submitted",
        snapshot=snapshot,
        changed_by=found.updated_by,
        agency=found.agency,
    )
    changes = _changes(history(user=board, cycle=cycle)[0])
    assert changes["training"] == ("", "Group A: 85.8 % (target 95 %); Group B: not given % (target 100 %)")
    assert changes["due"] == ("", "31 May 2025")
    assert changes["agency"] == ("", found.agency.name)
    assert not {"submitted_at", "submitted by", "submitted_by"} & set(changes)


def test_a_review_point_s_date_reads_in_the_active_language():
    cycle = CycleFactory()
    board = cycle.opened_by
    review_point_add(
        user=board, assessment=cycle.assessments.get(component="c1"), due_on=datetime.date(2025, 12, 7), description="x"
    )
    with translation.override("cy"):
        changes = {c.after for c in history(user=board, cycle=cycle)[0].changes}
    assert "7 Rhagfyr 2025" in changes
