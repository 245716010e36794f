"""Writing the audit log. Called by selectors and services in the same transaction as what they record."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cylch.accounts.models import Practitioner
from cylch.audit.chain import chain_append
from cylch.audit.models import AccessLogEntry, AccessOutcome, AuditAction
from cylch.people.models import Person

SYSTEM_ROLES = "system"


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _entry(
    *,
    practitioner: Practitioner | None,
    person: Person | None,
    page: str,
    outcome: str,
    action: str,
    request: HttpRequest | None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AccessLogEntry:
    return AccessLogEntry(
        practitioner=practitioner,
        roles=",".join(sorted(practitioner.role_codes())) if practitioner is not None else SYSTEM_ROLES,
        agency_id=practitioner.agency_id if practitioner is not None else None,
        person=person,
        action=action,
        page=page,
        outcome=outcome,
        reason=reason[:500],
        path=request.get_full_path()[:300] if request is not None else "",
        ip_address=client_address(request),
        details=details or {},
    )


def access_log_record(
    *,
    practitioner: Practitioner,
    person: Person,
    page: str,
    outcome: AccessOutcome,
    request: HttpRequest | None = None,
    reason: str = "",
    action: AuditAction = AuditAction.VIEW,
    details: dict[str, Any] | None = None,
) -> AccessLogEntry:
    """Record that `practitioner` was shown `person` on `page`; fails loudly so the read fails with it."""
    entry = _entry(
        practitioner=practitioner,
        person=person,
        page=page,
        outcome=outcome,
        action=action,
        request=request,
        reason=reason,
        details=details,
    )
    return chain_append([entry])[0]


def access_log_record_many(
    *,
    practitioner: Practitioner,
    people: list[Person],
    page: str,
    outcome_for: dict[int, AccessOutcome],
    request: HttpRequest | None = None,
    action: AuditAction = AuditAction.SEARCH,
    reason_for: dict[int, str] | None = None,
) -> None:
    """One row per person shown in a list (search results), written in one statement; `reason_for` gives
    each person's "why" where the caller knows it."""
    chain_append(
        [
            _entry(
                practitioner=practitioner,
                person=person,
                page=page,
                outcome=outcome_for[person.pk],
                action=action,
                request=request,
                reason=(reason_for or {}).get(person.pk, ""),
            )
            for person in people
        ]
    )


def audit_write_record(
    *,
    practitioner: Practitioner | None,
    person: Person | None,
    action: AuditAction,
    page: str,
    reason: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AccessLogEntry:
    """Record a change to personal data (`practitioner` None for the system, e.g. automatic linkage)."""
    entry = _entry(
        practitioner=practitioner,
        person=person,
        page=page,
        outcome=AccessOutcome.CHANGED,
        action=action,
        request=request,
        reason=reason,
        details=details,
    )
    return chain_append([entry])[0]


def admin_access_record(
    *,
    practitioner: Practitioner,
    seen: list[tuple[Person | None, dict[str, Any]]],
    action: AuditAction,
    page: str,
    request: HttpRequest | None = None,
) -> None:
    """One row per object an administrator listed, opened, changed or deleted in the Django admin.

    `seen` pairs the person each object is about (None for e.g. a household) with what identifies it.
    """
    outcome = AccessOutcome.DETAIL if action in {AuditAction.VIEW, AuditAction.SEARCH} else AccessOutcome.CHANGED
    chain_append(
        [
            _entry(
                practitioner=practitioner,
                person=person,
                page=page,
                outcome=outcome,
                action=action,
                request=request,
                details=details,
            )
            for person, details in seen
        ]
    )
