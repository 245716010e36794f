"""Practice reviews: the pages."""

from django.urls import URLPattern, path  # noqa: F401

app_name = "reviews"
urlpatterns: list[URLPattern] = []
