"""The periodic chase of late assurance returns and overdue improvement actions (`cylch.core.periodic`); started by
the worker with the others when `cylch.assurance.tasks.chase_schedule` is in `CYLCH_PERIODIC_SCHEDULERS`."""

from __future__ import annotations

import datetime
from dataclasses import asdict

from django_tasks import task

from cylch.assurance.chasing import assurance_chase
from cylch.core.periodic import periodic_schedule

SWEEP_INTERVAL = datetime.timedelta(hours=1)


def chase_schedule(*, after: datetime.timedelta = SWEEP_INTERVAL) -> bool:
    """Make sure one future sweep is queued; False when one already is."""
    return periodic_schedule(assurance_chase_task, after=after)


@task()
def assurance_chase_task() -> dict[str, int]:
    """One sweep; the next is scheduled even when this one fails."""
    try:
        result = assurance_chase()
    finally:
        chase_schedule()
    return asdict(result)
