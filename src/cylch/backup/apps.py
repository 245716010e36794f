from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Backups and restores of the database together with the audit anchors that prove its log."""

    name = "cylch.backup"
    verbose_name = _("Backups")
