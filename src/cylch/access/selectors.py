"""Reading access itself: whom to contact about a person, who has seen their record, and access requests.

Each page here names people, so each goes through `cylch.access.reads` like any record page.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Page
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from cylch.access.models import AccessGrant, GrantKind, GrantStatus
from cylch.access.reads import OVERSIGHT, disclose, disclose_one, refuse
from cylch.access.rule import active_involvements, can_see_detail
from cylch.accounts.models import Agency, Practitioner
from cylch.accounts.permissions import can_read_access_log, sees_everyone
from cylch.audit.models import AccessLogEntry
from cylch.core.paging import page_read
from cylch.people.models import Person
from cylch.people.selectors import person_resolve


@dataclass
class AgencyContact:
    """Whom to contact about a person: shown even when detail is not, with who recorded the involvement when."""

    agency: Agency
    role: str
    practitioner: Practitioner | None
    start_date: datetime.date | None = None
    recorded_by_agency: Agency | None = None
    recorded_at: datetime.datetime | None = None


def agency_contacts(*, person_ids: list[int]) -> dict[int, list[AgencyContact]]:
    """Each person's current involvements as contacts, by agency name: what anyone may learn of a record."""
    contacts: dict[int, list[AgencyContact]] = {}
    for involvement in (
        active_involvements()
        .filter(person_id__in=person_ids)
        .select_related("agency", "practitioner", "recorded_by_agency")
        .order_by("agency__name", "pk")
    ):
        contacts.setdefault(involvement.person_id, []).append(
            AgencyContact(
                agency=involvement.agency,
                role=involvement.role,
                practitioner=involvement.practitioner,
                start_date=involvement.start_date,
                recorded_by_agency=involvement.recorded_by_agency,
                recorded_at=involvement.recorded_at,
            )
        )
    return contacts


ACCESS_LOG_PAGE_SIZE = 200


@dataclass
class AccessLogView:
    person: Person
    allowed: bool
    entries: list[AccessLogEntry]
    page: Page[AccessLogEntry] | None = None


def access_log_for_person(
    *, user: Practitioner, cylch_id: str, request: HttpRequest | None = None, page_number: str | int | None = 1
) -> AccessLogView:
    """Every entry about one person (their merged-away records included), newest first, a page at a time,
    for information governance; the read is logged, refusals too."""
    person = person_resolve(cylch_id=cylch_id)
    if not can_read_access_log(user):
        refuse(user=user, page="access-log", request=request, person=person)
        return AccessLogView(person=person, allowed=False, entries=[])
    disclose_one(user=user, person=person, page="access-log", request=request, other_basis=OVERSIGHT)
    ids = [person.pk, *Person.objects.filter(merged_into=person).values_list("pk", flat=True)]
    entries = (
        AccessLogEntry.objects.filter(person_id__in=ids).select_related("practitioner", "agency").order_by("-at", "-pk")
    )
    page = page_read(entries, size=ACCESS_LOG_PAGE_SIZE, number=page_number)
    return AccessLogView(person=person, allowed=True, entries=list(page.object_list), page=page)


# --- access requests waiting for a decision ---


def _decidable(user: Practitioner, grants: list[AccessGrant]) -> list[AccessGrant]:
    """Requests `user` may decide: not their own, their agency leads on the record (or they are the front door),
    and they may see the record themselves."""
    found = [
        grant
        for grant in grants
        if grant.practitioner_id != user.pk
        and (sees_everyone(user) or (user.agency_id is not None and grant.lead_agency_id == user.agency_id))
    ]
    return [grant for grant in found if can_see_detail(user=user, person=grant.person)]


