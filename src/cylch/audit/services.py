"""Writing the audit log: changes to personal data, and the rows every entry is built from.

Services call `audit_write_record` in the same transaction as the change they record. Reads are written by
`cylch.access.reads` alone (it builds its rows with `access_log_entry`), so what a page shows and what the
log says it showed come from one place.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cylch.accounts.models import ApiToken, Practitioner
from cylch.audit.chain import chain_append, chain_append_sealed
from cylch.audit.models import AccessLogEntry, AccessOutcome, AuditAction
from cylch.people.models import Person

SYSTEM_ROLES = "system"


def client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def api_token_of(request: HttpRequest | None) -> ApiToken | None:
    """The API token a call came with (DRF puts it on the request as `auth`); None on the web or offline."""
    token = getattr(request, "auth", None)
    return token if isinstance(token, ApiToken) else None


def access_log_entry(
    *,
    practitioner: Practitioner | None,
    person: Person | int | None,
    page: str,
    outcome: str,
    action: str,
    request: HttpRequest | None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AccessLogEntry:
    """Every entry, read or write, is built here: an API call's entries name its token by prefix (which key was
    used, so a leaked one can be traced), never by anything that would let the key be rebuilt. The person may be
    given by id (a bulk file has only ids, and making a Person costs more than the entry)."""
    token = api_token_of(request)
    if token is not None:
        details = {**(details or {}), "token": token.prefix}
    about: dict[str, Person | int | None] = {"person_id": person} if isinstance(person, int) else {"person": person}
    return AccessLogEntry(
        practitioner=practitioner,
        roles=",".join(sorted(practitioner.role_codes())) if practitioner is not None else SYSTEM_ROLES,
        agency_id=practitioner.agency_id if practitioner is not None else None,
        **about,
        action=action,
        page=page,
        outcome=outcome,
        reason=reason[:500],
        path=request.get_full_path()[:300] if request is not None else "",
        ip_address=client_address(request),
        details=details or {},
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
    entry = access_log_entry(
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


def audit_write_many(
    *,
    practitioner: Practitioner | None,
    people: list[Person],
    action: AuditAction,
    page: str,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> None:
    """One change recorded against each of `people` (a concern raised about three children), in one statement."""
    chain_append(
        [
            access_log_entry(
                practitioner=practitioner,
                person=person,
                page=page,
                outcome=AccessOutcome.CHANGED,
                action=action,
                request=request,
                details=details,
            )
            for person in people
        ]
    )


def audit_write_each(
    *,
    practitioner: Practitioner | None,
    changes: list[tuple[Person | int, dict[str, Any]]],
    action: AuditAction,
    page: str,
    request: HttpRequest | None = None,
) -> None:
    """Many changes, each with its own details (a bulk file's events), written in one statement and, when the
    seal lock is free, sealed as they are inserted (`chain_append_sealed`: call it as one of the transaction's
    last writes, since the lock is then held to its end)."""
    chain_append_sealed(
        [
            access_log_entry(
                practitioner=practitioner,
                person=person,
                page=page,
                outcome=AccessOutcome.CHANGED,
                action=action,
                request=request,
                details=details,
            )
            for person, details in changes
        ]
    )


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
            access_log_entry(
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


def sign_in_failure_record(*, username: str, request: HttpRequest | None, second_factor: bool = False) -> None:
    """A wrong password, a wrong two-factor code or a refused provider sign-in, on the chain: guessing at an
    account shows up in the same log as everything else. Nobody is signed in yet, so the entry names no
    practitioner and no role, only the username that was tried and the address it came from."""
    _anonymous_append(
        action=AuditAction.SIGN_IN_FAILED,
        request=request,
        details={"username": username[:150], "step": "code" if second_factor else "password"},
    )


def sign_in_lockout_record(*, username: str, request: HttpRequest | None) -> None:
    """django-axes has locked an account or an address out after repeated failures."""
    _anonymous_append(action=AuditAction.SIGN_IN_LOCKED_OUT, request=request, details={"username": username[:150]})


def api_token_change_record(*, token: ApiToken, change: str, replaces: ApiToken | None = None) -> None:
    """An API token issued, rotated or revoked: who holds it, what it may do and until when, never its key. The
    entry names no practitioner (tokens are managed from the command line, `cylch token`); the holder is in the
    details, so an investigation of what a token did can start from when it came to exist."""
    details: dict[str, Any] = {
        "change": change,
        "prefix": token.prefix,
        "holder": token.practitioner.username,
        "scopes": token.scopes,
        "expires_at": token.expires_at.isoformat(),
    }
    if replaces is not None:
        details["replaces"] = replaces.prefix
    entry = access_log_entry(
        practitioner=None,
        person=None,
        page="api-token",
        outcome=AccessOutcome.CHANGED,
        action=AuditAction.API_TOKEN,
        request=None,
        details=details,
    )
    chain_append([entry])


def _anonymous_append(*, action: AuditAction, request: HttpRequest | None, details: dict[str, Any]) -> None:
    entry = access_log_entry(
        practitioner=None,
        person=None,
        page="sign-in",
        outcome=AccessOutcome.REFUSED,
        action=action,
        request=request,
        details=details,
    )
    entry.roles = ""  # not the system: someone not yet signed in
    chain_append([entry])
