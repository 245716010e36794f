"""Sealing the audit log in the background: whatever the post-commit seals left behind, then the anchor."""

from __future__ import annotations

import datetime

from django_tasks import task

from cylch.audit.chain import chain_anchor, chain_seal
from cylch.core.periodic import periodic_schedule

SEAL_INTERVAL = datetime.timedelta(minutes=1)


def chain_seal_schedule(*, after: datetime.timedelta = SEAL_INTERVAL) -> bool:
    return periodic_schedule(chain_seal_task, after=after)


@task()
def chain_seal_task() -> int:
    sealed = chain_seal()
    chain_anchor()
    chain_seal_schedule()
    return sealed
