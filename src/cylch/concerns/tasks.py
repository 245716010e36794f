"""Background tasks: the periodic timescale sweep, which schedules its own next run.

The sweep re-enqueues itself (cylch.core.periodic); a duplicate run would do nothing twice anyway because the
sweep itself is idempotent. The chain is started by `cylch worker`, after `migrate` and by `cylch sweep`.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict

from django_tasks import task

from cylch.concerns.sweep import timescale_sweep
from cylch.core.periodic import periodic_schedule

SWEEP_INTERVAL = datetime.timedelta(minutes=5)


def sweep_schedule(*, after: datetime.timedelta = SWEEP_INTERVAL) -> bool:
    """Make sure one future sweep is queued; False when one already is."""
    return periodic_schedule(timescale_sweep_task, after=after)


@task()
def timescale_sweep_task() -> dict[str, int]:
    """One sweep; the next is scheduled even when this one fails, so one bad row cannot stop the chasing."""
    try:
        result = timescale_sweep()
    finally:
        sweep_schedule()
    return asdict(result)
