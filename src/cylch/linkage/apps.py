from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    """Record linkage: one consistent identifier per person across agencies (Fellegi–Sunter)."""

    name = "cylch.linkage"
    verbose_name = _("Record linkage")
