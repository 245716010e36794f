from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared building blocks: layout, reference codes, request plumbing."""

    name = "cylch.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core import checks

        from cylch.core.checks import secret_key_check

        checks.register(secret_key_check, checks.Tags.security, deploy=True)
