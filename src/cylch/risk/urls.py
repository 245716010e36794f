"""Alerts (the owner's work list and each alert) and rules (their history and the try-before-live report)."""

from django.urls import path

from cylch.risk import views

app_name = "risk"
urlpatterns = [
    path("alerts/", views.worklist, name="alerts"),
    path("alerts/<int:pk>/", views.alert, name="alert"),
    path("alerts/<int:pk>/acknowledge/", views.acknowledge, name="alert-acknowledge"),
    path("alerts/<int:pk>/close/", views.close, name="alert-close"),
    path("was-not-brought/<cylch_id:cylch_id>/", views.was_not_brought, name="was-not-brought"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard-csv"),
    path("rules/", views.rules, name="rules"),
    path("rules/<slug:code>/", views.rule, name="rule"),
    path("rules/<slug:code>/trial/", views.trial, name="rule-trial"),
]
