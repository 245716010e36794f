"""Queueing and sending notifications. Queue inside the caller's transaction; the worker sends."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cylch.accounts.models import Practitioner
from cylch.notifications.models import Notification, NotificationStatus
from cylch.notifications.senders import get_sender

MAX_ATTEMPTS = 5


@transaction.atomic
def notification_queue(
    *,
    email: str,
    template: str,
    subject: str,
    body: str,
    recipient: Practitioner | None = None,
    personalisation: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Store the message and enqueue its sending in the same transaction. None if there is no address
    or a message with the same `dedupe_key` was already queued."""
    if not email:
        return None
    if dedupe_key is not None and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                email=email,
                template=template,
                subject=subject[:200],
                body=body,
                personalisation=personalisation or {},
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        if dedupe_key is not None:
            return None
        raise
    from cylch.notifications.tasks import notification_send_task

    notification_send_task.enqueue(notification.pk)
    return notification


def notification_send(*, notification_id: int) -> Notification:
    """Send one queued notification (safe to run twice: a sent message is not sent again)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status == NotificationStatus.SENT:
            return notification
        notification.attempts += 1
        try:
            get_sender().send(
                to=notification.email,
                template=notification.template,
                subject=notification.subject,
                body=notification.body,
                personalisation=notification.personalisation,
            )
        except Exception as error:
            notification.error = str(error)[:2000]
            notification.status = (
                NotificationStatus.FAILED if notification.attempts >= MAX_ATTEMPTS else NotificationStatus.QUEUED
            )
            notification.save(update_fields=["error", "status", "attempts"])
            return notification
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.error = ""
        notification.save(update_fields=["status", "sent_at", "error", "attempts"])
        return notification
