"""Access requests waiting for the lead agency (the access log itself is under /people/<id>/)."""

from django.urls import path

from cylch.audit import views

app_name = "audit"
urlpatterns = [
    path("access-requests/", views.access_requests, name="access-requests"),
    path("access-requests/<int:pk>/", views.access_request_detail, name="access-request"),
]
