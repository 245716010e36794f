"""REST endpoints for agency systems: raise a concern, list your own, read one you may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cylch.accounts.permissions import practitioner_of
from cylch.accounts.scopes import CONCERNS_READ, CONCERNS_WRITE
from cylch.concerns.selectors import MINE_PAGE_SIZE, ConcernNotFoundError, concern_get, concern_list_mine
from cylch.concerns.serializers import ConcernDetailOut, ConcernSerializer, ConcernSummaryOut, SubmittedOut
from cylch.concerns.services import IdempotencyConflictError, concern_submit
from cylch.core.api_paging import HeaderPagination

IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100
NOT_AVAILABLE = gettext_lazy("No concern with this reference is available to you.")


@method_decorator(login_not_required, name="dispatch")
class ConcernListCreateApi(APIView):
    required_scopes = {"POST": CONCERNS_WRITE, "GET": CONCERNS_READ}

    @extend_schema(
        operation_id="concern_create",
        request=ConcernSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                description="Retries with the same key return the first submission's reference.",
            )
        ],
        responses={201: SubmittedOut, 200: SubmittedOut, 400: OpenApiResponse(description="Field-level errors")},
    )
    def post(self, request: Request) -> Response:
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if len(key) > MAX_KEY_LENGTH:
            message = _("Use %(limit)s characters or fewer.") % {"limit": MAX_KEY_LENGTH}
            return Response({IDEMPOTENCY_HEADER: [message]}, status=status.HTTP_400_BAD_REQUEST)
        serializer = ConcernSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = concern_submit(
                submitter=practitioner_of(request), data=serializer.to_input(), idempotency_key=key, request=request
            )
        except IdempotencyConflictError:
            return Response(
                {IDEMPOTENCY_HEADER: [_("This key was already used for a different concern.")]},
                status=status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        except DjangoValidationError as error:
            return Response(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}, 400)
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        headers = {"Location": f"/api/v1/concerns/{result.concern.reference}"}
        if not result.created:
            headers["Idempotent-Replayed"] = "true"
        return Response(SubmittedOut(result.concern).data, status=code, headers=headers)

    @extend_schema(
        operation_id="concern_list_mine",
        parameters=[
            OpenApiParameter(
                "page",
                int,
                OpenApiParameter.QUERY,
                description=f"Which page ({MINE_PAGE_SIZE} concerns, newest first). The `X-Total-Count` header "
                "gives how many there are and a `Link` header points to the `first`, `prev`, `next` and `last` pages.",
            )
        ],
        responses={200: ConcernSummaryOut(many=True)},
    )
    def get(self, request: Request) -> Response:
        page = concern_list_mine(
            user=practitioner_of(request), request=request, page_number=request.query_params.get("page")
        )
        rows = [ConcernSummaryOut(concern).data for concern in page.object_list]
        return HeaderPagination(page, request).get_paginated_response(rows)


@method_decorator(login_not_required, name="dispatch")
class ConcernDetailApi(APIView):
    required_scopes = {"GET": CONCERNS_READ}

    @extend_schema(
        operation_id="concern_read",
        responses={200: ConcernDetailOut, 403: OpenApiResponse(description="Not available to you (or no such)")},
    )
    def get(self, request: Request, reference: str) -> Response:
        try:
            concern = concern_get(
                user=practitioner_of(request), reference=reference, page="api-concern", request=request
            )
        except ConcernNotFoundError:
            return Response({"detail": str(NOT_AVAILABLE)}, status=status.HTTP_403_FORBIDDEN)
        return Response(ConcernDetailOut(concern).data)
