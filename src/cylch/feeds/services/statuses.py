"""Child protection register and looked-after status, each change with its chronology event."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, AgencyKind, LocalAuthority, Practitioner
from cylch.audit.models import AuditAction
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.feeds.services.common import audit, dated_fact_end, not_future, survivor
from cylch.feeds.services.events import chronology_event_record
from cylch.people.models import (
    Person,
    RegisterCategory,
    StatusKind,
    StatutoryStatus,
)


def _local_authority_only(agency: Agency) -> None:
    """The register and care are the local authority's decisions: other agencies learn of them, never record them."""
    if agency.kind != AgencyKind.CHILDRENS_SERVICES:
        raise PermissionDenied(
            _("Only the local authority's children's services record register and looked-after status.")
        )


_STARTED = {
    StatusKind.CHILD_PROTECTION_REGISTER: EventKind.REGISTERED,
    StatusKind.LOOKED_AFTER: EventKind.BECAME_LOOKED_AFTER,
}
_ENDED = {
    StatusKind.CHILD_PROTECTION_REGISTER: EventKind.DEREGISTERED,
    StatusKind.LOOKED_AFTER: EventKind.CEASED_LOOKED_AFTER,
}


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _status_event(
    status: StatutoryStatus,
    kind: EventKind,
    day: datetime.date,
    agency: Agency,
    actor: Practitioner | None,
    request: HttpRequest | None,
) -> ChronologyEvent:
    label = str(kind.label)
    if status.category:
        label = f"{label}: {RegisterCategory(status.category).label}"
    return chronology_event_record(
        person=status.person,
        agency=agency,
        kind=kind,
        occurred_at=max(_start_of(day), _start_of(status.person.date_of_birth or day)),
        summary=label,
        details={"status": status.pk, "local_authority": status.local_authority_id},
        recorded_by=actor,
        request=request,
    )


@transaction.atomic
def statutory_status_start(
    *,
    person: Person,
    kind: str,
    local_authority: LocalAuthority,
    start_date: datetime.date,
    agency: Agency,
    category: str = "",
    recorded_by: Practitioner | None = None,
    request: HttpRequest | None = None,
) -> StatutoryStatus:
    """Place a child on the register (with its category) or record them as looked after, with its chronology
    event. The same status already current from the same date is returned unchanged. Only children's services
    (the local authority) record them."""
    person = survivor(person)
    _local_authority_only(agency)
    if kind not in StatusKind.values:
        raise ValidationError({"kind": _("Choose the child protection register or looked after.")})
    if kind == StatusKind.CHILD_PROTECTION_REGISTER and category not in RegisterCategory.values:
        raise ValidationError({"category": _("Registration needs a category of abuse: NEG, PHY, SAB, EMO or MUL.")})
    if kind == StatusKind.LOOKED_AFTER and category:
        raise ValidationError({"category": _("Only registration has a category of abuse.")})
    not_future("start_date", start_date, _("The start date cannot be in the future."))
    current = StatutoryStatus.objects.filter(person=person, kind=kind, end_date__isnull=True).first()
    if current is not None:
        if current.start_date == start_date:
            return current
        raise ValidationError(
            {"start_date": _("This status is already current, since %(date)s.") % {"date": current.start_date}}
        )
    status = StatutoryStatus.objects.create(
        person=person,
        kind=kind,
        category=category,
        local_authority=local_authority,
        start_date=start_date,
        recorded_by_agency=agency,
        recorded_by=recorded_by,
        recorded_at=timezone.now(),
    )
    audit(
        actor=recorded_by,
        person=person,
        action=AuditAction.CREATE,
        page="statutory-status",
        agency=agency,
        request=request,
        status=status.pk,
        kind=kind,
        start_date=start_date.isoformat(),
    )
    _status_event(status, _STARTED[StatusKind(kind)], start_date, agency, recorded_by, request)
    return status


@transaction.atomic
def statutory_status_end(
    *,
    status: StatutoryStatus,
    end_date: datetime.date,
    agency: Agency,
    recorded_by: Practitioner | None = None,
    request: HttpRequest | None = None,
) -> StatutoryStatus:
    """Remove a child from the register or record that they stopped being looked after, with its event."""
    _local_authority_only(agency)
    ended = dated_fact_end(
        status,
        end_date=end_date,
        before_start=_("A status cannot end before it started."),
        in_future=_("The end date cannot be in the future."),
        page="statutory-status",
        key="status",
        agency=agency,
        actor=recorded_by,
        request=request,
    )
    if ended:
        _status_event(status, _ENDED[StatusKind(status.kind)], end_date, agency, recorded_by, request)
    return status
