"""The 12Cs: cycles, each C's assessment, agencies' contributions and returns, actions, charts and exports."""

from django.urls import URLPattern, URLResolver

app_name = "assurance"
urlpatterns: list[URLPattern | URLResolver] = []
