"""Disagreements between agencies' accounts of where someone lives and who someone is to them: flagged, never
overwritten, until the front door or the lead practitioner settles them.

Settling says whose account stands. The record then follows it through the same ending of a dated fact the
agencies' own changes use (an arbitrating practitioner's change always stands): when the second account stands,
the first account's membership or relationship ends (on the day the second account gives); when the first
stands, a second account of a different address or relationship ends on the day it began (it never held), and
a second account that something ended changes nothing. Every account stays in the history either way.
"""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, Practitioner
from cylch.audit.models import AuditAction
from cylch.feeds.models import (
    AccountStands,
    DisagreementKind,
    HouseholdDisagreement,
    RelationshipDisagreement,
    RelationshipDisagreementKind,
)
from cylch.feeds.services.common import arbitrates, audit, dated_fact_end
from cylch.people.models import HouseholdMembership, Relationship

AnyDisagreement = HouseholdDisagreement | RelationshipDisagreement
D = TypeVar("D", HouseholdDisagreement, RelationshipDisagreement)

PAGES: dict[type[AnyDisagreement], str] = {
    HouseholdDisagreement: "household-disagreement",
    RelationshipDisagreement: "relationship-disagreement",
}


def disagreement_flag(
    model: type[D],
    *,
    standing: HouseholdMembership | Relationship,
    kind: str,
    agency: Agency,
    actor: Practitioner | None,
    request: HttpRequest | None,
    **claim: Any,
) -> D:
    """Flag the second account `claim` (the agency's own membership or relationship, or `claimed_end_date`)
    against `standing`, once: the same claim re-sent while it waits is the same disagreement."""
    disagreement, created = model.objects.get_or_create(
        person=standing.person,
        kind=kind,
        standing=standing,
        claimed_by_agency=agency,
        resolved_at__isnull=True,
        defaults={"claimed_by": actor},
        **claim,
    )
    if created:
        audit(
            actor=actor,
            person=standing.person,
            action=AuditAction.CREATE,
            page=PAGES[model],
            agency=agency,
            request=request,
            disagreement=disagreement.pk,
            kind=str(kind),
            standing=standing.pk,
        )
    return disagreement


def _end(
    fact: HouseholdMembership | Relationship,
    end_date: datetime.date,
    *,
    actor: Practitioner,
    agency: Agency,
    request: HttpRequest | None,
) -> None:
    if fact.end_date is not None:
        return
    if isinstance(fact, HouseholdMembership):
        page, key = "household-membership", "membership"
        message = _("The date someone moved out cannot be before the date they moved in.")
    else:
        page, key = "relationship", "relationship"
        message = _("A relationship cannot end before it started.")
    dated_fact_end(
        fact,
        end_date=max(end_date, fact.start_date) if fact.start_date else end_date,
        before_start=message,
        in_future=None,
        page=page,
        key=key,
        agency=agency,
        actor=actor,
        request=request,
    )


def _settle(
    disagreement: AnyDisagreement, stands: str, actor: Practitioner, agency: Agency, request: HttpRequest | None
) -> None:
    """Make the record follow the account that stands (see the module's description)."""
    today = timezone.localdate()
    if isinstance(disagreement, HouseholdDisagreement):
        claimed: HouseholdMembership | Relationship | None = disagreement.claimed_membership
        differs = disagreement.kind == DisagreementKind.DIFFERENT_ADDRESS
    else:
        claimed = disagreement.claimed_relationship
        differs = disagreement.kind == RelationshipDisagreementKind.DIFFERENT_KIND
    if stands == AccountStands.SECOND:
        if differs and claimed is not None:
            day = claimed.start_date if isinstance(claimed, HouseholdMembership) else today
            _end(disagreement.standing, day or today, actor=actor, agency=agency, request=request)
        elif disagreement.claimed_end_date is not None:
            _end(disagreement.standing, disagreement.claimed_end_date, actor=actor, agency=agency, request=request)
    elif differs and claimed is not None:
        _end(claimed, claimed.start_date or today, actor=actor, agency=agency, request=request)


@transaction.atomic
def disagreement_resolve(
    *,
    disagreement: AnyDisagreement,
    resolved_by: Practitioner,
    stands: str,
    resolution: str,
    request: HttpRequest | None = None,
) -> AnyDisagreement:
    """The lead practitioner (or the front door) says whose account stands and why; the record follows it and
    the disagreement is closed, on the audit chain. Resolving one already resolved changes nothing."""
    if not arbitrates(resolved_by):
        raise PermissionDenied(_("Only the front door and lead practitioners resolve disagreements."))
    errors: dict[str, str] = {}
    if stands not in AccountStands.values:
        errors["stands"] = _("Select whose account stands.")
    if not resolution.strip():
        errors["resolution"] = _("Say how the disagreement was resolved.")
    if errors:
        raise ValidationError(errors)
    disagreement = type(disagreement).objects.select_for_update().get(pk=disagreement.pk)
    if disagreement.resolved_at is not None:
        return disagreement
    agency = resolved_by.agency or disagreement.claimed_by_agency
    _settle(disagreement, stands, resolved_by, agency, request)
    disagreement.resolved_by = resolved_by
    disagreement.resolved_at = timezone.now()
    disagreement.resolution = resolution.strip()
    disagreement.stands = stands
    disagreement.save(update_fields=["resolved_by", "resolved_at", "resolution", "stands"])
    audit(
        actor=resolved_by,
        person=disagreement.person,
        action=AuditAction.UPDATE,
        page=PAGES[type(disagreement)],
        agency=agency,
        request=request,
        disagreement=disagreement.pk,
        resolved=True,
        stands=stands,
    )
    return disagreement
