"""The one audited read path: every person shown to anyone is written to that person's access log here.

A selector that is about to show people opens a `reading` and hands them to it before it reads their detail:
it asks the need-to-know rule (`cylch.access.rule`) about each of them, keeps one entry per person, and
returns what the rule allowed; the selector fills in detail only for those, and the entries are written in
the selector's transaction when the reading ends. A read refused outright (an export, a concern the
practitioner may not open) is logged as refused. `disclose` is the one-step form for a list. No
other module writes read entries: `make lint` forbids importing the audit chain outside `cylch.audit` and
`cylch.access`, so a new page cannot show someone without this module hearing of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from cylch.access.rule import Access, AccessBasis, access_basis_among
from cylch.accounts.models import Practitioner
from cylch.audit.chain import chain_append
from cylch.audit.models import AccessLogEntry, AccessOutcome, AuditAction
from cylch.audit.services import access_log_entry
from cylch.people.models import Person

# The basis for an oversight role's page (who has looked, subject access) once the caller's permission check passed.
OVERSIGHT = Access(AccessBasis.OVERSIGHT)


@dataclass(frozen=True)
class Disclosure:
    """What the rule let the reader see of the people a page shows; every one of them is already logged."""

    access: Mapping[int, Access]

    def allows(self, person: Person | int) -> bool:
        return (person if isinstance(person, int) else person.pk) in self.access

    def basis_of(self, person: Person) -> Access | None:
        return self.access.get(person.pk)


def _unique(people: Iterable[Person]) -> list[Person]:
    return list({person.pk: person for person in people}.values())


class Reading:
    """One read of one page: decides what the reader may see of each person as the page meets them, and keeps
    one access-log entry per person, written together when the read ends (see `reading`)."""

    def __init__(self, *, user: Practitioner, page: str, request: HttpRequest | None, action: AuditAction) -> None:
        self.user, self.page, self.request, self.action = user, page, request, action
        self._entries: dict[int | None, AccessLogEntry] = {}
        self._refusals: list[AccessLogEntry] = []

    def _entry(
        self, person: Person | None, outcome: AccessOutcome, reason: str, details: dict[str, Any]
    ) -> AccessLogEntry:
        return access_log_entry(
            practitioner=self.user,
            person=person,
            page=self.page,
            outcome=outcome,
            action=self.action,
            request=self.request,
            reason=reason,
            details=details,
        )

    def decide(
        self,
        people: Iterable[Person],
        *,
        other_basis: Mapping[int, Access] | None = None,
        refused_outcome: AccessOutcome = AccessOutcome.RESTRICTED,
        reasons: Mapping[int, str] | None = None,
        details: Mapping[int, dict[str, Any]] | None = None,
    ) -> Disclosure:
        """What the reader may see of each of `people`, each logged (once per read, the first time it is met).

        `other_basis` names people the caller may show on a narrower rule it has checked itself (the referrer of
        a concern, an oversight role's page), for when the need-to-know rule does not already allow them. Anyone
        left without a basis is logged as a restricted summary shown (or `refused_outcome`, e.g. a refused export).
        `reasons` adds to an entry's "why" (what a search was by); `details` adds to what the entry records.
        """
        met = _unique(people)
        decided = dict(access_basis_among(user=self.user, person_ids=[p.pk for p in met]))
        for pk, vouched in (other_basis or {}).items():
            if pk in {p.pk for p in met}:
                decided.setdefault(pk, vouched)  # the record rule's own basis, where it has one, is the better "why"
        for person in met:
            if person.pk in self._entries:
                continue
            access = decided.get(person.pk)
            why = [access.as_reason()] if access is not None else []
            if reasons and reasons.get(person.pk):
                why.append(reasons[person.pk])
            outcome = AccessOutcome.DETAIL if access is not None else refused_outcome
            self._entries[person.pk] = self._entry(
                person, outcome, "; ".join(why), dict((details or {}).get(person.pk, {}))
            )
        return Disclosure(access=decided)

    def note(self, person: Person, **details: Any) -> None:
        """Add to the entry of a person already met (e.g. whose details came with their record)."""
        self._entries[person.pk].details |= details

    def refuse(self, *, person: Person | None = None, details: dict[str, Any] | None = None) -> None:
        """A read refused before anyone was shown (probing references leaves a trace)."""
        self._refusals.append(self._entry(person, AccessOutcome.REFUSED, "", dict(details or {})))

    def write(self) -> None:
        """Write the entries kept so far (`reading` does at its end; a read that reports on the log itself, such
        as subject access, writes first so that its own entry is in what it reports)."""
        chain_append([*self._entries.values(), *self._refusals])
        self._entries, self._refusals = {}, []


@contextmanager
def reading(
    *, user: Practitioner, page: str, request: HttpRequest | None = None, action: AuditAction = AuditAction.VIEW
) -> Iterator[Reading]:
    """A read inside one transaction: whatever the block decides to show is logged when it ends, in the same
    transaction, in one statement; if the block fails, nothing was shown and nothing is logged."""
    with transaction.atomic():
        read = Reading(user=user, page=page, request=request, action=action)
        yield read
        read.write()


def disclose(
    *,
    user: Practitioner,
    people: Iterable[Person],
    page: str,
    request: HttpRequest | None = None,
    action: AuditAction = AuditAction.VIEW,
    other_basis: Mapping[int, Access] | None = None,
    refused_outcome: AccessOutcome = AccessOutcome.RESTRICTED,
    reasons: Mapping[int, str] | None = None,
    details: Mapping[int, dict[str, Any]] | None = None,
) -> Disclosure:
    """A read of a list in one step (`Reading.decide` inside `reading`)."""
    with reading(user=user, page=page, request=request, action=action) as read:
        return read.decide(
            people, other_basis=other_basis, refused_outcome=refused_outcome, reasons=reasons, details=details
        )


def disclose_one(
    *,
    user: Practitioner,
    person: Person,
    page: str,
    request: HttpRequest | None = None,
    action: AuditAction = AuditAction.VIEW,
    other_basis: Access | None = None,
    refused_outcome: AccessOutcome = AccessOutcome.RESTRICTED,
) -> Access | None:
    """A read of one person in one step: the basis on which `user` sees them, or None (a restricted summary)."""
    disclosure = disclose(
        user=user,
        people=[person],
        page=page,
        request=request,
        action=action,
        other_basis={person.pk: other_basis} if other_basis is not None else None,
        refused_outcome=refused_outcome,
    )
    return disclosure.basis_of(person)


def refuse(
    *,
    user: Practitioner,
    page: str,
    request: HttpRequest | None = None,
    person: Person | None = None,
    action: AuditAction = AuditAction.VIEW,
    details: dict[str, Any] | None = None,
) -> None:
    """Log a read the rules refused before anyone was shown (probing references leaves a trace)."""
    with reading(user=user, page=page, request=request, action=action) as read:
        read.refuse(person=person, details=details)
