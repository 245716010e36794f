"""The nightly rescan on the worker: what the incremental evaluation missed (a receiver that failed, a rule
changed, a pattern that became true only as time passed, such as a child's age) is raised within a day."""

from __future__ import annotations

import datetime

from django_tasks import task

from cylch.core.periodic import periodic_schedule
from cylch.risk.services import risk_evaluate, risk_factors_derive, was_not_brought_follow_ups_raise

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
