"""Front-door web routes (all need sign-in)."""

from django.urls import path

from cylch.concerns import views

app_name = "concerns"
urlpatterns = [
    path("concerns/new/", views.start, name="start"),
    path("concerns/draft/<uuid:token>/<slug:slug>/", views.step, name="step"),
    path("concerns/draft/<uuid:token>/<str:group>/<int:index>/", views.person, name="person"),
    path("concerns/mine/", views.mine, name="mine"),
    path("concerns/submitted/<reference:reference>/", views.submitted, name="submitted"),
    path("concerns/<reference:reference>/", views.detail, name="detail"),
    path("information-requests/", views.information_requests, name="information-requests"),
    path("information-requests/<int:pk>/", views.information_request, name="information-request"),
    path("front-door/", views.queue, name="queue"),
    path("front-door/metrics/", views.metrics, name="metrics"),
]
