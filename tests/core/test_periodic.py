import datetime

import pytest
from django_tasks_db.models import DBTaskResult

from cylch.audit.tasks import chain_seal_task
from cylch.core.periodic import periodic_schedule, periodic_start_all

pytestmark = pytest.mark.django_db


def test_scheduling_twice_queues_one_run():
    assert periodic_schedule(chain_seal_task, after=datetime.timedelta(minutes=1))
    assert not periodic_schedule(chain_seal_task, after=datetime.timedelta(minutes=1))
    assert DBTaskResult.objects.filter(task_path=chain_seal_task.module_path).count() == 1


def test_starting_all_queues_each_configured_chain_once(settings):
    periodic_start_all()
    periodic_start_all()
    queued = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == [
        "cylch.assurance.tasks.assurance_chase_task",
        "cylch.audit.tasks.chain_seal_task",
        "cylch.concerns.tasks.timescale_sweep_task",
        "cylch.meetings.tasks.overdue_actions_chase_task",
        "cylch.reviews.tasks.action_chase_task",
        "cylch.risk.tasks.rescan_task",
    ]
