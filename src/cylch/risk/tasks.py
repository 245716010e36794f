"""Risk on the worker: a fed batch's people evaluated after the batch commits, and the nightly rescan, which
raises within a day what the incremental evaluation missed (a receiver or task that failed, a rule changed, a
pattern that became true only as time passed, such as a child's age)."""

from __future__ import annotations

import datetime

from django_tasks import task

from cylch.core.periodic import periodic_schedule
from cylch.risk.services import people_evaluate, risk_evaluate, risk_factors_derive, was_not_brought_follow_ups_raise

RESCAN_INTERVAL = datetime.timedelta(days=1)


def rescan_schedule(*, after: datetime.timedelta = RESCAN_INTERVAL) -> bool:
    return periodic_schedule(rescan_task, after=after)


@task()
def rescan_task() -> int:
    """`cylch risk rescan` on the worker, then the next run queued; returns the alerts raised or escalated."""
    risk_factors_derive()
    was_not_brought_follow_ups_raise()
    result = risk_evaluate()
    rescan_schedule()
    return len(result.raised) + len(result.escalated)


class RiskStepsFailed(Exception):
    """A step of a queued evaluation failed (logged); the task shows as failed and the rescan covers it."""


@task()
def people_evaluate_task(person_ids: list[int]) -> int:
    """The people of one fed batch (`receivers.events_fed`), queued in the batch's transaction: risk factors,
    Was Not Brought follow-ups and the rules, as a practitioner's event gets on commit. Returns how many people."""
    if not people_evaluate(person_ids):
        raise RiskStepsFailed(f"a risk step failed for {len(person_ids)} people")
    return len(person_ids)
