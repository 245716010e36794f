from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssuranceConfig(AppConfig):
    """The 12Cs self-assessment: cycles, agencies' contributions and assurance returns, moderation and sign-off."""

    name = "cylch.assurance"
    verbose_name = _("Partnership assurance (12Cs)")
