"""The periodic chase of overdue review actions (`cylch.core.periodic`); started by the worker with the others."""

from __future__ import annotations

import datetime
from dataclasses import asdict

from django_tasks import task

from cylch.core.periodic import periodic_schedule
from cylch.reviews.chasing import actions_chase

CHASE_INTERVAL = datetime.timedelta(hours=1)


def action_chase_schedule(*, after: datetime.timedelta = CHASE_INTERVAL) -> bool:
    """Make sure one future chase is queued; False when one already is."""
    return periodic_schedule(action_chase_task, after=after)


@task()
def action_chase_task() -> dict[str, int]:
    """One chase; the next is scheduled even when this one fails."""
    try:
        result = actions_chase()
    finally:
        action_chase_schedule()
    return asdict(result)
