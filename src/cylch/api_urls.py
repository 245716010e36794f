"""REST API for agency systems, versioned under /api/v1/. Each capability adds its routes here."""

urlpatterns: list[object] = []

# The front door's endpoints: POST/GET /api/v1/concerns, GET /api/v1/concerns/{reference}
from cylch.concerns.api_urls import urlpatterns as concern_api_patterns  # noqa: E402

urlpatterns += concern_api_patterns

# Persons and linkage: GET /api/v1/persons/{cylch_id}, POST /api/v1/persons/match, POST /api/v1/source-records
from django.urls import path  # noqa: E402

from cylch.linkage.api import PersonMatchView, SourceRecordReceiveView  # noqa: E402
from cylch.records.api import PersonDetailView  # noqa: E402

urlpatterns += [
    path("persons/match", PersonMatchView.as_view(), name="api-person-match"),
    path("persons/<cylch_id:cylch_id>", PersonDetailView.as_view(), name="api-person-detail"),
    path("source-records", SourceRecordReceiveView.as_view(), name="api-source-record-receive"),
]

# Agency feeds (issue #14): POST /api/v1/events, involvements, household-memberships, relationships, statuses
from cylch.feeds.api_urls import urlpatterns as feed_api_patterns  # noqa: E402

urlpatterns += feed_api_patterns

# FHIR for health systems (issue #15): POST /api/v1/fhir/Appointment (Was Not Brought), GET /api/v1/fhir/Flag
from cylch.risk.api import AppointmentReceiveView, FlagSearchView  # noqa: E402

urlpatterns += [
    path("fhir/Appointment", AppointmentReceiveView.as_view(), name="api-fhir-appointment"),
    path("fhir/Flag", FlagSearchView.as_view(), name="api-fhir-flag"),
]

# Practice reviews (issue #17): GET /api/v1/reviews, GET /api/v1/reviews/{code}/actions
from cylch.reviews.api import ReviewActionsApi, ReviewListApi  # noqa: E402

urlpatterns += [
    path("reviews", ReviewListApi.as_view(), name="api-reviews"),
    path("reviews/<slug:code>/actions", ReviewActionsApi.as_view(), name="api-review-actions"),
]

# Multi-agency meetings (issue #16): GET /api/v1/meetings?child={cylch_id}, GET /api/v1/plans/{id}
from cylch.meetings.api import ChildMeetingsView, PlanDetailView  # noqa: E402

urlpatterns += [
    path("meetings", ChildMeetingsView.as_view(), name="api-meetings"),
    path("plans/<int:pk>", PlanDetailView.as_view(), name="api-plan"),
]
