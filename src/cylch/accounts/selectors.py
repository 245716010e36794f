"""What a practitioner's home page shows: counts and lists chosen by their roles.

Counts are aggregates (no one is named), so they are not access-logged; the caseload is the
practitioner's own agency's children, read (and logged) through the need-to-know rule in people.selectors.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from cylch.accounts.models import LocalAuthority, Practitioner, Region, Role, RoleCode
from cylch.audit.models import AccessLogEntry, AccessOutcome
from cylch.people.models import Person, StatusKind, StatutoryStatus
from cylch.people.selectors import caseload

CASELOAD_ROLES = frozenset({RoleCode.AGENCY_PRACTITIONER, RoleCode.LEAD_PRACTITIONER})
FRONT_DOOR_ROLES = frozenset({RoleCode.FRONT_DOOR, RoleCode.FRONT_DOOR_MANAGER})
AUDIT_WINDOW = datetime.timedelta(days=7)


@dataclass(frozen=True)
class StatusCounts:
    """Children currently on the child protection register and looked after, in one area."""

    area: LocalAuthority | Region
    on_register: int
    looked_after: int


@dataclass(frozen=True)
class AccessLogCounts:
    """Views of people's records over the last week."""

    since: datetime.datetime
    views: int
    restricted_views: int


@dataclass
class HomeSummary:
    roles: list[Role]
    caseload: Page[Person] | None = None
    local_statuses: StatusCounts | None = None
    regional_statuses: StatusCounts | None = None
    access_log: AccessLogCounts | None = None
    sections: set[str] = field(default_factory=set)


def _status_counts(area: LocalAuthority | Region, statuses: Q) -> StatusCounts:
    today = timezone.localdate()
    current = StatutoryStatus.objects.filter(statuses, start_date__lte=today).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    on_register = current.filter(kind=StatusKind.CHILD_PROTECTION_REGISTER).values("person").distinct().count()
    looked_after = current.filter(kind=StatusKind.LOOKED_AFTER).values("person").distinct().count()
    return StatusCounts(area=area, on_register=on_register, looked_after=looked_after)


def home_summary(
    *, user: Practitioner, request: HttpRequest | None = None, caseload_page: str | int | None = 1
) -> HomeSummary:
    """Everything the home page shows for `user`, each part only for the roles that need it."""
    codes = user.role_codes()
    summary = HomeSummary(roles=list(user.roles.all()))
    agency = user.agency
    if codes & CASELOAD_ROLES:
        summary.sections.add("caseload")
        summary.caseload = caseload(user=user, request=request, page_number=caseload_page)
    if codes & FRONT_DOOR_ROLES:
        summary.sections.add("front_door")
        if agency is not None:
            authority = agency.local_authority
            summary.local_statuses = _status_counts(authority, Q(local_authority=authority))
    if RoleCode.BOARD_OFFICER in codes:
        summary.sections.add("board")
        if agency is not None:
            region = agency.local_authority.region
            summary.regional_statuses = _status_counts(region, Q(local_authority__region=region))
    if RoleCode.INFORMATION_GOVERNANCE in codes:
        summary.sections.add("information_governance")
        since = timezone.now() - AUDIT_WINDOW
        recent = AccessLogEntry.objects.filter(at__gte=since)
        summary.access_log = AccessLogCounts(
            since=since,
            views=recent.count(),
            restricted_views=recent.filter(outcome=AccessOutcome.RESTRICTED).count(),
        )
    if RoleCode.ADMINISTRATOR in codes:
        summary.sections.add("administrator")
    return summary
