"""`GET /api/v1/meetings?child={cylch_id}` and `GET /api/v1/plans/{id}` for agency systems.

The same rule as the pages: a caller sees the meetings they may open (as the front door, the chair, the lead
practitioner or an invitee) of a child whose record they may see, and a plan only from within its circle. Every
child named is written to that child's access log.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cylch.accounts.permissions import practitioner_of
from cylch.accounts.scopes import PERSONS_READ
from cylch.core.codes import normalise
from cylch.meetings.models import Meeting, Plan
from cylch.meetings.selectors import ChildMeetings, PlanPage, child_meetings_read, plan_read
from cylch.people.models import Person
from cylch.people.selectors import person_resolve


def _meeting_data(meeting: Meeting, found: ChildMeetings) -> dict[str, Any]:
    def cylch_id(person: Person | None) -> str | None:
        if person is None:
            return None
        return person.cylch_id if found.disclosure.allows(person) else None

    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "held_at": meeting.held_at,
        "held": meeting.held,
        "chair": meeting.chair.get_full_name(),
        "children": [c for c in (cylch_id(child) for child in meeting.children.all()) if c is not None],
        "invitees": [
            {
                "agency": invitee.agency.name,
                "practitioner": invitee.practitioner.get_full_name(),
                "role": invitee.role,
                "attendance": invitee.attendance,
            }
            for invitee in meeting.invitees.all()
        ],
        "family": {
            "family_invited": meeting.family_invited,
            "family_attended": meeting.family_attended,
            "child_invited": meeting.child_invited,
            "child_attended": meeting.child_attended,
            "advocate_invited": meeting.advocate_invited,
            "advocate_attended": meeting.advocate_attended,
        },
        "child_views": meeting.child_views,
        "minutes": meeting.minutes,
        "decisions": [
            {
                "kind": decision.kind,
                "child": cylch_id(decision.person),
                "category": decision.category,
                "rationale": decision.rationale,
                "dissent": decision.dissent,
                "recorded_at": decision.recorded_at,
            }
            for decision in meeting.decisions.all()
        ],
    }


@method_decorator(login_not_required, name="dispatch")
class ChildMeetingsView(APIView):
    required_scopes = {"GET": PERSONS_READ}

    @extend_schema(
        operation_id="meetings_list",
        parameters=[
            OpenApiParameter("child", str, OpenApiParameter.QUERY, required=True, description="The child's Cylch ID.")
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The child's meetings the caller may open"),
            400: OpenApiResponse(description="Field-level errors"),
            404: OpenApiResponse(description="No one has this Cylch ID"),
        },
        summary="A child's strategy discussions, conferences and core groups (every call is audited)",
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("child", "").strip()
        if not raw or len(raw) > 20:
            return Response({"child": [_("Enter the child's Cylch ID.")]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            person = person_resolve(cylch_id=normalise(raw))
        except Person.DoesNotExist:
            raise Http404 from None
        found = child_meetings_read(user=practitioner_of(request), person=person, request=request)
        return Response(
            {
                "child": person.cylch_id,
                "detail_allowed": found.allowed,
                "meetings": [_meeting_data(meeting, found) for meeting in found.meetings],
            }
        )


def _plan_data(page: PlanPage) -> dict[str, Any]:
    plan = page.plan
    current = plan.current
    return {
        "id": plan.pk,
        "child": plan.person.cylch_id,
        "started_on": plan.started_on,
        "ended_on": plan.ended_on,
        "started_by_meeting": plan.started_by_id,
        "lead_practitioner": plan.lead_practitioner.get_full_name() if plan.lead_practitioner else None,
        "version": current.number if current else None,
        "outcomes": current.outcomes if current else "",
        "contingency": current.contingency if current else "",
        "versions": [
            {"number": v.number, "change_note": v.change_note, "agreed_at": v.created_at} for v in page.versions
        ],
        "actions": [
            {
                "id": action.pk,
                "description": action.description,
                "agency": action.owner_agency.name,
                "owner": action.owner.get_full_name(),
                "due_on": action.due_on,
                "status": action.status,
                "overdue": action.status == "open" and action.due_on < timezone.localdate(),
                "evidence": action.evidence,
            }
            for action in page.actions
        ],
    }


@method_decorator(login_not_required, name="dispatch")
class PlanDetailView(APIView):
    required_scopes = {"GET": PERSONS_READ}

    @extend_schema(
        operation_id="plan_detail",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The plan, its versions and its actions"),
            403: OpenApiResponse(description="The caller is not in the plan's circle or may not see the child"),
            404: OpenApiResponse(description="No plan has this number"),
        },
        summary="A child's care and support protection plan (every call is audited)",
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            page = plan_read(user=practitioner_of(request), pk=pk, request=request, page="api-plan")
        except Plan.DoesNotExist:
            raise Http404 from None
        if not page.shown:
            raise PermissionDenied
        return Response(_plan_data(page))
