"""Reading returns: the board's rows for every partner (late ones marked, a late submission included, not-started
ones shown, each counted apart), an agency's own only, and the evidence figures per C from each agency's latest
submitted return."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cylch.assurance.models import AssuranceReturn
from cylch.assurance.selectors.returns import (
    ReturnsSummary,
    cycle_returns,
    has_submitted,
    return_get,
    returns_evidence,
)
from tests.assurance.factories import CycleFactory, partner_practitioner
from tests.assurance.factories_returns import ReturnFactory, TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return CycleFactory()


def test_the_board_gets_a_row_for_every_partner_agency(cycle):
    filed = ReturnFactory(cycle=cycle)
    silent = partner_practitioner(cycle)
    rows = cycle_returns(user=cycle.opened_by, cycle=cycle)
    assert {(row.agency, row.state) for row in rows} == {(filed.agency, "draft"), (silent.agency, "not_started")}


def test_an_unsubmitted_return_past_its_due_date_is_late(cycle):
    ReturnFactory(cycle=cycle, due_on=datetime.date(2025, 1, 1))
    assert [row.late for row in cycle_returns(user=cycle.opened_by, cycle=cycle)] == [True]


def test_a_return_submitted_by_its_due_date_is_on_time(cycle):
    ReturnFactory(cycle=cycle, due_on=datetime.date(2025, 5, 1), submitted=True)  # submitted 1 May 2025
    [row] = cycle_returns(user=cycle.opened_by, cycle=cycle)
    assert (row.late, row.days_late) == (False, 0)


def test_a_return_submitted_after_its_due_date_stays_late_by_how_late(cycle):
    ReturnFactory(cycle=cycle, due_on=datetime.date(2025, 4, 21), submitted=True)  # submitted 1 May 2025
    [row] = cycle_returns(user=cycle.opened_by, cycle=cycle)
    assert (row.state, row.late, row.days_late) == ("submitted", True, 10)


def test_a_draft_given_a_later_due_date_is_not_late_beside_late_ones(cycle):
    ReturnFactory(cycle=cycle, due_on=datetime.date(2025, 1, 1))
    ReturnFactory(cycle=cycle, due_on=timezone.localdate() + datetime.timedelta(days=30))
    assert sorted(row.late for row in cycle_returns(user=cycle.opened_by, cycle=cycle)) == [False, True]


def test_the_summary_counts_on_time_late_draft_and_not_started_apart(cycle):
    past, future = datetime.date(2025, 4, 21), timezone.localdate() + datetime.timedelta(days=30)
    ReturnFactory(cycle=cycle, due_on=datetime.date(2025, 5, 31), submitted=True)  # on time
    ReturnFactory(cycle=cycle, due_on=past, submitted=True)  # 10 days late
    ReturnFactory(cycle=cycle, due_on=past)  # draft past due
    ReturnFactory(cycle=cycle, due_on=past, updated_by=None)  # the chase's blank draft: not started, past due
    ReturnFactory(cycle=cycle, due_on=future)  # draft not yet due
    summary = ReturnsSummary.of(cycle_returns(user=cycle.opened_by, cycle=cycle))
    assert summary.sentences() == [
        "2 of 5 returns submitted (1 on time, 1 late).",
        "Past due and not submitted: 1 in draft, 1 not started.",
        "Not yet due: 1.",
    ]


def test_an_agency_has_submitted_only_once_a_return_is(cycle):
    draft = ReturnFactory(cycle=cycle)
    assert not has_submitted(cycle, draft.agency)
    ReturnFactory(cycle=cycle, agency=draft.agency, period_start=datetime.date(2024, 10, 1), submitted=True)
    assert has_submitted(cycle, draft.agency)


def test_an_agency_gets_only_its_own_rows(cycle):
    own = ReturnFactory(cycle=cycle)
    ReturnFactory(cycle=cycle)
    rows = cycle_returns(user=own.updated_by, cycle=cycle)
    assert [row.assurance_return for row in rows] == [own]


def test_another_agencys_return_does_not_exist_for_a_partner(cycle):
    found = ReturnFactory(cycle=cycle)
    with pytest.raises(AssuranceReturn.DoesNotExist):
        return_get(user=partner_practitioner(cycle), pk=found.pk)


def test_turnover_is_leavers_over_posts(cycle):
    ReturnFactory(cycle=cycle, leavers=12, safeguarding_posts=80)
    assert cycle_returns(user=cycle.opened_by, cycle=cycle)[0].turnover_percent == "15%"


def test_supervision_is_evidence_for_c2(cycle):
    found = ReturnFactory(cycle=cycle, submitted=True)
    [figure] = returns_evidence(cycle, "c2")
    assert (figure.agency, figure.figure, figure.out_of) == (found.agency, 96, 120)
    assert figure.words == "96 of 120 supervision sessions held (80%)"


def test_training_below_target_is_evidence_for_c3_and_falls_short(cycle):
    found = ReturnFactory(cycle=cycle, submitted=True)
    TrainingFactory(assurance_return=found, compliance_percent=Decimal("92.0"), target_percent=Decimal("95.0"))
    [figure] = returns_evidence(cycle, "c3")
    assert figure.falls_short
    assert figure.words == "Group B: 92.0% of staff trained, against a target of 95.0%"


def test_vacancies_and_designated_leads_are_evidence_for_c4(cycle):
    ReturnFactory(cycle=cycle, submitted=True)
    assert [f.words for f in returns_evidence(cycle, "c4")] == [
        "3 of 4 designated safeguarding lead posts filled",
        "6 of 80 posts in safeguarding roles vacant (8%)",
    ]


def test_turnover_is_evidence_for_c9(cycle):
    ReturnFactory(cycle=cycle, submitted=True)
    [figure] = returns_evidence(cycle, "c9")
    assert figure.words == "12 leavers from 80 posts in safeguarding roles: 15% turnover"


def test_drafts_are_not_evidence(cycle):
    ReturnFactory(cycle=cycle)
    assert returns_evidence(cycle, "c2") == []


def test_returns_are_no_evidence_for_other_cs(cycle):
    ReturnFactory(cycle=cycle, submitted=True)
    assert returns_evidence(cycle, "c7") == []


def test_only_an_agencys_latest_submitted_return_is_evidence(cycle):
    agency_return = ReturnFactory(
        cycle=cycle, submitted=True, period_end=datetime.date(2024, 9, 30), supervision_held=10
    )
    ReturnFactory(
        cycle=cycle,
        agency=agency_return.agency,
        submitted=True,
        period_start=datetime.date(2024, 10, 1),
        supervision_held=50,
    )
    assert [f.figure for f in returns_evidence(cycle, "c2")] == [50]


def test_evidence_can_be_limited_to_one_agency(cycle):
    ReturnFactory(cycle=cycle, submitted=True)
    own = ReturnFactory(cycle=cycle, submitted=True)
    assert [f.agency for f in returns_evidence(cycle, "c2", agency=own.agency)] == [own.agency]
