"""Multi-agency meetings and the care and support protection plan: the pages."""

from django.urls import path

from cylch.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("new/", views.convene, name="convene"),
    path("timeliness/", views.timeliness, name="timeliness"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/invitees/", views.invite, name="invite"),
    path("<int:pk>/reports/", views.report, name="report"),
    path("<int:pk>/reports/<int:report_pk>/shared/", views.report_shared, name="report-shared"),
    path("<int:pk>/reports/<int:report_pk>/attachment/", views.report_attachment, name="report-attachment"),
    path("<int:pk>/held/", views.hold, name="hold"),
    path("<int:pk>/decisions/", views.decide, name="decide"),
    path("<int:pk>/assessment/", views.assessment, name="assessment"),
    path("<int:pk>/circulate/", views.circulate, name="circulate"),
    path("<int:pk>/circulated/<slug:kind>/", views.circulated, name="circulated"),
    path("<int:pk>/documents/<slug:document>.<slug:extension>", views.document, name="document"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/versions/", views.plan_version, name="plan-version"),
    path("plans/<int:pk>/actions/", views.plan_action, name="plan-action"),
    path("plans/<int:pk>/plan.<slug:extension>", views.plan_document, name="plan-document"),
    path("actions/<int:pk>/", views.action_update, name="action-update"),
]
