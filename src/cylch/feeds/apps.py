from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    """What agencies' systems and practitioners write into a child's record: events, involvements, households,
    relationships and statuses, each idempotent, audited and with its source."""

    name = "cylch.feeds"
    verbose_name = _("Agency feeds")
