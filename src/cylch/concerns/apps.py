from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

from cylch.concerns.converters import ReferenceConverter


class ConcernsConfig(AppConfig):
    """The front door: concerns raised by any agency, triage, threshold decisions, feedback and challenge."""

    name = "cylch.concerns"
    verbose_name = _("Concerns")

    def ready(self) -> None:
        register_converter(ReferenceConverter, "reference")
