"""Households over time, and disagreements between agencies about who lives where."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, LocalAuthority, Practitioner, RoleCode
from cylch.accounts.permissions import is_front_door
from cylch.audit.models import AuditAction
from cylch.feeds.models import DisagreementKind, HouseholdDisagreement
from cylch.feeds.services.common import audit, dates_in_order, not_future, survivor
from cylch.people.models import (
    Household,
    HouseholdMembership,
    Person,
)
from cylch.people.text import normalise_postcode
from cylch.people.validators import validate_postcode

ADDRESS_LIMITS = {"address_line_1": 200, "address_line_2": 200, "town": 100}


def household_find_or_create(
    *,
    address_line_1: str,
    town: str,
    postcode: str,
    local_authority: LocalAuthority,
    address_line_2: str = "",
) -> Household:
    """The household at an address: the same first line and postcode is the same home, however it was typed."""
    errors: dict[str, str] = {}
    if not address_line_1.strip():
        errors["address_line_1"] = _("Enter the first line of the address.")
    if not town.strip():
        errors["town"] = _("Enter the town or city.")
    try:
        validate_postcode(postcode)
    except ValidationError as error:
        errors["postcode"] = error.messages[0]
    for field, value in {"address_line_1": address_line_1, "address_line_2": address_line_2, "town": town}.items():
        limit = ADDRESS_LIMITS[field]
        if len(value) > limit:
            errors[field] = _("Use %(limit)s characters or fewer.") % {"limit": limit}
    if errors:
        raise ValidationError(errors)
    code = normalise_postcode(postcode)
    found = Household.objects.filter(postcode=code, address_line_1__iexact=address_line_1.strip()).first()
    if found is not None:
        return found
    return Household.objects.create(
        address_line_1=address_line_1.strip(),
        address_line_2=address_line_2.strip(),
        town=town.strip(),
        postcode=code,
        local_authority=local_authority,
    )


def _arbitrates(actor: Practitioner | None) -> bool:
    """The front door and lead practitioners decide between agencies' accounts; their changes stand."""
    return actor is not None and (is_front_door(actor) or actor.has_role(RoleCode.LEAD_PRACTITIONER))


def _is_own(membership: HouseholdMembership, agency: Agency, actor: Practitioner | None) -> bool:
    return membership.recorded_by_agency_id == agency.pk or _arbitrates(actor)


def _disagreement_flag(
    *,
    standing: HouseholdMembership,
    kind: DisagreementKind,
    agency: Agency,
    actor: Practitioner | None,
    request: HttpRequest | None,
    claimed_membership: HouseholdMembership | None = None,
    claimed_end_date: datetime.date | None = None,
) -> HouseholdDisagreement:
    disagreement, created = HouseholdDisagreement.objects.get_or_create(
        person=standing.person,
        kind=kind,
        standing=standing,
        claimed_membership=claimed_membership,
        claimed_by_agency=agency,
        claimed_end_date=claimed_end_date,
        resolved_at__isnull=True,
        defaults={"claimed_by": actor},
    )
    if created:
        audit(
            actor=actor,
            person=standing.person,
            action=AuditAction.CREATE,
            page="household-disagreement",
            agency=agency,
            request=request,
            disagreement=disagreement.pk,
            kind=str(kind),
            standing=standing.pk,
        )
    return disagreement


@transaction.atomic
def household_membership_record(
    *,
    person: Person,
    agency: Agency,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    household: Household | None = None,
    address_line_1: str = "",
    address_line_2: str = "",
    town: str = "",
    postcode: str = "",
    recorded_by: Practitioner | None = None,
    request: HttpRequest | None = None,
) -> HouseholdMembership:
    """Record that a person lives (or lived) at a household, given as a `household` or its address.

    The same person already recorded at that household over those dates is the same account (and `end_date`, if
    given, ends it as `household_membership_end` would). A new current address replaces the agency's own previous
    one (it ends the day the new one starts); another agency's current address is left standing and the two are
    flagged as a disagreement."""
    person = survivor(person)
    dates_in_order(start_date, end_date, _("The date someone moved out cannot be before the date they moved in."))
    not_future("start_date", start_date, _("The date someone moved in cannot be in the future."))
    if household is None:
        household = household_find_or_create(
            address_line_1=address_line_1,
            address_line_2=address_line_2,
            town=town,
            postcode=postcode,
            local_authority=agency.local_authority,
        )
    overlapping = HouseholdMembership.objects.filter(person=person, household=household).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start_date)
    )
    if end_date is not None:
        overlapping = overlapping.filter(start_date__lte=end_date)
    existing = overlapping.order_by("start_date").first()
    if existing is not None:
        if end_date is not None and existing.end_date is None:
            household_membership_end(
                membership=existing, end_date=end_date, agency=agency, recorded_by=recorded_by, request=request
            )
        return existing
    membership = HouseholdMembership.objects.create(
        person=person,
        household=household,
        start_date=start_date,
        end_date=end_date,
        recorded_by_agency=agency,
        recorded_by=recorded_by,
        recorded_at=timezone.now(),
    )
    audit(
        actor=recorded_by,
        person=person,
        action=AuditAction.CREATE,
        page="household-membership",
        agency=agency,
        request=request,
        membership=membership.pk,
        household=household.pk,
        start_date=start_date.isoformat(),
    )
    if end_date is None:
        _other_current_addresses_settle(membership=membership, agency=agency, actor=recorded_by, request=request)
    return membership


