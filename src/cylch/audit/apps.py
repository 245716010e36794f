from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who saw whose record, when and why."""

    name = "cylch.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from cylch.audit.checks import audit_key_check, audit_privileges_check

        checks.register(audit_key_check, checks.Tags.security, deploy=True)
        checks.register(audit_privileges_check, checks.Tags.database, deploy=True)
