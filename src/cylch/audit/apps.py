from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who saw whose record, when and why."""

    name = "cylch.audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from cylch.accounts.signals import api_token_changed
        from cylch.audit.checks import audit_key_check, audit_privileges_check
        from cylch.audit.receivers import api_token_changed_record, sign_in_failed, sign_in_locked_out

        checks.register(audit_key_check, checks.Tags.security, deploy=True)
        checks.register(audit_privileges_check, checks.Tags.database, deploy=True)
        user_login_failed.connect(sign_in_failed, dispatch_uid="cylch-audit-sign-in-failed")
        user_locked_out.connect(sign_in_locked_out, dispatch_uid="cylch-audit-sign-in-locked-out")
        api_token_changed.connect(api_token_changed_record, dispatch_uid="cylch-audit-api-token")
