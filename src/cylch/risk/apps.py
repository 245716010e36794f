from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskConfig(AppConfig):
    """Cumulative risk: rules, their evaluation when an event lands, alerts with an owner and a deadline."""

    name = "cylch.risk"
    verbose_name = _("Cumulative risk")

    def ready(self) -> None:
        from cylch.risk import receivers  # noqa: F401  # connects the incremental evaluation to what lands
