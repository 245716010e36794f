from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Children and adults, each agency's copy of them, households, relationships and involvements."""

    name = "cylch.people"
    verbose_name = _("People")
