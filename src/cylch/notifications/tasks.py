"""Background tasks run by `cylch worker`."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from cylch.notifications.models import NotificationStatus
from cylch.notifications.services import notification_send

RETRY_DELAY = datetime.timedelta(minutes=2)


@task()
def notification_send_task(notification_id: int) -> str:
    """Send one notification; a failure that may pass is retried later, with a growing delay."""
    notification = notification_send(notification_id=notification_id)
    if notification.status == NotificationStatus.QUEUED:
        notification_send_task.using(run_after=timezone.now() + RETRY_DELAY * notification.attempts).enqueue(
            notification_id
        )
    return str(notification.status)
