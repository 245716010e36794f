"""The feed endpoints, under /api/v1/ (wired in `cylch.api_urls`)."""

from django.urls import path

from cylch.feeds.api import (
    EventFeedApi,
    HouseholdMembershipFeedApi,
    InvolvementFeedApi,
    RelationshipFeedApi,
    StatusFeedApi,
)

urlpatterns = [
    path("events", EventFeedApi.as_view(), name="api-feed-events"),
    path("involvements", InvolvementFeedApi.as_view(), name="api-feed-involvements"),
    path("household-memberships", HouseholdMembershipFeedApi.as_view(), name="api-feed-household-memberships"),
    path("relationships", RelationshipFeedApi.as_view(), name="api-feed-relationships"),
    path("statuses", StatusFeedApi.as_view(), name="api-feed-statuses"),
]
