"""Access requests waiting for the lead agency, and information governance's review of access beyond need-to-know
(who has seen a record is under /people/<id>/access-log/)."""

from django.urls import path

from cylch.access import views

app_name = "access"
urlpatterns = [
    path("access-requests/", views.access_requests, name="access-requests"),
    path("access-requests/<int:pk>/", views.access_request_detail, name="access-request"),
    path("access-reviews/", views.access_reviews, name="access-reviews"),
    path("access-reviews/<int:pk>/", views.access_review, name="access-review"),
]
