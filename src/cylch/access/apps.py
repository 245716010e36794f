from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Need-to-know: who may see whose record and why, access requests and break-glass, and the one
    audited read path through which every person shown to anyone is written to their access log."""

    name = "cylch.access"
    verbose_name = _("Access")
