"""The people a practitioner's agency works with: the caseload on the home page and its own page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.core.paginator import Page
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from cylch.access.reads import disclose
from cylch.access.rule import active_involvements, people_with_detail_access
from cylch.accounts.models import Practitioner
from cylch.chronology.models import ChronologyEvent
from cylch.core.paging import page_read
from cylch.people.models import ADULT_AGE, Person, StatusKind, StatutoryStatus

ALLOCATED_REASON = "allocated to me"
CASELOAD_PAGE_SIZE = 100


class Ages(StrEnum):
    """Whom the caseload lists: children by default (unborn children included); adults only when asked for."""

    CHILDREN = "children"
    ADULTS = "adults"
    EVERYONE = "everyone"


@dataclass(frozen=True)
class CaseloadFilter:
    ages: Ages = Ages.CHILDREN
    flagged_only: bool = False  # on the register or looked after
    mine_only: bool = False  # allocated to the practitioner themselves

    def as_details(self) -> dict[str, object]:
        """What the list was narrowed to, for the access log (an adult listed was asked for)."""
        return {"ages": str(self.ages), "flagged_only": self.flagged_only, "mine_only": self.mine_only}


def _by_age(people: QuerySet[Person], ages: Ages, today: datetime.date) -> QuerySet[Person]:
    """Children are the unborn and those under 18 today; adults those 18 or over. Someone whose date of birth is
    not known is listed only under everyone."""
    try:
        adult_born_by = today.replace(year=today.year - ADULT_AGE)
    except ValueError:  # 29 February
        adult_born_by = today.replace(year=today.year - ADULT_AGE, day=28)
    if ages == Ages.CHILDREN:
        return people.filter(Q(is_unborn=True) | Q(date_of_birth__gt=adult_born_by))
    if ages == Ages.ADULTS:
        return people.filter(is_unborn=False, date_of_birth__lte=adult_born_by)
    return people


def caseload(
    *,
    user: Practitioner,
    request: HttpRequest | None = None,
    page_number: str | int | None = 1,
    filters: CaseloadFilter | None = None,
) -> Page[Person]:
    """The people the practitioner's agency is actively involved with, their own allocations first, a page at
    a time (a health visiting team works with thousands). Each is annotated with `allocated_to_me`,
    `on_register` and `looked_after` (in force today) and `last_contact` (the newest event the agency recorded).

    Listing a child by name is a read of their record, so every person listed is logged, with the allocation in
    the "why" when it is theirs.
    """
    filters = filters or CaseloadFilter()
    today = timezone.localdate()
    ordered: QuerySet[Person] = Person.objects.none()
    if user.agency_id is not None:
        involvements = active_involvements().filter(agency_id=user.agency_id)
        mine = involvements.filter(practitioner=user).values("person_id")
        in_force = StatutoryStatus.objects.filter(person=OuterRef("pk"), start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
        contact = ChronologyEvent.objects.filter(person=OuterRef("pk"), agency_id=user.agency_id).order_by(
            "-occurred_at"
        )
        ordered = (
            _by_age(people_with_detail_access(user=user), filters.ages, today)
            .filter(pk__in=involvements.values("person_id"))
            .annotate(
                allocated_to_me=Q(pk__in=mine),
                on_register=Exists(in_force.filter(kind=StatusKind.CHILD_PROTECTION_REGISTER)),
                looked_after=Exists(in_force.filter(kind=StatusKind.LOOKED_AFTER)),
                last_contact=Subquery(contact.values("occurred_at")[:1]),
            )
            .order_by("-allocated_to_me", "family_name", "given_name", "pk")
        )
        if filters.flagged_only:
            ordered = ordered.filter(Q(on_register=True) | Q(looked_after=True))
        if filters.mine_only:
            ordered = ordered.filter(allocated_to_me=True)
    page = page_read(ordered, size=CASELOAD_PAGE_SIZE, number=page_number)
    listed = list(page.object_list)
    mine_listed = {p.pk for p in listed if getattr(p, "allocated_to_me", False)}
    disclose(
        user=user,
        people=listed,
        page="caseload",
        request=request,
        reasons=dict.fromkeys(mine_listed, ALLOCATED_REASON),
        details=dict.fromkeys((p.pk for p in listed), filters.as_details()) if filters != CaseloadFilter() else None,
    )
    return page
