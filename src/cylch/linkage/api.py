"""Linkage for agency systems.

`POST /api/v1/persons/match`: who might this be? Candidates with scores and evidence; no side effects.
`POST /api/v1/source-records`: an agency's record of a person arrives and is linked like a concern's subject.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cylch.access.api import restricted_record_data
from cylch.accounts.api_permissions import SystemAccountOnly, TokenHasScope
from cylch.accounts.authentication import PractitionerTokenAuthentication
from cylch.accounts.permissions import practitioner_of
from cylch.accounts.scopes import PERSONS_MATCH, SOURCE_RECORDS_WRITE
from cylch.accounts.throttles import SourceRecordRateThrottle, TokenRateThrottle
from cylch.linkage.selectors import MatchCandidateView, RestrictedCandidate, person_match
from cylch.linkage.services import LinkOutcome, PersonDetails, SourceRecordReceipt, source_record_receive
from cylch.people.models import Sex
from cylch.people.validators import validate_date_of_birth, validate_nhs_number, validate_postcode


class MatchRequestSerializer(serializers.Serializer[dict[str, Any]]):
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.NOT_KNOWN)
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=16, default="")
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10, default="")
    is_unborn = serializers.BooleanField(required=False, default=False)
    expected_delivery_date = serializers.DateField(required=False, allow_null=True, default=None)


def _candidate_data(view: MatchCandidateView | RestrictedCandidate) -> dict[str, Any]:
    """Score and evidence for a person the caller may open; otherwise exactly what the person API shows."""
    if isinstance(view, RestrictedCandidate):
        return restricted_record_data(view.person, view.contacts)
    candidate = view.candidate
    return {
        "cylch_id": candidate.person.cylch_id,
        "detail_allowed": True,
        "probability": round(candidate.probability, 6),
        "match_weight": candidate.score.match_weight,
        "decision": view.decision,
        "guard": candidate.score.guard or None,
        "person": {
            "given_name": candidate.person.given_name,
            "family_name": candidate.person.family_name,
            "date_of_birth": candidate.person.date_of_birth,
        },
        "evidence": [{"field": e.field, "level": e.level, "weight": e.weight} for e in candidate.score.evidence],
    }


@method_decorator(login_not_required, name="dispatch")
class PersonMatchView(APIView):
    """Token or session authentication (the API's defaults) instead of the sign-in redirect."""

    required_scopes = {"POST": PERSONS_MATCH}

    @extend_schema(
        request=MatchRequestSerializer,
        responses={200: OpenApiTypes.OBJECT},
        summary=(
            "Candidates for a described person (no side effects): scores and per-field evidence where you may"
            " open the record; otherwise only its Cylch ID and whom to contact"
        ),
    )
    def post(self, request: Request) -> Response:
        serializer = MatchRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = practitioner_of(request)
        views = person_match(user=user, details=PersonDetails(**serializer.validated_data), request=request)
        return Response({"candidates": [_candidate_data(v) for v in views]})


class SourceRecordSerializer(serializers.Serializer[dict[str, Any]]):
    """An agency system's record of a person, checked at the boundary: nothing is stored if any field fails."""

    local_id = serializers.CharField(max_length=64)
    given_name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    family_name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    date_of_birth = serializers.DateField(
        required=False, allow_null=True, default=None, validators=[validate_date_of_birth]
    )
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.NOT_KNOWN)
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=16, default="")
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10, default="")
    address = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    identifiers = serializers.DictField(
        child=serializers.CharField(max_length=100), required=False, default=dict, help_text="kind -> value"
    )

    def validate_nhs_number(self, value: str) -> str:
        if value.strip():
            validate_nhs_number(value)
        return value

    def validate_postcode(self, value: str) -> str:
        if value.strip():
            validate_postcode(value)
        return value


class SourceRecordReceiptOut(serializers.Serializer[SourceRecordReceipt]):
    cylch_id = serializers.CharField(source="source_record.person.cylch_id")
    decision = serializers.SerializerMethodField(help_text="linked, review (a person will compare) or new")
    replayed = serializers.SerializerMethodField(help_text="true when this record had been received before")

    def get_decision(self, receipt: SourceRecordReceipt) -> str:
        return RECEIPT_DECISIONS[receipt.outcome]

    def get_replayed(self, receipt: SourceRecordReceipt) -> bool:
        return not receipt.created


RECEIPT_DECISIONS = {LinkOutcome.LINKED: "linked", LinkOutcome.NEEDS_REVIEW: "review", LinkOutcome.NEW_PERSON: "new"}


@method_decorator(login_not_required, name="dispatch")
class SourceRecordReceiveView(APIView):
    """`POST /api/v1/source-records`: an agency system sends its record of a person; Cylch links it.

    Only a system account's token with `source-records:write` may send (no session: a person at a browser is
    not an agency's system), at a limited rate: the answer names the person the record was linked to, which
    would otherwise let anyone test guessed dates of birth against a child they may not see."""

    authentication_classes = [PractitionerTokenAuthentication]
    permission_classes = [IsAuthenticated, TokenHasScope, SystemAccountOnly]
    throttle_classes = [TokenRateThrottle, SourceRecordRateThrottle]
    required_scopes = {"POST": SOURCE_RECORDS_WRITE}

    @extend_schema(
        operation_id="source_record_receive",
        request=SourceRecordSerializer,
        responses={
            201: SourceRecordReceiptOut,
            200: OpenApiResponse(SourceRecordReceiptOut, description="Sent before: nothing changed"),
            400: OpenApiResponse(description="Field-level errors"),
            401: OpenApiResponse(description="No token, or an unknown, expired or revoked one"),
            403: OpenApiResponse(
                description="Not a system account, the token lacks source-records:write, or no agency"
            ),
            429: OpenApiResponse(description="Too many records too fast: see Retry-After"),
        },
        summary="Send your agency's record of a person: its Cylch ID and how it was linked (idempotent on local_id)",
    )
    def post(self, request: Request) -> Response:
        user = practitioner_of(request)
        if user.agency is None:
            return Response({"detail": _("Only an agency's account can send its records.")}, status=403)
        serializer = SourceRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        local_id = data.pop("local_id")
        receipt = source_record_receive(
            agency=user.agency, local_id=local_id, details=PersonDetails(**data), practitioner=user, request=request
        )
        return Response(SourceRecordReceiptOut(receipt).data, status=201 if receipt.created else 200)
