"""Households over time, and disagreements between agencies about who lives where."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, LocalAuthority, Practitioner
from cylch.audit.models import AuditAction
from cylch.feeds.models import DisagreementKind, HouseholdDisagreement
from cylch.feeds.services.common import arbitrates, audit, dated_fact_end, dates_in_order, not_future, survivor
from cylch.feeds.services.disagreements import disagreement_flag
from cylch.people.models import (
    Household,
    HouseholdMembership,
    Person,
)
from cylch.people.text import normalise_postcode
from cylch.people.validators import validate_postcode


def _moved_out_before_in() -> str:
    return _("The date someone moved out cannot be before the date they moved in.")


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


def _is_own(membership: HouseholdMembership, agency: Agency, actor: Practitioner | None) -> bool:
    return membership.recorded_by_agency_id == agency.pk or arbitrates(actor)


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
    dates_in_order(start_date, end_date, _moved_out_before_in())
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
            disagreement_flag(
                HouseholdDisagreement,
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
    dated_fact_end(
        membership,
        end_date=end_date,
        before_start=_moved_out_before_in(),
        in_future=_("The date someone moved out cannot be in the future."),
        page="household-membership",
        key="membership",
        agency=agency,
        actor=actor,
        request=request,
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
    if _is_own(membership, agency, recorded_by):
        _membership_end(membership, end_date, agency, recorded_by, request)
        return None
    dates_in_order(membership.start_date, end_date, _moved_out_before_in())
    not_future("end_date", end_date, _("The date someone moved out cannot be in the future."))
    if membership.end_date == end_date:
        return None
    return disagreement_flag(
        HouseholdDisagreement,
        standing=membership,
        kind=DisagreementKind.MOVED_OUT,
        agency=agency,
        actor=recorded_by,
        request=request,
        claimed_end_date=end_date,
    )
