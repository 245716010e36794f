from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    """Strategy discussions, conferences and core groups, their clocks, decisions, minutes and the protection plan."""

    name = "cylch.meetings"
    verbose_name = _("Multi-agency meetings")
