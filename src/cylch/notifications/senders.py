"""One sender interface. Email (console or SMTP, through Django's EMAIL_BACKEND) out of the box;
GOV.UK Notify when CYLCH_NOTIFY_API_KEY is set (template IDs per template name in CYLCH_NOTIFY_TEMPLATES,
a JSON object, with one generic template `CYLCH_NOTIFY_DEFAULT_TEMPLATE` taking `subject` and `body`)."""

from __future__ import annotations

import json
import os
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail

NOTIFY_KEY = "CYLCH_NOTIFY_API_KEY"


class Sender(Protocol):
    def send(self, *, to: str, template: str, subject: str, body: str, personalisation: dict[str, Any]) -> str:
        """Send one message; return the provider's reference (or '')."""


class EmailSender:
    def send(self, *, to: str, template: str, subject: str, body: str, personalisation: dict[str, Any]) -> str:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
        return ""


def notify_client_class() -> Any:
    """The GOV.UK Notify client class; ImproperlyConfigured, saying how to fix it, when it is not installed."""
    try:
        from notifications_python_client.notifications import NotificationsAPIClient  # type: ignore[import-not-found]
    except ImportError as error:
        raise ImproperlyConfigured(
            f"{NOTIFY_KEY} is set but the GOV.UK Notify client is not installed: "
            "install Cylch with its `notify` extra (pip install 'cylch[notify]') or unset the key."
        ) from error
    return NotificationsAPIClient


class NotifySender:
    """GOV.UK Notify through `notifications-python-client`, the optional `notify` extra (only where Notify is used)."""

    def __init__(self, api_key: str, templates: dict[str, str], default_template: str) -> None:
        self.client = notify_client_class()(api_key)
        self.templates = templates
        self.default_template = default_template

    def send(self, *, to: str, template: str, subject: str, body: str, personalisation: dict[str, Any]) -> str:
        template_id = self.templates.get(template, self.default_template)
        values = {**{k: str(v) for k, v in personalisation.items()}, "subject": subject, "body": body}
        response = self.client.send_email_notification(
            email_address=to, template_id=template_id, personalisation=values
        )
        return str(response.get("id", ""))


def get_sender() -> Sender:
    api_key = os.environ.get(NOTIFY_KEY, "")
    if api_key:
        templates = json.loads(os.environ.get("CYLCH_NOTIFY_TEMPLATES", "{}"))
        return NotifySender(api_key, templates, os.environ.get("CYLCH_NOTIFY_DEFAULT_TEMPLATE", ""))
    return EmailSender()
