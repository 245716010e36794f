"""Match review and merge history pages (all need sign-in; see views for the roles)."""

from django.urls import path

from cylch.linkage import views

app_name = "linkage"
urlpatterns = [
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("merges/", views.merges, name="merges"),
    path("merges/<int:pk>/unmerge/", views.unmerge, name="unmerge"),
]
