"""The cycle reads: which cycles a user sees, what the summary and a C's page show to whom, and the history."""

from __future__ import annotations

import pytest

from cylch.assurance.models import Cycle
from cylch.assurance.selectors.cycles import assessment_page, cycle_get, cycle_summary, cycles_for, history
from cylch.assurance.services.cycles import assessment_update, contribution_save, cycle_sign_off
from tests.assurance.factories import ContributionFactory, CycleFactory, board_officer, partner_practitioner
from tests.factories import PractitionerFactory

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
