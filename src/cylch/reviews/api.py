"""The board's other tools read reviews and action plans: `GET /api/v1/reviews` and
`GET /api/v1/reviews/{code}/actions`, with a token holding `reviews:read`.

The board's officers see every review of their region and every action; an agency sees only the reviews where it
owns a recommendation or an action, and only its own actions; anyone else sees an empty list (or a 404). Reviews
hold no one's name, and the link to a child's record is never sent.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cylch.accounts.permissions import practitioner_of
from cylch.accounts.scopes import REVIEWS_READ
from cylch.core.api_paging import HeaderPagination
from cylch.reviews.models import Action, Review
from cylch.reviews.permissions import can_run_reviews
from cylch.reviews.selectors import review_actions_for, reviews_with_agency_actions, timeliness

PAGE_SIZE = 100


class ReviewOut(serializers.Serializer[Review]):
    code = serializers.CharField()
    title = serializers.CharField()
    review_type = serializers.CharField()
    local_authority = serializers.CharField(source="local_authority.code")
    incident_kind = serializers.CharField()
    incident_date = serializers.DateField()
    age_band = serializers.CharField()
    referral_on = serializers.DateField(allow_null=True)
    completed_on = serializers.DateField(allow_null=True)
    days_late = serializers.IntegerField(help_text="How many days behind its timescales the review is or was")

    def to_representation(self, instance: Review) -> dict[str, Any]:
        times = timeliness(instance)
        return {
            "code": instance.code,
            "title": instance.title,
            "review_type": instance.review_type,
            "local_authority": instance.local_authority.code,
            "incident_kind": instance.incident_kind,
            "incident_date": instance.incident_date.isoformat(),
            "age_band": instance.age_band,
            "referral_on": times.referral_on.isoformat() if times.referral_on else None,
            "completed_on": times.completed_on.isoformat() if times.completed_on else None,
            "days_late": times.days_late,
        }


class ActionOut(serializers.Serializer[Action]):
    id = serializers.IntegerField()
    review = serializers.CharField(source="recommendation.review.code")
    recommendation = serializers.IntegerField(source="recommendation.number")
    recommendation_text = serializers.CharField(source="recommendation.text")
    theme = serializers.CharField(source="recommendation.finding.theme")
    level = serializers.CharField(source="recommendation.level")
    description = serializers.CharField()
    owner_agency = serializers.CharField(source="owner_agency.name")
    owner_name = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()
    evidence_of_completion = serializers.CharField()
    evidence_of_impact = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)


def _page_parameter(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "page",
        int,
        OpenApiParameter.QUERY,
        description=f"Which page ({PAGE_SIZE} {what}). `X-Total-Count` gives how many there are; `Link` the pages.",
    )


@method_decorator(login_not_required, name="dispatch")
class ReviewListApi(APIView):
    required_scopes = {"GET": REVIEWS_READ}

    @extend_schema(
        operation_id="review_list",
        parameters=[_page_parameter("reviews, latest incident first")],
        responses={200: ReviewOut(many=True)},
        summary="Practice reviews: the board's region, or those where your agency owns an action",
    )
    def get(self, request: Request) -> Response:
        reviews = (
            reviews_with_agency_actions(user=practitioner_of(request))
            .select_related("local_authority")
            .prefetch_related("stages")
            .order_by("-incident_date", "code")
        )
        page = Paginator(reviews, PAGE_SIZE).get_page(request.query_params.get("page"))
        rows = [ReviewOut(review).data for review in page.object_list]
        return HeaderPagination(page, request).get_paginated_response(rows)


@method_decorator(login_not_required, name="dispatch")
class ReviewActionsApi(APIView):
    required_scopes = {"GET": REVIEWS_READ}

    @extend_schema(
        operation_id="review_actions",
        parameters=[_page_parameter("actions, soonest due first")],
        responses={
            200: ActionOut(many=True),
            404: OpenApiResponse(description="No such review, or none of its actions is yours to see"),
        },
        summary="A review's action plan: every action for the board, your agency's own for an owning agency",
    )
    def get(self, request: Request, code: str) -> Response:
        user = practitioner_of(request)
        actions = review_actions_for(user=user, code=code).order_by("due_on", "pk")
        known = can_run_reviews(user) and reviews_with_agency_actions(user=user).filter(code=code.upper()).exists()
        if not known and not actions.exists():
            return Response(
                {"detail": _("No review with this code is available to you.")}, status=status.HTTP_404_NOT_FOUND
            )
        page = Paginator(actions, PAGE_SIZE).get_page(request.query_params.get("page"))
        rows = [ActionOut(action).data for action in page.object_list]
        return HeaderPagination(page, request).get_paginated_response(rows)