def access_requests_pending(*, user: Practitioner, request: HttpRequest | None = None) -> list[AccessGrant]:
    """Requests the user may decide, oldest first; listing a request names the child, so each is logged."""
    grants = AccessGrant.objects.filter(kind=GrantKind.REQUEST, status=GrantStatus.PENDING).select_related(
        "person", "practitioner", "practitioner__agency", "lead_agency"
    )
    if not sees_everyone(user):
        if user.agency_id is None:
            return []
        grants = grants.filter(lead_agency_id=user.agency_id)
    found = _decidable(user, list(grants.order_by("created_at")))
    disclose(user=user, people=[g.person for g in found], page="access-requests", request=request)
    return found


def access_request_get(*, user: Practitioner, pk: int, request: HttpRequest | None = None) -> AccessGrant | None:
    """A request the user may decide, or None; showing it names the child, so it is logged."""
    grant = (
        AccessGrant.objects.filter(pk=pk, kind=GrantKind.REQUEST)
        .select_related("person", "practitioner", "practitioner__agency", "lead_agency")
        .first()
    )
    if grant is None or not _decidable(user, [grant]):
        return None
    with transaction.atomic():
        disclose_one(user=user, person=grant.person, page="access-request", request=request)
    return grant


def my_pending_request(*, user: Practitioner, person: Person) -> AccessGrant | None:
    """The user's own request for this person that is still waiting for a decision, if any."""
    return (
        AccessGrant.objects.filter(practitioner=user, person=person, kind=GrantKind.REQUEST, status=GrantStatus.PENDING)
        .order_by("-created_at")
        .first()
    )


# --- information governance's review of access beyond need-to-know ---

REVIEW_PAGE_SIZE = 100


def grants_to_review(
    *, user: Practitioner, request: HttpRequest | None = None, page_number: str | int | None = 1
) -> Page[AccessGrant] | None:
    """Break-glass uses and approved requests information governance has not reviewed yet, oldest first, a page
    at a time (None for anyone else); each child listed is logged on the oversight basis. A meeting's invitees
    are not listed: the chair's invitation is the decision, and the grant ends with the meeting or the plan."""
    if not can_read_access_log(user):
        refuse(user=user, page="access-reviews", request=request)
        return None
    waiting = (
        AccessGrant.objects.filter(status=GrantStatus.APPROVED, review__isnull=True)
        .exclude(kind=GrantKind.MEETING)
        .exclude(practitioner=user)
        .select_related("person", "practitioner", "practitioner__agency")
        .order_by("created_at", "pk")
    )
    page = page_read(waiting, size=REVIEW_PAGE_SIZE, number=page_number)
    people = [grant.person for grant in page.object_list]
    disclose(
        user=user,
        people=people,
        page="access-reviews",
        request=request,
        other_basis=dict.fromkeys((p.pk for p in people), OVERSIGHT),
    )
    return page


@dataclass
class GrantUnderReview:
    """A grant with what was opened under it: the access-log entries whose "why" is this grant."""

    grant: AccessGrant
    opened: list[AccessLogEntry]


def grant_under_review(*, user: Practitioner, pk: int, request: HttpRequest | None = None) -> GrantUnderReview | None:
    """One break-glass use or approved request for information governance, with every read made under it; None
    (and a refusal logged) for anyone else or a grant that is not theirs to review."""
    grant = (
        AccessGrant.objects.filter(pk=pk, status=GrantStatus.APPROVED)
        .exclude(practitioner=user)
        .select_related("person", "practitioner", "practitioner__agency", "decided_by", "review__reviewed_by")
        .first()
    )
    if grant is None or not can_read_access_log(user):
        refuse(user=user, page="access-review", request=request, details={"grant": pk})
        return None
    disclose_one(user=user, person=grant.person, page="access-review", request=request, other_basis=OVERSIGHT)
    basis = f"grant {grant.pk}"
    opened = (
        AccessLogEntry.objects.filter(practitioner_id=grant.practitioner_id)
        .filter(Q(reason=basis) | Q(reason__startswith=f"{basis};"))
        .select_related("person")
        .order_by("at", "pk")
    )
    return GrantUnderReview(grant=grant, opened=list(opened))  # one person, for at most 30 days
