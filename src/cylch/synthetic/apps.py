from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyntheticConfig(AppConfig):
    """The synthetic Welsh region: demo data and the ground truth that linkage is scored against."""

    name = "cylch.synthetic"
    verbose_name = _("Synthetic region")
