"""Changes to rules and alerts, each in one transaction.

`rule_save` writes a rule's next version (a change is never an edit in place). `risk_evaluate` runs the live rules
for the people something landed about (or for everyone: the rescan) and turns what fires into alerts:
one open alert per rule and pattern; a pattern that fires again with events the alert has not seen escalates
the open alert, or raises a new one once the last was closed; the same events never raise a second alert.
Owners acknowledge and close alerts with an outcome and a reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.access.rule import can_see_detail
from cylch.accounts.models import Agency, Practitioner
from cylch.audit.models import AuditAction
from cylch.audit.services import audit_write_record
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.core.working_days import working_deadline
from cylch.linkage.services import PersonDetails, source_record_receive
from cylch.notifications.services import lazy_message, notification_queue
from cylch.people.models import Involvement, Person
from cylch.risk.definitions import Definition, definition_parse
from cylch.risk.engine import Firing, firings
from cylch.risk.fhir import NoShow
from cylch.risk.models import (
    Alert,
    AlertEvent,
    AlertOutcome,
    AlertStatus,
    AlertSubject,
    FollowUp,
    ReceivedAppointment,
    RiskRule,
    RiskRuleVersion,
)
from cylch.risk.permissions import can_act_on_alert, can_edit_rules


@transaction.atomic
def rule_save(
    *,
    code: str,
    name: str,
    rationale: str,
    research: str,
    definition: Any,
    active: bool,
    lead_agency: Agency | None = None,
    change_note: str = "",
    user: Practitioner | None = None,
) -> RiskRuleVersion:
    """Write the next version of rule `code` (its first creates the rule). `user` None is the system's own load."""
    if user is not None and not can_edit_rules(user):
        raise PermissionDenied(_("Only a board officer can change risk rules."))
    try:
        definition_parse(definition)
    except ValidationError as error:
        raise ValidationError({"definition": error.messages}) from error
    rule, _created = RiskRule.objects.select_for_update().get_or_create(code=code)
    latest = rule.versions.order_by("-number").values_list("number", flat=True).first() or 0
    if latest and not change_note.strip():
        raise ValidationError({"change_note": _("Say what changed and why.")})
    version = RiskRuleVersion(
        rule=rule,
        number=latest + 1,
        name=name,
        rationale=rationale,
        research=research,
        definition=definition,
        lead_agency=lead_agency,
        active=active,
        change_note=change_note,
        created_by=user,
    )
    version.full_clean(exclude=["rule"])
    version.save()
    rule.current = version
    rule.save(update_fields=["current"])
    return version


def live_versions() -> list[tuple[RiskRuleVersion, Definition]]:
    """The current version of every live rule, with its parsed definition."""
    versions = RiskRuleVersion.objects.filter(active=True, rule__current=F("pk")).select_related("rule", "lead_agency")
    return [(v, definition_parse(v.definition)) for v in versions.order_by("rule__code")]


@dataclass
class EvaluationResult:
    raised: list[Alert] = field(default_factory=list)
    escalated: list[Alert] = field(default_factory=list)


def _involved_practitioners(person_ids: Iterable[int], day: datetime.date) -> list[Practitioner]:
    involvements = (
        Involvement.objects.filter(person_id__in=list(person_ids), practitioner__isnull=False, start_date__lte=day)
        .exclude(end_date__lt=day)
        .select_related("practitioner")
    )
    return list(
        {
            i.practitioner.pk: i.practitioner for i in involvements if i.practitioner and i.practitioner.is_active
        }.values()
    )


def _tell(alert: Alert, *, escalated: bool) -> None:
    """The involved practitioners and the owning agency hear of it; the message names no one (it is email)."""
    day = timezone.localdate()
    subject = (
        _("A cumulative-risk alert has escalated")
        if escalated
        else _("A cumulative-risk alert concerns a child you work with")
    )
    body = lazy_message(
        _("Alert %(number)s (%(rule)s) needs acknowledging by %(due)s. Sign in to Cylch to see why it fired."),
        number=alert.pk,
        rule=alert.version.name,
        due=timezone.localtime(alert.acknowledge_due_at).strftime("%d/%m/%Y %H:%M"),
    )
    recipients: list[tuple[Practitioner | None, str]] = [
        (p, p.email) for p in _involved_practitioners(alert.subjects.values_list("person_id", flat=True), day)
    ]
    if alert.owner_agency is not None:
        recipients.append((None, alert.owner_agency.email))
    for recipient, email in recipients:
        notification_queue(
            recipient=recipient,
            email=email,
            template="risk_alert",
            subject=subject,
            body=body,
            personalisation={"alert": alert.pk, "level": alert.level},
            dedupe_key=f"risk-alert:{alert.pk}:{alert.level}:{email}",
        )


