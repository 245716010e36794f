from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Regions, local authorities, agencies, teams and the practitioners who sign in."""

    name = "cylch.accounts"
    verbose_name = _("Agencies and practitioners")

    def ready(self) -> None:
        from cylch.accounts.checks import two_factor_check
        from cylch.accounts.middleware import session_clocks_start

        user_logged_in.connect(session_clocks_start, dispatch_uid="cylch-session-clocks")
        checks.register(two_factor_check, checks.Tags.security, deploy=True)
