"""`GET /api/v1/persons/{cylch_id}`: a person's record for agency systems, under the same need-to-know rule.

The chronology comes a page at a time (`?chronology_page=N`, newest first), as on the person's page: a child
known to many agencies for years has thousands of events."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cylch.access.api import restricted_record_data
from cylch.accounts.permissions import practitioner_of
from cylch.accounts.scopes import PERSONS_READ
from cylch.chronology.models import ChronologyEvent
from cylch.core.api_paging import HeaderPagination
from cylch.core.codes import normalise
from cylch.people.models import Person
from cylch.records.selectors.person import PersonRecord, person_record

CHRONOLOGY_PAGE_PARAMETER = "chronology_page"
CHRONOLOGY_API_PAGE_SIZE = 100


def _chronology_page(record: PersonRecord, page_number: int) -> Page[ChronologyEvent]:
    """One page of the chronology; a page past the end is empty, not an error."""
    paginator = Paginator(record.chronology, CHRONOLOGY_API_PAGE_SIZE, allow_empty_first_page=True)
    if record.chronology_count is not None:
        paginator.count = record.chronology_count
    in_range = page_number <= paginator.num_pages
    return Page(list(paginator.page(page_number).object_list) if in_range else [], page_number, paginator)


def _chronology_data(page: Page[ChronologyEvent], request: Request | None) -> dict[str, Any]:
    """The events, and the older in-body form of the paging (kept for existing clients; the headers that
    `HeaderPagination` adds are the API's one convention)."""
    paginator = page.paginator
    following = None
    if page.number < paginator.num_pages and request is not None:
        query = request.query_params.copy()
        query[CHRONOLOGY_PAGE_PARAMETER] = str(page.number + 1)
        following = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {
        "chronology": [
            {
                "occurred_at": e.occurred_at,
                "agency": e.agency.name,
                "kind": e.kind,
                "summary": e.summary,
                "child_words": e.child_words,
            }
            for e in page.object_list
        ],
        "chronology_page": {
            "number": page.number,
            "size": CHRONOLOGY_API_PAGE_SIZE,
            "pages": paginator.num_pages,
            "events": paginator.count,
            "next": following,
        },
    }


def person_record_data(
    record: PersonRecord, *, chronology_page: Page[ChronologyEvent] | None = None, request: Request | None = None
) -> dict[str, Any]:
    """The record as JSON: identity and contacts always; detail only when allowed."""
    person = record.person
    data = restricted_record_data(person, record.contacts)
    if not record.detail_allowed:
        return data
    data["detail_allowed"] = True
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
    data |= _chronology_data(_chronology_page(record, 1) if chronology_page is None else chronology_page, request)
    return data


def _page_number(request: Request) -> int | None:
    """`?chronology_page=`: a whole number from 1; None if it is anything else."""
    value = request.query_params.get(CHRONOLOGY_PAGE_PARAMETER, "1").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 6 or int(value) < 1:
        return None
    return int(value)


@method_decorator(login_not_required, name="dispatch")
class PersonDetailView(APIView):
    required_scopes = {"GET": PERSONS_READ}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                CHRONOLOGY_PAGE_PARAMETER,
                int,
                OpenApiParameter.QUERY,
                description=f"Which page of the chronology ({CHRONOLOGY_API_PAGE_SIZE} events, newest first). "
                "With detail, the `X-Total-Count` header gives how many events there are and a `Link` header "
                "points to the `first`, `prev`, `next` and `last` pages (the `chronology_page` object in the body "
                "says the same, for clients written before the headers).",
            )
        ],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiResponse(description="Field-level errors")},
        summary="A person's record: contacts always, detail only with need-to-know (every call is audited)",
    )
    def get(self, request: Request, cylch_id: str) -> Response:
        user = practitioner_of(request)
        page_number = _page_number(request)
        if page_number is None:
            message = _("Enter a whole number from 1.")
            return Response({CHRONOLOGY_PAGE_PARAMETER: [message]}, status=status.HTTP_400_BAD_REQUEST)
        try:
            record = person_record(user=user, cylch_id=normalise(cylch_id), page="api-person-detail", request=request)
        except Person.DoesNotExist:
            raise Http404 from None
        if not record.detail_allowed:
            return Response(person_record_data(record))
        page = _chronology_page(record, page_number)
        data = person_record_data(record, chronology_page=page, request=request)
        return HeaderPagination(page, request, page_query_param=CHRONOLOGY_PAGE_PARAMETER).get_paginated_response(data)
