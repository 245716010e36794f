from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    """Destroying records when their retention period ends, with the destruction on the audit chain."""

    name = "cylch.retention"
    verbose_name = _("Retention")