def _other_current_addresses_settle(
    *, membership: HouseholdMembership, agency: Agency, actor: Practitioner | None, request: HttpRequest | None
) -> None:
    """The agency's own earlier address ends where the new one starts; another agency's is flagged, not ended."""
    others = HouseholdMembership.objects.filter(person=membership.person, end_date__isnull=True).exclude(
        household=membership.household
    )
    for other in others.select_related("person"):
        if _is_own(other, agency, actor) and other.start_date <= membership.start_date:
            _membership_end(other, membership.start_date, agency, actor, request)
        else:
            _disagreement_flag(
                standing=other,
                kind=DisagreementKind.DIFFERENT_ADDRESS,
                agency=agency,
                actor=actor,
                request=request,
                claimed_membership=membership,
            )


def _membership_end(
    membership: HouseholdMembership,
    end_date: datetime.date,
    agency: Agency,
    actor: Practitioner | None,
    request: HttpRequest | None,
) -> None:
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    audit(
        actor=actor,
        person=membership.person,
        action=AuditAction.UPDATE,
        page="household-membership",
        agency=agency,
        request=request,
        membership=membership.pk,
        end_date=end_date.isoformat(),
    )


@transaction.atomic
def household_membership_end(
    *,
    membership: HouseholdMembership,
    end_date: datetime.date,
    agency: Agency,
    recorded_by: Practitioner | None = None,
    request: HttpRequest | None = None,
) -> HouseholdDisagreement | None:
    """Record that a person moved out. The agency's own account (or an arbitrating practitioner's change) ends the
    membership; another agency's account stands, and the disagreement is flagged and returned."""
    dates_in_order(
        membership.start_date, end_date, _("The date someone moved out cannot be before the date they moved in.")
    )
    not_future("end_date", end_date, _("The date someone moved out cannot be in the future."))
    if membership.end_date == end_date:
        return None
    if _is_own(membership, agency, recorded_by):
        _membership_end(membership, end_date, agency, recorded_by, request)
        return None
    return _disagreement_flag(
        standing=membership,
        kind=DisagreementKind.MOVED_OUT,
        agency=agency,
        actor=recorded_by,
        request=request,
        claimed_end_date=end_date,
    )


@transaction.atomic
def household_disagreement_resolve(
    *,
    disagreement: HouseholdDisagreement,
    resolved_by: Practitioner,
    resolution: str,
    request: HttpRequest | None = None,
) -> HouseholdDisagreement:
    """The lead practitioner (or the front door) records how a disagreement was settled; the accounts themselves
    are changed with the membership services, which let an arbitrating practitioner's change stand."""
    if not _arbitrates(resolved_by):
        raise PermissionDenied(_("Only the front door and lead practitioners resolve disagreements."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the disagreement was resolved.")})
    if disagreement.resolved_at is not None:
        return disagreement
    disagreement.resolved_by = resolved_by
    disagreement.resolved_at = timezone.now()
    disagreement.resolution = resolution.strip()
    disagreement.save(update_fields=["resolved_by", "resolved_at", "resolution"])
    audit(
        actor=resolved_by,
        person=disagreement.person,
        action=AuditAction.UPDATE,
        page="household-disagreement",
        agency=disagreement.claimed_by_agency,
        request=request,
        disagreement=disagreement.pk,
        resolved=True,
    )
    return disagreement
