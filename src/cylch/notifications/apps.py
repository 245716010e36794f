from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """One sender interface for email and GOV.UK Notify, sent from background tasks."""

    name = "cylch.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from django.core import checks

        from cylch.notifications.checks import notify_client_installed

        checks.register(notify_client_installed)
