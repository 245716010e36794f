from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The home page each role lands on and the service navigation: the top of the layers, so it may
    draw on every capability below it."""

    name = "cylch.home"
    verbose_name = _("Home")
