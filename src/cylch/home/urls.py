"""The home page."""

from django.urls import path

from cylch.home import views

app_name = "home"
urlpatterns = [
    path("", views.home, name="home"),
]
