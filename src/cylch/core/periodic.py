"""Periodic work on the database task queue, which has no scheduler of its own.

A periodic task re-enqueues itself with `run_after` when it finishes. `periodic_schedule` makes
sure exactly one future run is queued, so the worker's start-up, `migrate` and the task itself
can all call it without ever doubling the chain.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


def periodic_schedule(task: Any, *, after: datetime.timedelta) -> bool:
    """Queue one run of `task` after `after`; False when a run is already waiting."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists():
        return False
    task.using(run_after=timezone.now() + after).enqueue()
    return True


def periodic_start_all() -> None:
    """Start every periodic chain named in settings.CYLCH_PERIODIC_SCHEDULERS (idempotent)."""
    for path in settings.CYLCH_PERIODIC_SCHEDULERS:
        import_string(path)(after=datetime.timedelta(0))
