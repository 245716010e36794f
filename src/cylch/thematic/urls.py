"""Thematic analysis: the analysis and its downloads, the coded reviews, coding one, importing a spreadsheet."""

from django.urls import path

from cylch.thematic import views

app_name = "thematic"
urlpatterns = [
    path("", views.analysis, name="analysis"),
    path("downloads/<str:name>", views.download, name="download"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<slug:review_id>/", views.review, name="review"),
    path("new/", views.review_new, name="review-new"),
    path("import/", views.import_reviews, name="import"),
]
