"""Queueing and sending notifications. Queue inside the caller's transaction; the worker sends.

A message is worded when it is queued, in the recipient's preferred language (`Practitioner.language`), or,
when they have none, in the language active then. Callers pass gettext_lazy texts, with `lazy_message` to fill
in values, so the wording happens here under that language rather than in the caller's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy

from cylch.accounts.models import Practitioner
from cylch.notifications.models import Notification, NotificationStatus
from cylch.notifications.senders import get_sender

MAX_ATTEMPTS = 5


def _fill(template: str | Promise, values: Mapping[str, Any]) -> str:
    return str(template) % values


_lazy_fill = lazy(_fill, str)


def lazy_message(template: str | Promise, **values: Any) -> str | Promise:
    """`template % values`, worded only when read: in `notification_queue`, in the recipient's language.
    Values may themselves be lazy (a choice label), and are then worded in that language too."""
    return _lazy_fill(template, values)


def recipient_language(recipient: Practitioner | None) -> str:
    """The language to write to `recipient` in: their preference, else the language active now."""
    if recipient is not None and recipient.language:
        return recipient.language
    return translation.get_language() or settings.LANGUAGE_CODE


@transaction.atomic(savepoint=False)  # part of the caller's transaction: no savepoint of its own to pay for
def notification_queue(
    *,
    email: str,
    template: str,
    subject: str | Promise,
    body: str | Promise,
    recipient: Practitioner | None = None,
    personalisation: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Store the message, worded in the recipient's language, and enqueue its sending in the same transaction.
    None if there is no address or a message with the same `dedupe_key` was already queued."""
    if not email:
        return None
    with translation.override(recipient_language(recipient)):
        subject_text = str(subject)
        body_text = str(body)
        values = {k: str(v) if isinstance(v, Promise) else v for k, v in (personalisation or {}).items()}
    # No lookup first: nearly every key is new, and the unique index turns a repeat away.
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                email=email,
                template=template,
                subject=subject_text[:200],
                body=body_text,
                personalisation=values,
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
    sender = get_sender()  # a misconfigured sender is raised, not recorded as a failed attempt of each message
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        if notification.status == NotificationStatus.SENT:
            return notification
        notification.attempts += 1
        try:
            sender.send(
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
