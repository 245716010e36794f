from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """Reading people's records: search, caseloads, the single view, the whole-family view, chronology
    exports and subject access, each through the audited read path of `cylch.access`."""

    name = "cylch.records"
    verbose_name = _("Records")
