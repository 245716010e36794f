"""Need-to-know: the one rule deciding whose record detail a practitioner may see.

Selectors never ask it directly for what to show: they go through `cylch.access.reads`, which asks this
module and writes each person shown to their access log in the same step, so a page, a list, an export
and an API response cannot disagree and none can forget the log. Detail is visible to a practitioner in a
casework role whose agency has an active involvement with the person, to the front door (which must triage
anyone referred), to the board roles configured in `CYLCH_FULL_VIEW_ROLES`, and to a practitioner holding an
active access grant (an approved request or an emergency "break-glass", see `cylch.access.services`).
Everyone else may learn only *that* other agencies hold information, and whom to contact. The role sets
live in `cylch.accounts.permissions`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cylch.access.models import AccessGrant, GrantStatus
from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import FRONT_DOOR_ROLES, does_casework, full_view_roles, sees_everyone
from cylch.people.models import Involvement, Person


def active_grants() -> QuerySet[AccessGrant]:
    """Approved requests and break-glass grants that have not expired."""
    now = timezone.now()
    return AccessGrant.objects.filter(status=GrantStatus.APPROVED).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def active_involvements(*, on: datetime.date | None = None) -> QuerySet[Involvement]:
    day = on or timezone.localdate()
    return Involvement.objects.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


def people_with_detail_access(*, user: Practitioner) -> QuerySet[Person]:
    """The people whose record detail `user` may open (not yet filtered to live, unmerged records)."""
    people = Person.objects.filter(merged_into__isnull=True)
    if not user.is_active:
        return people.none()
    if sees_everyone(user):
        return people
    granted = active_grants().filter(person=OuterRef("pk"), practitioner_id=user.pk)
    if user.agency_id is None or not does_casework(user):
        return people.filter(Exists(granted))
    involved = active_involvements().filter(person=OuterRef("pk"), agency_id=user.agency_id)
    return people.filter(Exists(involved) | Exists(granted))


class AccessBasis(StrEnum):
    """Why the rule lets a practitioner see a person's detail (recorded as the "why" of each read)."""

    FRONT_DOOR = "front_door"
    BOARD_ROLE = "board_role"
    INVOLVEMENT = "involvement"
    GRANT = "grant"
    # Not the record rule but a narrower one the caller checked: the practitioner raised the concern that names
    # the person, an oversight role's page (who has looked, subject access, the match-review queue), or an
    # information request to the practitioner's agency.
    REFERRER = "referrer"
    OVERSIGHT = "oversight"
    # The practitioner's agency was asked for information about the child (the request's identity page only).
    INFORMATION_REQUEST = "information_request"


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
    if roles & FRONT_DOOR_ROLES:
        return Access(AccessBasis.FRONT_DOOR)
    if roles & full_view_roles():
        return Access(AccessBasis.BOARD_ROLE)
    return None


def _record_access(user: Practitioner, person_ids: list[int], live: Q) -> dict[int, Access]:
    """Involvement, else the newest active grant: one query each, the grants only for those not involved."""
    found: dict[int, Access] = {}
    if user.agency_id is not None and does_casework(user):
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
    """For deciding whether an action is allowed (deciding a request); showing a person goes through
    `cylch.access.reads`, which logs what it shows."""
    return access_basis(user=user, person=person) is not None
