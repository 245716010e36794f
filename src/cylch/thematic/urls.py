"""Thematic analysis: the pages."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "thematic"
urlpatterns: list[URLPattern] = []
