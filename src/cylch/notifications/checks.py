"""Every management command, the web server and the worker refuse to start when Notify is switched on but its
client is missing, instead of failing each message later."""

from __future__ import annotations

import os
from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from cylch.notifications.senders import NOTIFY_KEY, notify_client_class


def notify_client_installed(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not os.environ.get(NOTIFY_KEY):
        return []
    try:
        notify_client_class()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="cylch_notifications.E001")]
    return []
