"""Notification test doubles: a recording task backend, a broken mail transport and a fake GOV.UK Notify client.

Only the outbound edges are faked; the database is real.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task_backends


class BrokenEmailBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("smtp.example: connection refused")


class FakeNotifyClient:
    """Stands in for `notifications_python_client.notifications.NotificationsAPIClient`."""

    instances: list[FakeNotifyClient] = []

    def __init__(self, api_key: str) -> None:
        self.api_key = api_key
        self.sent: list[dict[str, Any]] = []
        FakeNotifyClient.instances.append(self)

    def send_email_notification(self, **kwargs: Any) -> dict[str, Any]:
        self.sent.append(kwargs)
        return {"id": f"notify-{len(self.sent)}"}


@pytest.fixture(autouse=True)
def outbox(settings):
    """Email goes to `django.core.mail.outbox`, and Notify is off unless a test turns it on."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "cylch@example.invalid"
    return settings


@pytest.fixture(autouse=True)
def _no_notify_key(monkeypatch):
    for name in ("CYLCH_NOTIFY_API_KEY", "CYLCH_NOTIFY_TEMPLATES", "CYLCH_NOTIFY_DEFAULT_TEMPLATE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def queued_tasks(settings):
    """Tasks are recorded, not run: the list of enqueued task results."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    backend = task_backends["default"]
    backend.clear()  # type: ignore[attr-defined]
    return backend.results  # type: ignore[attr-defined]


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "tests.notifications.conftest.BrokenEmailBackend"


@pytest.fixture
def notify(monkeypatch):
    """GOV.UK Notify switched on, with its client replaced by a recording fake."""
    monkeypatch.setenv("CYLCH_NOTIFY_API_KEY", "test-key-0000")
    monkeypatch.setenv("CYLCH_NOTIFY_TEMPLATES", '{"concern_acknowledgement": "tmpl-ack"}')
    monkeypatch.setenv("CYLCH_NOTIFY_DEFAULT_TEMPLATE", "tmpl-generic")
    package = types.ModuleType("notifications_python_client")
    module = types.ModuleType("notifications_python_client.notifications")
    module.NotificationsAPIClient = FakeNotifyClient  # type: ignore[attr-defined]
    package.notifications = module  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "notifications_python_client", package)
    monkeypatch.setitem(sys.modules, "notifications_python_client.notifications", module)
    FakeNotifyClient.instances = []
    return FakeNotifyClient
