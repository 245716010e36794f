"""Access beyond need-to-know: requesting access to a record, deciding requests, and breaking glass.

Each is audited in the same transaction, and the record's lead agency is told through the notification
outbox in that transaction too, so a grant is never made without its notice.
The lead agency is children's services when involved, otherwise the longest-standing involvement; a
child no agency is involved with has no lead agency, so the front-door managers of the child's area are
told instead (any front-door manager if the area is unknown or has none).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.access.models import AccessGrant, GrantKind, GrantReview, GrantStatus, ReviewOutcome
from cylch.access.rule import active_involvements, can_see_detail
from cylch.accounts.models import Agency, AgencyKind, LocalAuthority, Practitioner, RoleCode
from cylch.accounts.permissions import can_read_access_log
from cylch.audit.models import AuditAction
from cylch.audit.services import audit_write_record
from cylch.notifications.services import notification_queue
from cylch.people.models import HouseholdMembership, Person, StatutoryStatus

BREAK_GLASS_HOURS = int(getattr(settings, "CYLCH_BREAK_GLASS_HOURS", 24))
REQUEST_DAYS = int(getattr(settings, "CYLCH_ACCESS_REQUEST_DAYS", 30))
MINIMUM_REASON_LENGTH = 10


def lead_agency(*, person: Person) -> Agency | None:
    """Children's services when involved, otherwise the longest-standing current involvement."""
    found = list(active_involvements().filter(person=person).select_related("agency").order_by("start_date", "pk"))
    for involvement in found:
        if involvement.agency.kind == AgencyKind.CHILDRENS_SERVICES:
            return involvement.agency
    return found[0].agency if found else None


def child_local_authority(*, person: Person) -> LocalAuthority | None:
    """The council area the child lives in today: their household's, else that of a current statutory status."""
    today = timezone.localdate()
    membership = (
        HouseholdMembership.objects.filter(person=person, start_date__lte=today)
        .exclude(end_date__lt=today)
        .select_related("household__local_authority")
        .order_by("-start_date", "-pk")
        .first()
    )
    if membership is not None:
        return membership.household.local_authority
    status = (
        StatutoryStatus.objects.filter(person=person, start_date__lte=today)
        .exclude(end_date__lt=today)
        .select_related("local_authority")
        .order_by("-start_date", "-pk")
        .first()
    )
    return status.local_authority if status is not None else None


def front_door_managers(*, person: Person) -> list[Practitioner]:
    """Who hears of access to a record no agency leads on: the front-door managers of the child's area, else all."""
    managers = Practitioner.objects.filter(is_active=True, roles__code=RoleCode.FRONT_DOOR_MANAGER).exclude(email="")
    area = child_local_authority(person=person)
    local = list(managers.filter(agency__local_authority=area).distinct()) if area is not None else []
    return local or list(managers.distinct())


def _notify(grant: AccessGrant, subject: str) -> None:
    """Tell the lead agency; with no lead agency (or no address for it), the front-door managers instead."""
    body = (
        f"{grant.practitioner.get_full_name()} ({grant.practitioner.agency or '-'}) — {grant.get_kind_display()} "
        f"for Cylch ID {grant.person.cylch_id}.\nReason: {grant.reason}\n"
    )
    personalisation = {"cylch_id": grant.person.cylch_id, "grant": grant.pk}
    agency = grant.lead_agency
    if agency is not None and agency.email:
        notification_queue(
            email=agency.email,
            template=f"access_{grant.kind}",
            subject=subject,
            body=body,
            personalisation=personalisation,
        )
        return
    for manager in front_door_managers(person=grant.person):
        notification_queue(
            email=manager.email,
            recipient=manager,
            template=f"access_{grant.kind}",
            subject=subject,
            body=body,
            personalisation=personalisation,
        )


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < MINIMUM_REASON_LENGTH:
        raise ValidationError({"reason": _("Explain why you need to see this record.")})
    return reason