def _raise(version: RiskRuleVersion, definition: Definition, firing: Firing, now: datetime.datetime) -> Alert:
    alert = Alert.objects.create(
        rule=version.rule,
        version=version,
        pattern_key=firing.key,
        household_id=firing.household_id,
        score=firing.score,
        owner_agency=version.lead_agency,
        raised_at=now,
        acknowledge_due_at=working_deadline(now, definition.acknowledge_working_days),
        act_due_at=working_deadline(now, definition.act_working_days),
    )
    AlertSubject.objects.bulk_create(AlertSubject(alert=alert, person_id=pk) for pk in firing.subject_ids)
    AlertEvent.objects.bulk_create(AlertEvent(alert=alert, event_id=pk, added_at=now) for pk in firing.event_ids)
    _tell(alert, escalated=False)
    return alert


def _escalate(alert: Alert, firing: Firing, new_events: set[int], now: datetime.datetime) -> Alert:
    alert.level += 1
    alert.escalated_at = now
    alert.score = firing.score
    alert.save(update_fields=["level", "escalated_at", "score"])
    AlertEvent.objects.bulk_create(
        AlertEvent(alert=alert, event_id=pk, level=alert.level, added_at=now) for pk in sorted(new_events)
    )
    known = set(alert.subjects.values_list("person_id", flat=True))
    AlertSubject.objects.bulk_create(
        AlertSubject(alert=alert, person_id=pk) for pk in firing.subject_ids if pk not in known
    )
    _tell(alert, escalated=True)
    return alert


def _apply(version: RiskRuleVersion, definition: Definition, found: list[Firing], result: EvaluationResult) -> None:
    """Alerts for what fired: two queries for the whole batch, then one write per pattern that changed."""
    if not found:
        return
    keys = [f.key for f in found]
    alerts = Alert.objects.filter(rule=version.rule, pattern_key__in=keys)
    open_alerts = {
        a.pattern_key: a for a in alerts.exclude(status=AlertStatus.CLOSED).select_related("version", "owner_agency")
    }
    seen: dict[str, set[int]] = {}
    for key, event_id in AlertEvent.objects.filter(alert__in=alerts).values_list("alert__pattern_key", "event_id"):
        seen.setdefault(key, set()).add(event_id)
    now = timezone.now()
    for firing in found:
        new_events = set(firing.event_ids) - seen.get(firing.key, set())
        if not new_events:
            continue
        current = open_alerts.get(firing.key)
        if current is None:
            result.raised.append(_raise(version, definition, firing, now))
        else:
            result.escalated.append(_escalate(current, firing, new_events, now))


@transaction.atomic
def risk_evaluate(*, people: Iterable[int] | None = None, as_of: datetime.datetime | None = None) -> EvaluationResult:
    """Run every live rule for the patterns `people` are part of (None: everyone, the rescan) and raise or
    escalate alerts for what fires."""
    result = EvaluationResult()
    subset = None if people is None else sorted(set(people))
    if subset == []:
        return result
    for version, definition in live_versions():
        _apply(version, definition, firings(definition, as_of=as_of, people=subset), result)
    return result


def _lock_for(alert: Alert, user: Practitioner) -> Alert:
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if not can_act_on_alert(user, locked):
        raise PermissionDenied(_("Only the alert's owner can do that."))
    if locked.status == AlertStatus.CLOSED:
        raise ValidationError(_("This alert is already closed."))
    return locked


@transaction.atomic
def alert_acknowledge(*, alert: Alert, user: Practitioner) -> Alert:
    alert = _lock_for(alert, user)
    if alert.status == AlertStatus.OPEN:
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_by = user
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    return alert


