"""The daily chase of overdue plan actions, on the database task queue (`cylch.core.periodic`).

It re-enqueues itself when it finishes; `overdue_actions_chase` is idempotent, so an extra run sends nothing twice.
Started with the other periodic chains when `cylch.meetings.tasks.chase_schedule` is listed in
`CYLCH_PERIODIC_SCHEDULERS`.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict

from django_tasks import task

from cylch.core.periodic import periodic_schedule
from cylch.meetings.services import overdue_actions_chase

CHASE_INTERVAL = datetime.timedelta(hours=1)


def chase_schedule(*, after: datetime.timedelta = CHASE_INTERVAL) -> bool:
    """Make sure one future chase is queued; False when one already is."""
    return periodic_schedule(overdue_actions_chase_task, after=after)


@task()
def overdue_actions_chase_task() -> dict[str, int]:
    """One chase; the next is scheduled even when this one fails."""
    try:
        result = overdue_actions_chase()
    finally:
        chase_schedule()
    return asdict(result)
