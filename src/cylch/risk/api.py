"""FHIR endpoints for health systems.

`POST /api/v1/fhir/Appointment`: a Was Not Brought (an Appointment with status noshow), or a batch or collection
Bundle of them, from an agency's system account; `GET /api/v1/fhir/Flag?patient=<system>|<NHS number>`: the
child's active safeguarding flags, in the manner of NHS England's CP-IS. Both speak application/fhir+json (and
plain JSON); a fault in what was sent answers an OperationOutcome naming the element.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cylch.accounts.api_permissions import SystemAccountOnly, TokenHasScope
from cylch.accounts.authentication import PractitionerTokenAuthentication
from cylch.accounts.permissions import practitioner_of
from cylch.accounts.scopes import APPOINTMENTS_WRITE, FLAGS_READ
from cylch.core.parsers import BoundedJSONParser
from cylch.risk.fhir import Invalid, appointments_parse, flag_searchset, operation_outcome, patient_search
from cylch.risk.selectors import flags_for_nhs_number
from cylch.risk.services import AppointmentReceipt, appointments_receive

FHIR_JSON = "application/fhir+json"


class FhirJSONParser(BoundedJSONParser):
    media_type = FHIR_JSON


class FhirJSONRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "fhir"


class AppointmentSystemAccountOnly(SystemAccountOnly):
    message = gettext_lazy("Only an agency's system account can send appointments.")


def _invalid(error: Invalid) -> Response:
    return Response(operation_outcome(error), status=error.status, content_type=FHIR_JSON)


def _entry(receipt: AppointmentReceipt) -> dict[str, Any]:
    return {
        "response": {
            "status": "201 Created" if receipt.created else "200 OK",
            "location": f"Appointment/{receipt.event.pk}",
        }
    }


class FhirView(APIView):
    parser_classes = [FhirJSONParser, BoundedJSONParser]
    renderer_classes = [FhirJSONRenderer, JSONRenderer]


@method_decorator(login_not_required, name="dispatch")
class AppointmentReceiveView(FhirView):
    """Only a system account's token with `appointments:write`: each appointment links a child by NHS number."""

    authentication_classes = [PractitionerTokenAuthentication]
    permission_classes = [IsAuthenticated, TokenHasScope, AppointmentSystemAccountOnly]
    required_scopes = {"POST": APPOINTMENTS_WRITE}

    @extend_schema(
        operation_id="fhir_appointment_receive",
        request={FHIR_JSON: OpenApiTypes.OBJECT, "application/json": OpenApiTypes.OBJECT},
        responses={
            201: OpenApiResponse(OpenApiTypes.OBJECT, description="The Appointment, recorded as a Was Not Brought"),
            200: OpenApiResponse(
                OpenApiTypes.OBJECT, description="Sent before (nothing changed), or a Bundle: a batch-response Bundle"
            ),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="An OperationOutcome naming the element at fault"),
            403: OpenApiResponse(description="Not a system account, the token lacks appointments:write, or no agency"),
            422: OpenApiResponse(OpenApiTypes.OBJECT, description="An OperationOutcome: not a no-show, or not yet due"),
        },
        summary="Send a Was Not Brought: a FHIR R4 Appointment with status noshow, or a batch or collection Bundle",
    )
    def post(self, request: Request) -> Response:
        user = practitioner_of(request)
        if user.agency is None:
            return _invalid(
                Invalid(
                    "Appointment", _("Only an agency's account can send appointments."), status=403, code="forbidden"
                )
            )
        try:
            no_shows, bundled = appointments_parse(request.data)
        except Invalid as error:
            return _invalid(error)
        receipts = appointments_receive(agency=user.agency, no_shows=no_shows, user=user, request=request)
        if bundled:
            body = {"resourceType": "Bundle", "type": "batch-response", "entry": [_entry(r) for r in receipts]}
            return Response(body, status=200, content_type=FHIR_JSON)
        [receipt] = receipts
        return Response(
            receipt.no_show.resource,
            status=201 if receipt.created else 200,
            content_type=FHIR_JSON,
            headers={"Location": f"Appointment/{receipt.event.pk}"},
        )


@method_decorator(login_not_required, name="dispatch")
class FlagSearchView(FhirView):
    """Any practitioner or system with `flags:read`: a flag says that a child is on the register or looked after,
    or has an open alert, and whom to call; everyone with a role may know that much (see DOMAIN: CP-IS)."""

    required_scopes = {"GET": FLAGS_READ}

    @extend_schema(
        operation_id="fhir_flag_search",
        parameters=[
            OpenApiParameter(
                "patient",
                OpenApiTypes.STR,
                required=True,
                description="https://fhir.nhs.uk/Id/nhs-number|NNNNNNNNNN",
            )
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="A searchset Bundle of the child's active flags"),
            400: OpenApiResponse(
                OpenApiTypes.OBJECT, description="An OperationOutcome: the patient parameter is wrong"
            ),
        },
        summary="A child's active safeguarding flags by NHS number (register with category, looked after, open alert)",
    )
    def get(self, request: Request) -> Response:
        try:
            nhs_number = patient_search(request.query_params.get("patient"))
        except Invalid as error:
            return _invalid(error)
        flags = flags_for_nhs_number(user=practitioner_of(request), nhs_number=nhs_number, request=request)
        return Response(flag_searchset(flags, nhs_number), content_type=FHIR_JSON)
