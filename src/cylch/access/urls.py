"""Access requests waiting for the lead agency (who has seen a record is under /people/<id>/access-log/)."""

from django.urls import path

from cylch.access import views

app_name = "access"
urlpatterns = [
    path("access-requests/", views.access_requests, name="access-requests"),
    path("access-requests/<int:pk>/", views.access_request_detail, name="access-request"),
]
