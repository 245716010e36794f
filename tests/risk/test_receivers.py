"""Rules run when something lands: a practitioner's event as it commits, an agency's fed events on the worker."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from cylch.accounts.models import AgencyKind
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.feeds.services.intake import feed_items_receive
from cylch.risk.models import Alert
from cylch.risk.tasks import people_evaluate_task
from tests.factories import AgencyFactory, ChronologyEventFactory, PersonFactory, SourceRecordFactory


def _missed(number: int, days_ago: int) -> tuple[str, dict[str, object]]:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    return (
        "event",
        {
            "id": f"HB-{number}",
            "person": {"local_id": "H-19"},
            "kind": "was_not_brought",
            "occurred_at": when.isoformat(),
            "summary": "Not brought to the health visitor's review",
        },
    )


@pytest.fixture
def health():
    return AgencyFactory(kind=AgencyKind.HEALTH_VISITING)


@pytest.fixture
def baby(health):
    person = PersonFactory(date_of_birth=timezone.localdate() - datetime.timedelta(days=200))
    SourceRecordFactory(agency=health, local_id="H-19", person=person)
    return person


def _work() -> None:
    """What `cylch worker` does with each ready task (`db_worker`'s own loop closes the test's connection)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    for task in DBTaskResult.objects.ready():
        task.claim(worker.worker_id)
        worker.run_task(task)


def _queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=people_evaluate_task.module_path, status="READY"))


def test_events_fed_in_bulk_queue_their_people_for_the_worker_instead_of_evaluating_as_they_commit(
    health, baby, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        feed_items_receive(agency=health, items=[_missed(1, days_ago=60), _missed(2, days_ago=3)])
    assert not Alert.objects.filter(subjects__person=baby).exists()
    assert [task.args_kwargs["args"] for task in _queued()] == [[[baby.pk]]]


def test_a_fed_events_alert_is_raised_when_the_worker_runs_the_queued_task(health, baby):
    feed_items_receive(agency=health, items=[_missed(1, days_ago=60), _missed(2, days_ago=3)])
    _work()
    assert Alert.objects.filter(subjects__person=baby).exists()
    assert DBTaskResult.objects.get(task_path=people_evaluate_task.module_path).status == "SUCCESSFUL"


@transaction.atomic
def _batch_then_failure(health) -> None:
    feed_items_receive(agency=health, items=[_missed(1, days_ago=60), _missed(2, days_ago=3)])
    raise RuntimeError("the batch fails after its events were written")


def test_a_fed_batch_that_rolls_back_queues_nothing(health, baby):
    with pytest.raises(RuntimeError):
        _batch_then_failure(health)
    assert _queued() == []
    assert not ChronologyEvent.objects.exists()


def test_a_batch_with_no_event_stored_queues_nothing(health, baby):
    feed_items_receive(agency=health, items=[_missed(1, days_ago=60)])
    DBTaskResult.objects.all().delete()
    feed_items_receive(agency=health, items=[_missed(1, days_ago=60)])  # already stored
    assert _queued() == []


def test_a_practitioners_single_event_is_still_evaluated_as_it_commits(
    health, baby, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for days_ago in (60, 3):
            ChronologyEventFactory(
                person=baby,
                agency=health,
                kind=EventKind.WAS_NOT_BROUGHT,
                occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
            )
    assert Alert.objects.filter(subjects__person=baby).exists()
    assert _queued() == []


def test_a_failing_step_marks_the_task_failed_after_the_other_steps_ran(health, baby, monkeypatch):
    feed_items_receive(agency=health, items=[_missed(1, days_ago=60), _missed(2, days_ago=3)])

    def broken(**kwargs):
        raise ValueError("broken")

    monkeypatch.setattr("cylch.risk.services.was_not_brought_follow_ups_raise", broken)
    _work()
    assert DBTaskResult.objects.get(task_path=people_evaluate_task.module_path).status == "FAILED"
    assert Alert.objects.filter(subjects__person=baby).exists()  # risk_evaluate still ran
