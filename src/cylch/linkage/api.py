"""`POST /api/v1/persons/match`: who might this be? Candidates with scores and evidence; no side effects."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cylch.accounts.models import Practitioner
from cylch.linkage.selectors import person_match
from cylch.linkage.services import PersonDetails
from cylch.people.models import Sex


class MatchRequestSerializer(serializers.Serializer[dict[str, Any]]):
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.NOT_KNOWN)
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=16, default="")
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10, default="")
    is_unborn = serializers.BooleanField(required=False, default=False)
    expected_delivery_date = serializers.DateField(required=False, allow_null=True, default=None)


@method_decorator(login_not_required, name="dispatch")
class PersonMatchView(APIView):
    """Token or session authentication (the API's defaults) instead of the sign-in redirect."""

    @extend_schema(
        request=MatchRequestSerializer,
        responses={200: OpenApiTypes.OBJECT},
        summary="Candidates for a described person, with scores and per-field evidence (no side effects)",
    )
    def post(self, request: Request) -> Response:
        serializer = MatchRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        assert isinstance(user, Practitioner)  # noqa: S101 - IsAuthenticated has run
        views = person_match(user=user, details=PersonDetails(**serializer.validated_data), request=request)
        return Response(
            {
                "candidates": [
                    {
                        "cylch_id": v.candidate.person.cylch_id,
                        "probability": round(v.candidate.probability, 6),
                        "match_weight": v.candidate.score.match_weight,
                        "decision": v.decision,
                        "guard": v.candidate.score.guard or None,
                        "detail_allowed": v.detail_allowed,
                        "person": (
                            {
                                "given_name": v.candidate.person.given_name,
                                "family_name": v.candidate.person.family_name,
                                "date_of_birth": v.candidate.person.date_of_birth,
                            }
                            if v.detail_allowed
                            else None
                        ),
                        "evidence": [
                            {"field": e.field, "level": e.level, "weight": e.weight} for e in v.candidate.score.evidence
                        ],
                    }
                    for v in views
                ]
            }
        )
