"""`GET /api/v1/persons/{cylch_id}`: a person's record for agency systems, under the same need-to-know rule."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.utils.decorators import method_decorator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cylch.accounts.models import Practitioner
from cylch.core.codes import normalise
from cylch.people.models import Person
from cylch.people.selectors import PersonRecord, person_record


def _contacts(record: PersonRecord) -> list[dict[str, Any]]:
    return [
        {
            "agency": c.agency.name,
            "role": c.role,
            "phone": c.agency.phone,
            "email": c.agency.email,
            "practitioner": c.practitioner.get_full_name() if c.practitioner else None,
        }
        for c in record.contacts
    ]


def person_record_data(record: PersonRecord) -> dict[str, Any]:
    """The record as JSON: identity and contacts always; detail only when allowed."""
    person = record.person
    data: dict[str, Any] = {
        "cylch_id": person.cylch_id,
        "detail_allowed": record.detail_allowed,
        "other_agencies_hold_information": bool(record.contacts),
        "contacts": _contacts(record),
    }
    if not record.detail_allowed:
        return data
    data["person"] = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth,
        "is_unborn": person.is_unborn,
        "expected_delivery_date": person.expected_delivery_date,
        "sex": person.sex,
        "nhs_number": person.nhs_number,
        "other_names": [
            {"kind": n.kind, "given_name": n.given_name, "family_name": n.family_name} for n in record.other_names
        ],
    }
    data["statuses"] = [
        {"kind": s.kind, "category": s.category, "start_date": s.start_date, "end_date": s.end_date}
        for s in record.statuses
    ]
    data["households"] = [
        {
            "address": str(m.household),
            "postcode": m.household.postcode,
            "start_date": m.start_date,
            "end_date": m.end_date,
            "current": m in record.current_memberships,
        }
        for m in [*record.current_memberships, *record.previous_memberships]
    ]
    data["chronology"] = [
        {
            "occurred_at": e.occurred_at,
            "agency": e.agency.name,
            "kind": e.kind,
            "summary": e.summary,
            "child_words": e.child_words,
        }
        for e in record.chronology
    ]
    return data


@method_decorator(login_not_required, name="dispatch")
class PersonDetailView(APIView):
    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="A person's record: contacts always, detail only with need-to-know (every call is audited)",
    )
    def get(self, request: Request, cylch_id: str) -> Response:
        user = request.user
        assert isinstance(user, Practitioner)  # noqa: S101 - IsAuthenticated has run
        try:
            record = person_record(user=user, cylch_id=normalise(cylch_id), page="api-person-detail", request=request)
        except Person.DoesNotExist:
            raise Http404 from None
        return Response(person_record_data(record))
