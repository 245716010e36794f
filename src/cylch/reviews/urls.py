"""Practice reviews: the register, each review, the figures across reviews, the library and the action plans.

Fixed paths come before `<slug:code>/` so that a review code never hides them."""

from django.urls import path

from cylch.reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.review_new, name="review-new"),
    path("timeliness/", views.timeliness_chart, name="timeliness"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("library/", views.library, name="library"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("actions/", views.actions, name="actions"),
    path("actions/<int:pk>/", views.action, name="action"),
    path("actions/<int:pk>/sign-off/", views.action_sign_off_view, name="action-sign-off"),
    path("<slug:code>/", views.review, name="review"),
    path("<slug:code>/edit/", views.review_edit, name="review-edit"),
    path("<slug:code>/stages/", views.review_stages, name="review-stages"),
    path("<slug:code>/findings/new/", views.finding_new, name="finding-new"),
    path("<slug:code>/recommendations/new/", views.recommendation_new, name="recommendation-new"),
    path("<slug:code>/recommendations/<int:number>/actions/new/", views.action_new, name="action-new"),
    path("<slug:code>/documents/new/", views.document_new, name="document-new"),
    path("<slug:code>/report-template.docx", views.report_template_docx_download, name="report-template-docx"),
    path("<slug:code>/report-template.pdf", views.report_template_pdf_download, name="report-template-pdf"),
]
