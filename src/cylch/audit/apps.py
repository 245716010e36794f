from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who saw whose record, when and why."""

    name = "cylch.audit"
    verbose_name = _("Audit")
