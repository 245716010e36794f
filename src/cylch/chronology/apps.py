from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChronologyConfig(AppConfig):
    """The single spine of dated events that every agency and every module writes into."""

    name = "cylch.chronology"
    verbose_name = _("Chronology")
