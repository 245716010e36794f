"""The background task: sends once, and re-enqueues a failed send with a growing delay until it gives up."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from cylch.notifications.models import NotificationStatus
from cylch.notifications.services import MAX_ATTEMPTS
from cylch.notifications.tasks import RETRY_DELAY, notification_send_task
from tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_the_task_sends_the_notification_and_enqueues_nothing_more(queued_tasks):
    note = NotificationFactory()
    assert notification_send_task.call(note.pk) == NotificationStatus.SENT
    assert (len(mail.outbox), queued_tasks) == (1, [])


def test_running_the_task_twice_sends_once(queued_tasks):
    note = NotificationFactory()
    notification_send_task.call(note.pk)
    assert notification_send_task.call(note.pk) == NotificationStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("smtp_down")
def test_a_failed_send_is_enqueued_again_with_a_delay_growing_with_attempts(queued_tasks):
    note = NotificationFactory(attempts=2)
    before = timezone.now()
    assert notification_send_task.call(note.pk) == NotificationStatus.QUEUED
    [retry] = queued_tasks
    assert retry.args == [note.pk]
    assert retry.task.run_after is not None
    assert before + RETRY_DELAY * 3 <= retry.task.run_after <= timezone.now() + RETRY_DELAY * 3


@pytest.mark.usefixtures("smtp_down")
def test_a_send_that_has_failed_for_good_is_not_enqueued_again(queued_tasks):
    note = NotificationFactory(attempts=MAX_ATTEMPTS - 1)
    assert notification_send_task.call(note.pk) == NotificationStatus.FAILED
    assert queued_tasks == []
