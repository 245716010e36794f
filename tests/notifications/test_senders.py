"""Which sender is used, from settings: Django's email backend by default, GOV.UK Notify when a key is set
(and a clear refusal to start when the key is set but the Notify client is not installed)."""

from __future__ import annotations

import sys

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from cylch.notifications.checks import notify_client_installed
from cylch.notifications.models import NotificationStatus
from cylch.notifications.senders import EmailSender, NotifySender, get_sender
from cylch.notifications.services import notification_send
from tests.factories import NotificationFactory

MESSAGE = {
    "to": "lead@school.example",
    "template": "concern_acknowledgement",
    "subject": "Concern received: reference 2025-ABCDEFG",
    "body": "The front door has received your concern.",
    "personalisation": {"reference": "2025-ABCDEFG"},
}


def test_without_a_notify_key_the_sender_is_email():
    assert isinstance(get_sender(), EmailSender)


def test_email_goes_through_djangos_email_backend_from_the_service_address():
    get_sender().send(**MESSAGE)
    [message] = mail.outbox
    assert (message.to, message.from_email) == (["lead@school.example"], "cylch@example.invalid")
    assert (message.subject, message.body) == (MESSAGE["subject"], MESSAGE["body"])


def test_with_a_notify_key_the_sender_is_govuk_notify(notify):
    sender = get_sender()
    assert isinstance(sender, NotifySender)
    assert [client.api_key for client in notify.instances] == ["test-key-0000"]


def test_notify_is_sent_the_mapped_template_with_subject_and_body_as_personalisation(notify):
    reference = get_sender().send(**MESSAGE)
    [client] = notify.instances
    assert client.sent == [
        {
            "email_address": "lead@school.example",
            "template_id": "tmpl-ack",
            "personalisation": {"reference": "2025-ABCDEFG", "subject": MESSAGE["subject"], "body": MESSAGE["body"]},
        }
    ]
    assert reference == "notify-1"


def test_notify_uses_the_generic_template_for_a_message_without_its_own(notify):
    get_sender().send(**{**MESSAGE, "template": "challenge_raised"})
    assert notify.instances[0].sent[0]["template_id"] == "tmpl-generic"


def test_with_notify_on_no_email_is_sent(notify):
    get_sender().send(**MESSAGE)
    assert mail.outbox == []


@pytest.fixture
def notify_client_missing(monkeypatch):
    """A Notify key is set, but `notifications-python-client` (the `notify` extra) is not installed."""
    monkeypatch.setenv("CYLCH_NOTIFY_API_KEY", "test-key-0000")
    monkeypatch.setitem(sys.modules, "notifications_python_client", None)
    monkeypatch.setitem(sys.modules, "notifications_python_client.notifications", None)


@pytest.mark.usefixtures("notify_client_missing")
def test_a_notify_key_without_the_client_fails_at_once_saying_how_to_fix_it():
    with pytest.raises(ImproperlyConfigured, match=r"cylch\[notify\]"):
        get_sender()


@pytest.mark.usefixtures("notify_client_missing")
def test_a_notify_key_without_the_client_stops_the_service_starting():
    [error] = notify_client_installed()
    assert error.id == "cylch_notifications.E001"


@pytest.mark.usefixtures("notify_client_missing")
@pytest.mark.django_db
def test_a_notify_key_without_the_client_does_not_use_up_a_messages_attempts():
    note = NotificationFactory()
    with pytest.raises(ImproperlyConfigured):
        notification_send(notification_id=note.pk)
    note.refresh_from_db()
    assert (note.status, note.attempts) == (NotificationStatus.QUEUED, 0)


def test_without_a_notify_key_the_check_passes():
    assert notify_client_installed() == []