@transaction.atomic
def access_request_create(
    *, user: Practitioner, person: Person, reason: str, request: HttpRequest | None = None
) -> AccessGrant:
    grant = AccessGrant.objects.create(
        person=person,
        practitioner=user,
        kind=GrantKind.REQUEST,
        reason=_clean_reason(reason),
        lead_agency=lead_agency(person=person),
    )
    audit_write_record(
        practitioner=user,
        person=person,
        action=AuditAction.ACCESS_REQUEST,
        page="access-request",
        reason=grant.reason,
        details={"grant": grant.pk},
        request=request,
    )
    _notify(grant, "Cylch: request to see a child's record")
    return grant


@transaction.atomic
def access_request_decide(
    *, grant: AccessGrant, decided_by: Practitioner, approve: bool, reason: str = "", request: HttpRequest | None = None
) -> AccessGrant:
    """A practitioner of the lead agency (or the front door) approves or refuses a pending request."""
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.kind != GrantKind.REQUEST or grant.status != GrantStatus.PENDING:
        raise ValidationError("This request has already been decided.")
    if decided_by.pk == grant.practitioner_id or not can_see_detail(user=decided_by, person=grant.person):
        raise PermissionDenied
    now = timezone.now()
    grant.status = GrantStatus.APPROVED if approve else GrantStatus.REFUSED
    grant.decided_by, grant.decided_at, grant.decision_reason = decided_by, now, reason.strip()
    grant.expires_at = now + datetime.timedelta(days=REQUEST_DAYS) if approve else None
    grant.save()
    audit_write_record(
        practitioner=decided_by,
        person=grant.person,
        action=AuditAction.ACCESS_DECISION,
        page="access-request",
        reason=grant.decision_reason,
        details={"grant": grant.pk, "approved": approve},
        request=request,
    )
    return grant


@transaction.atomic
def break_glass(*, user: Practitioner, person: Person, reason: str, request: HttpRequest | None = None) -> AccessGrant:
    """Emergency access, active at once for a few hours; the lead agency is told and it is audited."""
    grant = AccessGrant.objects.create(
        person=person,
        practitioner=user,
        kind=GrantKind.BREAK_GLASS,
        status=GrantStatus.APPROVED,  # granted at once; reviewed afterwards by the lead agency
        reason=_clean_reason(reason),
        lead_agency=lead_agency(person=person),
        expires_at=timezone.now() + datetime.timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit_write_record(
        practitioner=user,
        person=person,
        action=AuditAction.BREAK_GLASS,
        page="break-glass",
        reason=grant.reason,
        details={"grant": grant.pk, "expires_at": grant.expires_at.isoformat() if grant.expires_at else None},
        request=request,
    )
    _notify(grant, "Cylch: emergency access to a child's record (break glass)")
    return grant


@transaction.atomic
def grant_review_record(
    *, grant: AccessGrant, reviewer: Practitioner, outcome: str, note: str, request: HttpRequest | None = None
) -> GrantReview:
    """Information governance's outcome on a break-glass use or an approved request, once, with a note; it goes
    on the chain against the child, so the record's own history shows the access was looked at."""
    if not can_read_access_log(reviewer) or reviewer.pk == grant.practitioner_id:
        raise PermissionDenied
    if outcome not in ReviewOutcome.values:
        raise ValidationError({"outcome": _("Choose whether the access was appropriate.")})
    if not note.strip():
        raise ValidationError({"note": _("Enter the reason for your decision")})
    grant = AccessGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.status != GrantStatus.APPROVED or GrantReview.objects.filter(grant=grant).exists():
        raise ValidationError(_("This access has already been reviewed."))
    review = GrantReview.objects.create(grant=grant, outcome=outcome, note=note.strip(), reviewed_by=reviewer)
    audit_write_record(
        practitioner=reviewer,
        person=grant.person,
        action=AuditAction.ACCESS_DECISION,
        page="access-review",
        reason=review.note,
        details={"grant": grant.pk, "review": outcome, "of": grant.practitioner_id},
        request=request,
    )
    return review
