"""The children a practitioner's agency works with: the caseload on the home page."""

from __future__ import annotations

from django.core.paginator import Page
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from cylch.access.reads import disclose
from cylch.access.rule import active_involvements, people_with_detail_access
from cylch.accounts.models import Practitioner
from cylch.core.paging import page_read
from cylch.people.models import Person

ALLOCATED_REASON = "allocated to me"
CASELOAD_PAGE_SIZE = 100


def caseload(
    *, user: Practitioner, request: HttpRequest | None = None, page_number: str | int | None = 1
) -> Page[Person]:
    """The people the practitioner's agency is actively involved with, their own allocations first, a page at
    a time (a health visiting team works with thousands); `allocated_to_me` is set on each.

    Listing a child by name is a read of their record, so every person listed is logged, with the allocation in
    the "why" when it is theirs.
    """
    ordered: QuerySet[Person] = Person.objects.none()
    if user.agency_id is not None:
        involvements = active_involvements().filter(agency_id=user.agency_id)
        mine = involvements.filter(practitioner=user).values("person_id")
        ordered = (
            people_with_detail_access(user=user)
            .filter(pk__in=involvements.values("person_id"))
            .annotate(allocated_to_me=Q(pk__in=mine))
            .order_by("-allocated_to_me", "family_name", "given_name", "pk")
        )
    page = page_read(ordered, size=CASELOAD_PAGE_SIZE, number=page_number)
    listed = list(page.object_list)
    mine_listed = {p.pk for p in listed if getattr(p, "allocated_to_me", False)}
    disclose(
        user=user, people=listed, page="caseload", request=request, reasons=dict.fromkeys(mine_listed, ALLOCATED_REASON)
    )
    return page
