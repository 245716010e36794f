from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThematicConfig(AppConfig):
    """Thematic analysis across practice reviews: the coding frame, CSV import, statistics and the board's report."""

    name = "cylch.thematic"
    verbose_name = _("Thematic analysis")