@transaction.atomic
def alert_close(*, alert: Alert, user: Practitioner, outcome: str, reason: str) -> Alert:
    """Close with what was done and why; acknowledging first is implied (whoever closes it has seen it)."""
    if outcome not in AlertOutcome.values:
        raise ValidationError({"outcome": _("Select what was done.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Enter why the alert can be closed.")})
    alert = _lock_for(alert, user)
    now = timezone.now()
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = user, now
    alert.status = AlertStatus.CLOSED
    alert.outcome = outcome
    alert.outcome_reason = reason.strip()
    alert.closed_by, alert.closed_at = user, now
    alert.save()
    return alert


@dataclass(frozen=True)
class AppointmentReceipt:
    no_show: NoShow
    event: ChronologyEvent
    created: bool


def _receive_one(
    *, agency: Agency, no_show: NoShow, user: Practitioner, request: HttpRequest | None
) -> AppointmentReceipt:
    known = ReceivedAppointment.objects.filter(agency=agency, key=no_show.key).select_related("event").first()
    if known is not None:
        return AppointmentReceipt(no_show, known.event, created=False)
    # The child as this agency knows them, linked as any source record is (a possible match goes to review).
    receipt = source_record_receive(
        agency=agency,
        local_id=f"nhs-number:{no_show.nhs_number}",
        details=PersonDetails(nhs_number=no_show.nhs_number),
        practitioner=user,
        request=request,
    )
    now = timezone.now()
    event = ChronologyEvent.objects.create(
        person=receipt.source_record.person,
        source_record=receipt.source_record,
        agency=agency,
        recorded_by=user,
        kind=EventKind.WAS_NOT_BROUGHT,
        occurred_at=no_show.start,
        recorded_at=now,
        summary=str(_("Was not brought: %(service)s") % {"service": no_show.service})[:500],
        details={"service": no_show.service, "source": "fhir", "appointment": no_show.key},
    )
    ReceivedAppointment.objects.create(agency=agency, key=no_show.key, event=event, received_at=now)
    return AppointmentReceipt(no_show, event, created=True)


@transaction.atomic
def appointments_receive(
    *, agency: Agency, no_shows: list[NoShow], user: Practitioner, request: HttpRequest | None = None
) -> list[AppointmentReceipt]:
    """Each no-show becomes a Was Not Brought on the child linkage finds (all or none); a re-send (the agency's
    same key) finds the event the first one made. The rules run once the transaction commits."""
    receipts = []
    for no_show in no_shows:
        try:
            with transaction.atomic():
                receipts.append(_receive_one(agency=agency, no_show=no_show, user=user, request=request))
        except IntegrityError:  # the same appointment, sent twice at once: the first one stands
            known = ReceivedAppointment.objects.select_related("event").get(agency=agency, key=no_show.key)
            receipts.append(AppointmentReceipt(no_show, known.event, created=False))
    return receipts


@transaction.atomic
def was_not_brought_record(
    *,
    user: Practitioner,
    person: Person,
    occurred_on: datetime.date,
    service: str,
    follow_up: str,
    request: HttpRequest | None = None,
) -> ChronologyEvent:
    """A practitioner records a child not brought to their service's appointment, and what they did about it.
    The rules run once it commits, as for an appointment sent over FHIR; the entry is on the audit chain."""
    if user.agency is None or not can_see_detail(user=user, person=person):
        raise PermissionDenied(_("Only a practitioner working with the child can record this."))
    if follow_up not in FollowUp.values:
        raise ValidationError({"follow_up": _("Select what you did.")})
    if not service.strip():
        raise ValidationError({"service": _("Enter the service the appointment was with.")})
    now = timezone.now()
    if occurred_on > timezone.localdate(now):
        raise ValidationError({"occurred_on": _("The appointment must be today or in the past.")})
    midday = timezone.make_aware(datetime.datetime.combine(occurred_on, datetime.time(12)))
    event = ChronologyEvent.objects.create(
        person=person,
        agency=user.agency,
        recorded_by=user,
        kind=EventKind.WAS_NOT_BROUGHT,
        occurred_at=min(midday, now),
        recorded_at=now,
        summary=str(_("Was not brought: %(service)s") % {"service": service.strip()})[:500],
        details={"service": service.strip()[:200], "follow_up": follow_up, "source": "manual"},
    )
    audit_write_record(
        practitioner=user,
        person=person,
        action=AuditAction.CREATE,
        page="was-not-brought",
        details={"event": event.pk, "follow_up": follow_up},
        request=request,
    )
    return event
