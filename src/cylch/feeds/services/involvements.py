"""Involvements: an agency working with a person, which is what grants its practitioners detail access."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, Practitioner, Team
from cylch.accounts.permissions import is_front_door
from cylch.audit.models import AuditAction
from cylch.feeds.services.common import audit, dated_fact_end, survivor
from cylch.people.models import (
    Involvement,
    Person,
)

MAX_ROLE = 120


def _may_change_involvement(actor: Practitioner | None, agency: Agency) -> None:
    """Involvement grants detail access, so a practitioner cannot give their own agency one: the front door's
    allocations and an agency's own system write them (request access and break glass are the other ways in)."""
    if actor is None or is_front_door(actor) or (actor.is_system_account and actor.agency_id == agency.pk):
        return
    raise PermissionDenied(
        _("Only the front door's allocations and the agency's own system change involvements: request access instead.")
    )


@transaction.atomic
def involvement_open(
    *,
    person: Person,
    agency: Agency,
    start_date: datetime.date,
    team: Team | None = None,
    practitioner: Practitioner | None = None,
    role: str = "",
    opened_by: Practitioner | None = None,
    request: HttpRequest | None = None,
) -> Involvement:
    """Start `agency`'s work with a person (which lets its casework practitioners see the child's detail).
    The same agency, team and start date already open is the same involvement, returned unchanged."""
    _may_change_involvement(opened_by, agency)
    person = survivor(person)
    if team is not None and team.agency_id != agency.pk:
        raise ValidationError({"team": _("This team is not part of the agency.")})
    if practitioner is not None and practitioner.agency_id != agency.pk:
        raise ValidationError({"practitioner": _("This practitioner does not work for the agency.")})
    if len(role) > MAX_ROLE:
        raise ValidationError({"role": _("Use %(limit)s characters or fewer.") % {"limit": MAX_ROLE}})
    existing = Involvement.objects.filter(
        person=person, agency=agency, team=team, start_date=start_date, end_date__isnull=True
    ).first()
    if existing is not None:
        return existing
    involvement = Involvement.objects.create(
        person=person,
        agency=agency,
        team=team,
        practitioner=practitioner,
        role=role,
        start_date=start_date,
        recorded_by_agency=opened_by.agency if opened_by is not None and opened_by.agency else agency,
        recorded_by=opened_by,
        recorded_at=timezone.now(),
    )
    audit(
        actor=opened_by,
        person=person,
        action=AuditAction.CREATE,
        page="involvement-open",
        agency=agency,
        request=request,
        involvement=involvement.pk,
        start_date=start_date.isoformat(),
        team=team.pk if team else None,
        practitioner=practitioner.pk if practitioner else None,
    )
    return involvement


@transaction.atomic
def involvement_close(
    *,
    involvement: Involvement,
    end_date: datetime.date,
    closed_by: Practitioner | None = None,
    request: HttpRequest | None = None,
) -> Involvement:
    """End an agency's work with a person: from the day after `end_date` it no longer grants detail access."""
    _may_change_involvement(closed_by, involvement.agency)
    dated_fact_end(
        involvement,
        end_date=end_date,
        before_start=_("An involvement cannot end before it started."),
        in_future=None,
        page="involvement-close",
        key="involvement",
        agency=involvement.agency,
        actor=closed_by,
        request=request,
    )
    return involvement
