"""What a practitioner's home page shows: counts and lists chosen by their roles.

Counts are aggregates (no one is named), so they are not access-logged; the caseload is the
practitioner's own agency's children, read (and logged) through `cylch.records.selectors.caseload`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from cylch.accounts.models import LocalAuthority, Practitioner, Region, Role
from cylch.accounts.permissions import (
    can_read_access_log,
    can_review_matches,
    does_casework,
    has_caseload,
    is_administrator,
    is_board_officer,
    is_front_door,
)
from cylch.audit.models import AccessLogEntry, AccessOutcome
from cylch.concerns.selectors import information_requests_open_count
from cylch.people.models import Person, StatusKind, StatutoryStatus
from cylch.records.selectors.caseload import caseload

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
    information_requests_open: int = 0
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
    summary = HomeSummary(roles=list(user.roles.all()))
    agency = user.agency
    if does_casework(user) and agency is not None:
        summary.sections.add("information_requests")
        summary.information_requests_open = information_requests_open_count(user=user)
    if (does_casework(user) and agency is not None) or is_board_officer(user):
        summary.sections.add("meetings")  # the meetings app's own tag fills it in (home must not count its rows here)
    if is_front_door(user) or (does_casework(user) and agency is not None):
        summary.sections.add("risk_alerts")  # the risk app's own tag counts what the agency owns
    if agency is not None or is_board_officer(user):
        summary.sections.add("reviews")  # the reviews app's own tag counts the agency's actions and the board's reviews
        summary.sections.add("assurance_actions")  # the assurance app's own tag lists the 12Cs actions one owns
    if has_caseload(user):
        summary.sections.add("caseload")
        summary.caseload = caseload(user=user, request=request, page_number=caseload_page)
    if is_front_door(user):
        summary.sections.add("front_door")
        if can_review_matches(user):
            summary.sections.add("match_review")
        if agency is not None:
            authority = agency.local_authority
            summary.local_statuses = _status_counts(authority, Q(local_authority=authority))
    if is_board_officer(user):
        summary.sections.add("board")
        if agency is not None:
            region = agency.local_authority.region
            summary.regional_statuses = _status_counts(region, Q(local_authority__region=region))
    if can_read_access_log(user):
        summary.sections.add("information_governance")
        since = timezone.now() - AUDIT_WINDOW
        recent = AccessLogEntry.objects.filter(at__gte=since)
        summary.access_log = AccessLogCounts(
            since=since,
            views=recent.count(),
            restricted_views=recent.filter(outcome=AccessOutcome.RESTRICTED).count(),
        )
    if is_administrator(user):
        summary.sections.add("administrator")
    return summary
