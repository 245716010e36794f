"""Queueing a message and sending it: sent once, failures recorded and left for retry."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from cylch.notifications.models import Notification, NotificationStatus
from cylch.notifications.services import MAX_ATTEMPTS, notification_queue, notification_send
from cylch.notifications.tasks import notification_send_task
from tests.factories import NotificationFactory, PractitionerFactory

pytestmark = pytest.mark.django_db


def test_queueing_stores_the_message_and_enqueues_its_sending(queued_tasks):
    note = notification_queue(email="lead@school.example", template="t", subject="Subject", body="Body")
    assert note is not None
    assert Notification.objects.get().status == NotificationStatus.QUEUED
    [task] = queued_tasks
    assert (task.task.func, task.args) == (notification_send_task.func, [note.pk])


def test_queueing_without_an_address_stores_nothing(queued_tasks):
    assert notification_queue(email="", template="t", subject="Subject", body="Body") is None
    assert (Notification.objects.count(), queued_tasks) == (0, [])


def test_queueing_the_same_dedupe_key_twice_stores_and_enqueues_one_message(queued_tasks):
    first = notification_queue(email="a@x.example", template="t", subject="S", body="B", dedupe_key="ack:1")
    second = notification_queue(email="a@x.example", template="t", subject="S", body="B", dedupe_key="ack:1")
    assert (first is not None, second) == (True, None)
    assert (Notification.objects.count(), len(queued_tasks)) == (1, 1)


def test_sending_emails_the_recipient_the_stored_subject_and_body():
    recipient = PractitionerFactory(email="lead@school.example")
    note = NotificationFactory(recipient=recipient, subject="Outcome of your concern 2025-ABCDEFG", body="Done.")
    notification_send(notification_id=note.pk)
    [message] = mail.outbox
    assert (message.to, message.subject, message.body) == (
        ["lead@school.example"],
        "Outcome of your concern 2025-ABCDEFG",
        "Done.",
    )


def test_sending_marks_the_notification_sent_and_records_when():
    note = NotificationFactory()
    before = timezone.now()
    notification_send(notification_id=note.pk)
    note.refresh_from_db()
    assert note.status == NotificationStatus.SENT
    assert note.sent_at is not None
    assert before <= note.sent_at <= timezone.now()
    assert (note.attempts, note.error) == (1, "")


def test_a_sent_notification_is_not_sent_again():
    note = NotificationFactory()
    notification_send(notification_id=note.pk)
    sent_at = Notification.objects.get().sent_at
    notification_send(notification_id=note.pk)
    note.refresh_from_db()
    assert len(mail.outbox) == 1
    assert (note.attempts, note.sent_at) == (1, sent_at)


@pytest.mark.usefixtures("smtp_down")
def test_a_failed_send_is_recorded_and_left_queued_for_retry():
    note = NotificationFactory()
    notification_send(notification_id=note.pk)
    note.refresh_from_db()
    assert (note.status, note.attempts, note.sent_at) == (NotificationStatus.QUEUED, 1, None)
    assert "connection refused" in note.error


@pytest.mark.usefixtures("smtp_down")
def test_a_send_that_keeps_failing_is_marked_failed_at_the_last_attempt():
    note = NotificationFactory(attempts=MAX_ATTEMPTS - 1)
    notification_send(notification_id=note.pk)
    note.refresh_from_db()
    assert (note.status, note.attempts) == (NotificationStatus.FAILED, MAX_ATTEMPTS)


def test_a_retry_that_succeeds_clears_the_error():
    note = NotificationFactory(attempts=1, error="smtp.example: connection refused")
    notification_send(notification_id=note.pk)
    note.refresh_from_db()
    assert (note.status, note.attempts, note.error) == (NotificationStatus.SENT, 2, "")
