from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConcernsConfig(AppConfig):
    """The front door: concerns raised by any agency, triage, threshold decisions, feedback and challenge."""

    name = "cylch.concerns"
    verbose_name = _("Concerns")
