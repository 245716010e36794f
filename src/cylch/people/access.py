"""Need-to-know: the one rule deciding whose record detail a practitioner may see.

Every selector that returns personal data asks this module, so a page, a list, an export
and an API response cannot disagree. Detail is visible to a practitioner whose agency has an
active involvement with the person, to the front door (which must triage anyone referred), to
the board roles configured in `CYLCH_FULL_VIEW_ROLES`, and to a practitioner holding an active
access grant (an approved request or an emergency "break-glass", see `cylch.audit.access`).
Everyone else may learn only *that* other agencies hold information, and whom to contact.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cylch.accounts.models import Practitioner, RoleCode
from cylch.audit.models import AccessGrant, GrantStatus
from cylch.people.models import Involvement, Person

FULL_VIEW_ROLES = frozenset({RoleCode.FRONT_DOOR, RoleCode.FRONT_DOOR_MANAGER})


def full_view_roles() -> frozenset[str]:
    """The front door's roles plus the board roles a region configures (e.g. 'board_officer')."""
    configured = getattr(settings, "CYLCH_FULL_VIEW_ROLES", ())
    return FULL_VIEW_ROLES | frozenset(str(code) for code in configured)


def active_grants() -> QuerySet[AccessGrant]:
    """Approved requests and break-glass grants that have not expired."""
    now = timezone.now()
    return AccessGrant.objects.filter(status=GrantStatus.APPROVED).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def active_involvements(*, on: datetime.date | None = None) -> QuerySet[Involvement]:
    day = on or timezone.localdate()
    return Involvement.objects.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


def sees_everyone(user: Practitioner) -> bool:
    return bool(user.role_codes() & full_view_roles())


def people_with_detail_access(*, user: Practitioner) -> QuerySet[Person]:
    """The people whose record detail `user` may open (not yet filtered to live, unmerged records)."""
    people = Person.objects.filter(merged_into__isnull=True)
    if not user.is_active:
        return people.none()
    if sees_everyone(user):
        return people
    granted = active_grants().filter(person=OuterRef("pk"), practitioner_id=user.pk)
    if user.agency_id is None:
        return people.filter(Exists(granted))
    involved = active_involvements().filter(person=OuterRef("pk"), agency_id=user.agency_id)
    return people.filter(Exists(involved) | Exists(granted))


class AccessBasis(StrEnum):
    """Why the rule lets a practitioner see a person's detail (recorded as the "why" of each read)."""

    FRONT_DOOR = "front_door"
    BOARD_ROLE = "board_role"
    INVOLVEMENT = "involvement"
    GRANT = "grant"


@dataclass(frozen=True)
class Access:
    """The rule's answer for one person: the basis, and the grant relied on when that is the basis."""

    basis: AccessBasis
    grant_id: int | None = None

    def as_reason(self) -> str:
        """The audit entry's "why": the basis, with the grant's id when access rests on a grant."""
        return f"{self.basis} {self.grant_id}" if self.grant_id is not None else str(self.basis)


def _role_access(user: Practitioner) -> Access | None:
    """The basis a role gives for everyone, checked before the record (the front door ahead of a board role)."""
    roles = user.role_codes()
    if roles & FULL_VIEW_ROLES:
        return Access(AccessBasis.FRONT_DOOR)
    if roles & full_view_roles():
        return Access(AccessBasis.BOARD_ROLE)
    return None


def _record_access(user: Practitioner, person_ids: list[int], live: Q) -> dict[int, Access]:
    """Involvement, else the newest active grant: one query each, the grants only for those not involved."""
    found: dict[int, Access] = {}
    if user.agency_id is not None:
        involved = active_involvements().filter(live, person_id__in=person_ids, agency_id=user.agency_id)
        found = dict.fromkeys(involved.values_list("person_id", flat=True), Access(AccessBasis.INVOLVEMENT))
    rest = [pk for pk in person_ids if pk not in found]
    if rest:
        grants = active_grants().filter(live, person_id__in=rest, practitioner_id=user.pk)
        for person_id, grant_id in grants.order_by("created_at", "pk").values_list("person_id", "pk"):
            found[person_id] = Access(AccessBasis.GRANT, grant_id)  # oldest first, so the newest is kept
    return found


def access_basis(*, user: Practitioner, person: Person) -> Access | None:
    """On what basis `user` may see `person`'s detail, or None when the rule refuses."""
    if not user.is_active or person.merged_into_id is not None:
        return None
    return _role_access(user) or _record_access(user, [person.pk], Q()).get(person.pk)


def access_basis_among(*, user: Practitioner, person_ids: list[int]) -> dict[int, Access]:
    """`access_basis` for a list (search results), one query per kind of basis; refused ids are absent."""
    if not user.is_active or not person_ids:
        return {}
    role = _role_access(user)
    if role is not None:
        live = Person.objects.filter(pk__in=person_ids, merged_into__isnull=True).values_list("pk", flat=True)
        return dict.fromkeys(live, role)
    return _record_access(user, person_ids, Q(person__merged_into__isnull=True))


def can_see_detail(*, user: Practitioner, person: Person) -> bool:
    return access_basis(user=user, person=person) is not None


def detail_access_among(*, user: Practitioner, person_ids: list[int]) -> set[int]:
    """Which of `person_ids` the user may open, in one query (for lists and search results)."""
    return set(people_with_detail_access(user=user).filter(pk__in=person_ids).values_list("pk", flat=True))


# Oversight of the record itself, not of the child: these roles see *who looked*, not the child's detail.
# Information governance answers subject access requests and inspection; a front-door manager checks
# how their team (and anyone who broke glass) used records.
ACCESS_LOG_ROLES = frozenset({RoleCode.INFORMATION_GOVERNANCE, RoleCode.FRONT_DOOR_MANAGER})
SUBJECT_ACCESS_ROLES = frozenset({RoleCode.INFORMATION_GOVERNANCE})
CHAIN_VERIFY_ROLES = frozenset({RoleCode.INFORMATION_GOVERNANCE})


def can_read_access_log(user: Practitioner) -> bool:
    """Who may see who has opened a person's record."""
    return user.is_active and bool(user.role_codes() & ACCESS_LOG_ROLES)


def can_export_subject_access(user: Practitioner) -> bool:
    """Only information governance answers a subject access request (everything held on one person)."""
    return user.is_active and bool(user.role_codes() & SUBJECT_ACCESS_ROLES)


def can_verify_audit_chain(user: Practitioner) -> bool:
    return user.is_active and bool(user.role_codes() & CHAIN_VERIFY_ROLES)
