from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Regions, local authorities, agencies, teams and the practitioners who sign in."""

    name = "cylch.accounts"
    verbose_name = _("Agencies and practitioners")
