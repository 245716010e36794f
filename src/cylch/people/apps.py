from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Children and adults, each agency's copy of them, households, relationships and involvements."""

    name = "cylch.people"
    verbose_name = _("People")

    def ready(self) -> None:
        from cylch.people.converters import CylchIdConverter  # imports the app's models: only once apps are ready

        register_converter(CylchIdConverter, "cylch_id")
