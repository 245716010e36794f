from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared building blocks: layout, reference codes, request plumbing."""

    name = "cylch.core"
    verbose_name = _("Core")
