"""Reading the audit log: who has seen a person's record, and whether the chain is intact.

Only the oversight roles in `cylch.people.access` (information governance, front-door managers) may
read it, and reading it is itself logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page
from django.db import transaction
from django.http import HttpRequest

from cylch.accounts.models import Practitioner
from cylch.audit.chain import ChainReport, chain_verify
from cylch.audit.models import AccessGrant, AccessLogEntry, AccessOutcome, GrantKind, GrantStatus
from cylch.audit.services import access_log_record, access_log_record_many
from cylch.core.paging import page_read
from cylch.people.access import can_read_access_log, can_see_detail, can_verify_audit_chain, sees_everyone
from cylch.people.models import Person
from cylch.people.selectors import person_resolve

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
    """Every entry about one person (their merged-away records included), newest first, a page at a time;
    logged, refusals too."""
    person = person_resolve(cylch_id=cylch_id)
    allowed = can_read_access_log(user)
    with transaction.atomic():
        access_log_record(
            practitioner=user,
            person=person,
            page="access-log",
            outcome=AccessOutcome.DETAIL if allowed else AccessOutcome.REFUSED,
            request=request,
        )
    if not allowed:
        return AccessLogView(person=person, allowed=False, entries=[])
    ids = [person.pk, *Person.objects.filter(merged_into=person).values_list("pk", flat=True)]
    entries = (
        AccessLogEntry.objects.filter(person_id__in=ids).select_related("practitioner", "agency").order_by("-at", "-pk")
    )
    page = page_read(entries, size=ACCESS_LOG_PAGE_SIZE, number=page_number)
    return AccessLogView(person=person, allowed=True, entries=list(page.object_list), page=page)


def audit_chain_check(*, user: Practitioner) -> ChainReport | None:
    """Walk the whole hash chain (information governance only); None when the user may not."""
    if not can_verify_audit_chain(user):
        return None
    return chain_verify()


# --- access requests waiting for a decision ---


def access_requests_pending(*, user: Practitioner, request: HttpRequest | None = None) -> list[AccessGrant]:
    """Requests the user may decide: their agency is the record's lead agency, or they manage the front door.

    Listing a request names the child, so every person listed is logged.
    """
    grants = AccessGrant.objects.filter(kind=GrantKind.REQUEST, status=GrantStatus.PENDING).select_related(
        "person", "practitioner", "practitioner__agency", "lead_agency"
    )
    if not sees_everyone(user):
        if user.agency_id is None:
            return []
        grants = grants.filter(lead_agency_id=user.agency_id)
    found = [g for g in grants.order_by("created_at") if g.practitioner_id != user.pk]
    found = [g for g in found if can_see_detail(user=user, person=g.person)]
    people = list({g.person_id: g.person for g in found}.values())
    with transaction.atomic():
        access_log_record_many(
            practitioner=user,
            people=people,
            page="access-requests",
            outcome_for=dict.fromkeys((p.pk for p in people), AccessOutcome.DETAIL),
            request=request,
        )
    return found


def access_request_get(*, user: Practitioner, pk: int, request: HttpRequest | None = None) -> AccessGrant | None:
    """A request the user may decide, or None; showing it names the child, so it is logged."""
    grant = (
        AccessGrant.objects.filter(pk=pk, kind=GrantKind.REQUEST)
        .select_related("person", "practitioner", "practitioner__agency", "lead_agency")
        .first()
    )
    if grant is None or grant.practitioner_id == user.pk:
        return None
    if not sees_everyone(user) and (user.agency_id is None or grant.lead_agency_id != user.agency_id):
        return None
    if not can_see_detail(user=user, person=grant.person):
        return None
    with transaction.atomic():
        access_log_record(
            practitioner=user, person=grant.person, page="access-request", outcome=AccessOutcome.DETAIL, request=request
        )
    return grant


def my_pending_request(*, user: Practitioner, person: Person) -> AccessGrant | None:
    """The user's own request for this person that is still waiting for a decision, if any."""
    return (
        AccessGrant.objects.filter(practitioner=user, person=person, kind=GrantKind.REQUEST, status=GrantStatus.PENDING)
        .order_by("-created_at")
        .first()
    )
