"""Changes to rules and alerts, each in one transaction.

`rule_save` writes a rule's next version (a change is never an edit in place). `risk_evaluate` runs the live rules
for the people something landed about (or for everyone: the rescan) and turns what fires into alerts:
one open alert per rule and pattern; a pattern that fires again with events the alert has not seen escalates
the open alert, or raises a new one once the last was closed; the same events never raise a second alert.
Owners acknowledge and close alerts with an outcome and a reason.
"""

from __future__ import annotations

import datetime
import functools
import json
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.access.rule import can_see_detail
from cylch.accounts.models import Agency, Practitioner
from cylch.audit.models import AuditAction
from cylch.audit.services import audit_write_record
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.concerns.models import Concern
from cylch.core.working_days import working_deadline
from cylch.linkage.services import PersonDetails, source_record_receive
from cylch.notifications.services import lazy_message, notification_queue
from cylch.people.models import ADULT_AGE, Involvement, Person
from cylch.risk.definitions import Definition, definition_parse
from cylch.risk.engine import KEY_CHUNK, Firing, firings, firings_among, household_snapshot, months_before
from cylch.risk.factors import KINDS_READ, factors_shown, source_of
from cylch.risk.fhir import NoShow
from cylch.risk.models import (
    Alert,
    AlertEvent,
    AlertOutcome,
    AlertStatus,
    AlertSubject,
    FollowUp,
    ReceivedAppointment,
    RiskFactor,
    RiskRule,
    RiskRuleVersion,
    WasNotBroughtFollowUp,
)
from cylch.risk.permissions import can_act_on_alert, can_edit_rules

logger = logging.getLogger(__name__)


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
    name_cy: str = "",
    rationale_cy: str = "",
    research_cy: str = "",
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
        name_cy=name_cy,
        rationale_cy=rationale_cy,
        research_cy=research_cy,
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


# Every evaluation runs every live rule, and rules change rarely (a board officer's edit), so they are read once and
# kept: forgotten when a rule or version is saved in this process (again when that commits) and read afresh after
# LIVE_RULES_SECONDS, so a change saved by another process (a web worker, the worker) is used within that time.
LIVE_RULES_SECONDS = 10.0


@dataclass
class _LiveRules:
    versions: list[tuple[RiskRuleVersion, Definition]] | None = None
    read_at: float = 0.0
    changing: Any = None  # the on-commit callback of a change saved here and not yet committed
    read_during: Any = None  # the change `versions` were read inside (kept only while it is uncommitted)


_live = _LiveRules()


def live_rules_forget() -> None:
    """A rule changed: the next evaluation reads the live rules again, and what it reads inside the changing
    transaction is kept only until that transaction ends (a rollback must not leave them behind)."""
    _live.versions = None

    def committed() -> None:
        _live.versions = None
        if _live.changing is committed:
            _live.changing = None

    _live.changing = committed
    transaction.on_commit(committed)  # outside a transaction it runs now


def live_versions() -> list[tuple[RiskRuleVersion, Definition]]:
    """The current version of every live rule, with its parsed definition: kept between evaluations (above)."""
    changing = _live.changing
    if changing is not None and not any(entry[1] is changing for entry in connection.run_on_commit):
        _live.changing = changing = None  # rolled back (a commit would have run it)
    fresh = time.monotonic() - _live.read_at < LIVE_RULES_SECONDS
    if _live.versions is not None and _live.read_during is changing and fresh:
        return _live.versions
    versions = RiskRuleVersion.objects.filter(active=True, rule__current=F("pk")).select_related("rule", "lead_agency")
    live = [(v, _parsed(json.dumps(v.definition, sort_keys=True))) for v in versions.order_by("rule__code")]
    _live.versions, _live.read_at, _live.read_during = live, time.monotonic(), changing
    return live


@functools.lru_cache(maxsize=256)
def _parsed(definition: str) -> Definition:
    """A version's definition parsed once per process (an evaluation runs every live rule; parsing is not free)."""
    return definition_parse(json.loads(definition))


@dataclass
class EvaluationResult:
    raised: list[Alert] = field(default_factory=list)
    escalated: list[Alert] = field(default_factory=list)


def _involved_practitioners(
    person_ids: Iterable[int], day: datetime.date, involvements: dict[int, tuple[int, ...]] | None = None
) -> dict[int, list[Practitioner]]:
    """The active practitioners involved with each of `person_ids` on `day`: from `involvements` (person: their
    practitioners' ids, as the household snapshot read them) or read here; the practitioners only if there are any."""
    ids = list(person_ids)
    if involvements is None:
        current = Involvement.objects.filter(person_id__in=ids, practitioner__isnull=False, start_date__lte=day)
        pairs = list(current.exclude(end_date__lt=day).values_list("person_id", "practitioner_id"))
    else:
        pairs = [(pk, practitioner) for pk in ids for practitioner in involvements.get(pk, ())]
    involved: dict[int, list[Practitioner]] = defaultdict(list)
    if not pairs:
        return involved
    active = Practitioner.objects.filter(is_active=True).in_bulk({practitioner for _pk, practitioner in pairs})
    for pk, practitioner in pairs:
        if practitioner in active:
            involved[pk].append(active[practitioner])
    return involved


def _insert(
    model: type[Alert | AlertSubject | AlertEvent],
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    *,
    returning: tuple[str, ...] = (),
    skip_duplicates: bool = False,
) -> list[tuple[Any, ...]]:
    """Alerts, or an alert's children or events, written as plain rows (a rescan writes a hundred thousand, and
    building a model instance for each, or Django's bulk insert for the alerts, cost more than inserting them),
    with the `returning` columns of the rows written. `skip_duplicates`: a row a unique constraint turns away is
    left out instead of failing the statement (ON CONFLICT DO NOTHING, PostgreSQL and SQLite alike)."""
    quote = connection.ops.quote_name
    per_statement = max(1, min(5000, (connection.features.max_query_params or 65535) // len(columns)))
    conflict = " ON CONFLICT DO NOTHING" if skip_duplicates else ""
    returned = f" RETURNING {', '.join(quote(c) for c in returning)}" if returning else ""
    written: list[tuple[Any, ...]] = []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        values = ", ".join(f"({', '.join('%s' for _ in columns)})" for _ in chunk)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
                f"VALUES {values}{conflict}{returned}",  # names from the model, values as parameters
                [value for row in chunk for value in row],
            )
            if returning:
                written += cursor.fetchall()
    return written


def _tell(alert: Alert, involved: Iterable[Practitioner], *, escalated: bool) -> None:
    """The practitioners `involved` with the alert's children and the owning agency hear of it; the message names
    no one (it is email)."""
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
    recipients: list[tuple[Practitioner | None, str]] = [(p, p.email) for p in {p.pk: p for p in involved}.values()]
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


# What fired, by rule version: the unit alerts are looked up and written in.
Found = list[tuple[RiskRuleVersion, Definition, list[Firing]]]


def _raise_all(raising: Found, now: datetime.datetime, involvements: dict[int, tuple[int, ...]] | None) -> list[Alert]:
    """A new alert for each firing, written together: three inserts for any number of alerts, and the practitioners
    to tell read if any are involved (`involvements`: as the household snapshot read them; None: read here)."""
    due = functools.cache(functools.partial(working_deadline, now))  # the same few deadlines for every alert
    pairs = [(version, definition, firing) for version, definition, fired in raising for firing in fired]
    alerts = [
        Alert(
            rule=version.rule,
            version=version,
            pattern_key=firing.key,
            household_id=firing.household_id,
            score=firing.score,
            owner_agency=version.lead_agency,
            raised_at=now,
            acknowledge_due_at=due(definition.acknowledge_working_days),
            act_due_at=due(definition.act_working_days),
        )
        for version, definition, firing in pairs
    ]
    fields = [f for f in Alert._meta.concrete_fields if not f.primary_key]
    values = [tuple(f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields) for a in alerts]
    # An evaluation running at the same time (two events about one household landing together) may have raised
    # the same alert since this one looked: the one-open-per-pattern constraint turns this copy away, and it is
    # left out here, rather than failing the whole evaluation.
    ids = {
        (rule_id, key): pk
        for pk, rule_id, key in _insert(
            Alert,
            tuple(f.column for f in fields),
            values,
            returning=("id", "rule_id", "pattern_key"),
            skip_duplicates=True,
        )
    }
    written: list[tuple[Alert, Firing]] = []
    for alert, (_v, _d, firing) in zip(alerts, pairs, strict=True):
        if (pk := ids.get((alert.rule_id, alert.pattern_key))) is not None:
            alert.pk, alert._state.adding, alert._state.db = pk, False, connection.alias
            written.append((alert, firing))
    _insert(AlertSubject, ("alert_id", "person_id"), [(a.pk, pk) for a, firing in written for pk in firing.subject_ids])
    added = connection.ops.adapt_datetimefield_value(now)
    _insert(
        AlertEvent,
        ("alert_id", "event_id", "level", "added_at"),
        [(a.pk, pk, 1, added) for a, firing in written for pk in firing.event_ids],
    )
    children = {pk for _alert, firing in written for pk in firing.subject_ids}
    involved = _involved_practitioners(children, timezone.localdate(now), involvements)
    for alert, firing in written:
        _tell(alert, [p for pk in firing.subject_ids for p in involved[pk]], escalated=False)
    return [alert for alert, _firing in written]


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
    involved = _involved_practitioners(known | set(firing.subject_ids), timezone.localdate())
    _tell(alert, [p for practitioners in involved.values() for p in practitioners], escalated=True)
    return alert


def _known_alerts(rules: list[int], keys: list[str]) -> list[tuple[int, int, str, str, int | None]]:
    """The alerts `rules` already have for `keys` (open or closed), one row for each of their events: a statement
    written here, since building the queryset cost more of an evaluation's CPU than the database took to run it."""
    quote = connection.ops.quote_name
    alert, linked = quote(Alert._meta.db_table), quote(AlertEvent._meta.db_table)
    rule_places, key_places = ", ".join("%s" for _ in rules), ", ".join("%s" for _ in keys)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id, a.rule_id, a.pattern_key, a.status, e.event_id FROM {alert} a "  # noqa: S608
            f"LEFT JOIN {linked} e ON e.alert_id = a.id "  # names from the models, values as parameters
            f"WHERE a.rule_id IN ({rule_places}) AND a.pattern_key IN ({key_places})",
            [*rules, *keys],
        )
        rows: list[tuple[int, int, str, str, int | None]] = cursor.fetchall()
    return rows


def _apply(found: Found, result: EvaluationResult, involvements: dict[int, tuple[int, ...]] | None = None) -> None:
    """Alerts for what fired. One query reads the alerts these patterns already have, with their events; when
    every firing's events are known (an evaluation repeated) that is all. Otherwise one transaction writes the new
    alerts together and each open alert that escalates."""
    if not found:
        return
    open_alerts: dict[tuple[int, str], int] = {}
    seen: dict[tuple[int, str], set[int]] = defaultdict(set)
    rules = sorted({version.rule_id for version, _d, _f in found})
    for pk, rule_id, key, status, event_id in _known_alerts(rules, sorted({f.key for _v, _d, fs in found for f in fs})):
        if status != AlertStatus.CLOSED:
            open_alerts[rule_id, key] = pk
        if event_id is not None:
            seen[rule_id, key].add(event_id)
    raising: Found = []
    escalating: list[tuple[int, Firing, set[int]]] = []
    for version, definition, fired in found:
        new = []
        for firing in fired:
            new_events = set(firing.event_ids) - seen[version.rule_id, firing.key]
            if not new_events:
                continue
            if (current := open_alerts.get((version.rule_id, firing.key))) is None:
                new.append(firing)
            else:
                escalating.append((current, firing, new_events))
        if new:
            raising.append((version, definition, new))
    if not raising and not escalating:
        return
    now = timezone.now()
    # One transaction, and no savepoint inside the caller's: nothing in it fails to be recovered from (a duplicate
    # alert is skipped by the database), and a savepoint and its release are two more round trips.
    with transaction.atomic(savepoint=False):
        if escalating:
            alerts = Alert.objects.select_related("version", "owner_agency").in_bulk([pk for pk, _f, _e in escalating])
            result.escalated += [_escalate(alerts[pk], firing, events, now) for pk, firing, events in escalating]
        if raising:
            result.raised += _raise_all(raising, now, involvements)


def risk_evaluate(*, people: Iterable[int] | None = None, as_of: datetime.datetime | None = None) -> EvaluationResult:
    """Run every live rule for the patterns `people` are part of (None: everyone, the rescan) and raise or
    escalate alerts for what fires. For some people, their households' rows are read once and every rule is
    evaluated on them in memory (`engine.firings_among`); the rescan runs each rule's set-based query."""
    result = EvaluationResult()
    subset = None if people is None else sorted(set(people))
    if subset == [] or not (live := live_versions()):
        return result
    now = as_of or timezone.now()
    involvements = None
    if subset is None:
        found = [(version, definition, firings(definition, as_of=now)) for version, definition in live]
    else:
        household = household_snapshot(subset, as_of=now, definitions=[d for _v, d in live])
        found = [(v, d, firings_among(d, household, as_of=now)) for v, d in live]
        involvements = household.involved
    # Only the writes need a transaction (most incremental evaluations write none); a rescan's in chunks.
    for start in range(0, max((len(f) for _v, _d, f in found), default=0), KEY_CHUNK):
        chunk = [(v, d, f[start : start + KEY_CHUNK]) for v, d, f in found if f[start : start + KEY_CHUNK]]
        _apply(chunk, result, involvements)
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
    """A practitioner records a child not brought to their service's appointment, and what they did about it
    (which also answers their service's open follow-up for the child). The rules run once it commits, as for an
    appointment sent over FHIR; the entry is on the audit chain."""
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
    # What the service did answers its open follow-up too: the protocol's ask is met.
    WasNotBroughtFollowUp.objects.filter(person=person, agency=user.agency, done_at__isnull=True).update(
        done_at=now, done_by=user, follow_up=follow_up
    )
    return event


FACTOR_BATCH = 5000


@transaction.atomic
def risk_factors_derive(*, people: Iterable[int] | None = None) -> int:
    """Record the risk factors the chronology shows for `people` (None: everyone, in batches), each against the
    event that shows it; an event already read is not read again. Returns how many factor rows were written."""
    events = ChronologyEvent.objects.filter(kind__in=list(KINDS_READ))
    read = RiskFactor.objects.all()
    if people is not None:
        ids = sorted(set(people))
        events, read = events.filter(person_id__in=ids), read.filter(person_id__in=ids)
    events = events.exclude(pk__in=read.values("event_id"))
    rows = events.values_list(
        "pk", "person_id", "person__date_of_birth", "agency_id", "kind", "occurred_at", "details"
    ).order_by("pk")
    written = 0
    batch: list[tuple[int, int, datetime.date | None, int | None, str, datetime.datetime, Any]] = []
    for row in rows.iterator(chunk_size=FACTOR_BATCH):
        batch.append(row)
        if len(batch) >= FACTOR_BATCH:
            written += _factors_write(batch)
            batch = []
    return written + (_factors_write(batch) if batch else 0)


def _factors_write(rows: list[tuple[int, int, datetime.date | None, int | None, str, datetime.datetime, Any]]) -> int:
    """The factors a batch of events shows; a decision reads the categories of the concern it decided."""
    references = {
        d.get("concern")
        for *_rest, kind, _at, d in rows
        if kind == EventKind.THRESHOLD_DECISION and isinstance(d, dict)
    }
    categories_of = dict(
        Concern.objects.filter(reference__in=[r for r in references if isinstance(r, str)]).values_list(
            "reference", "categories"
        )
    )
    factors = []
    for pk, person_id, born, agency_id, kind, occurred_at, details in rows:
        details = details if isinstance(details, dict) else {}
        day = timezone.localtime(occurred_at).date()
        adult = born is not None and born <= months_before(day, ADULT_AGE * 12)
        if kind == EventKind.THRESHOLD_DECISION:
            categories = categories_of.get(str(details.get("concern")), [])
        else:
            categories = details.get("categories", [])
        shown = factors_shown(
            kind,
            adult=adult,
            categories=[c for c in categories if isinstance(c, str)] if isinstance(categories, list) else [],
            outcome=details.get("outcome"),
        )
        factors += [
            RiskFactor(
                person_id=person_id,
                kind=factor,
                source=source_of(kind),
                event_id=pk,
                agency_id=agency_id,
                observed_on=day,
            )
            for factor in shown
        ]
    return len(RiskFactor.objects.bulk_create(factors, ignore_conflicts=True))


# The Was Not Brought protocol: twice within this window from one service, and that service follows up within
# this many working days.
FOLLOW_UP_WINDOW_DAYS = 183
FOLLOW_UP_WORKING_DAYS = 5


@transaction.atomic
def was_not_brought_follow_ups_raise(*, people: Iterable[int] | None = None) -> list[WasNotBroughtFollowUp]:
    """For each child in `people` not brought twice within the window to one service's appointments, a follow-up
    that service owes, due in FOLLOW_UP_WORKING_DAYS; a further miss joins the open follow-up. A miss the service
    recorded with what it did about it needs no follow-up of its own. The service hears of it through the outbox.
    Returns the follow-ups raised. `people` None: every child with a miss in the window (the rescan)."""
    now = timezone.now()
    in_window = ChronologyEvent.objects.filter(
        kind=EventKind.WAS_NOT_BROUGHT,
        agency__isnull=False,
        occurred_at__gte=now - datetime.timedelta(days=FOLLOW_UP_WINDOW_DAYS),
        occurred_at__lte=now,
    )
    ids = sorted(set(in_window.values_list("person_id", flat=True) if people is None else people))
    missed = (
        in_window.filter(person_id__in=ids)
        .order_by("occurred_at", "pk")
        .values_list("pk", "person_id", "agency_id", "details")
    )
    groups: dict[tuple[int, int], list[tuple[int, Any]]] = {}
    for pk, person_id, agency_id, details in missed:
        groups.setdefault((person_id, agency_id), []).append((pk, details))
    groups = {key: events for key, events in groups.items() if len(events) >= 2}
    if not groups:
        return []
    covered = set(
        WasNotBroughtFollowUp.events.through.objects.filter(
            chronologyevent_id__in=[pk for events in groups.values() for pk, _d in events]
        ).values_list("chronologyevent_id", flat=True)
    )
    open_ones = {
        (f.person_id, f.agency_id): f
        for f in WasNotBroughtFollowUp.objects.filter(person_id__in=ids, done_at__isnull=True).select_related("agency")
    }
    raised = []
    for (person_id, agency_id), events in groups.items():
        new = [pk for pk, _d in events if pk not in covered]
        latest = events[-1][1]
        if not new or (isinstance(latest, dict) and latest.get("follow_up")):
            continue
        current = open_ones.get((person_id, agency_id))
        if current is None:
            current = WasNotBroughtFollowUp.objects.create(
                person_id=person_id,
                agency_id=agency_id,
                raised_at=now,
                due_at=working_deadline(now, FOLLOW_UP_WORKING_DAYS),
            )
            current.events.add(*[pk for pk, _d in events])
            raised.append(current)
            _tell_follow_up(current)
        else:
            current.events.add(*new)
    return raised


def _tell_follow_up(follow_up: WasNotBroughtFollowUp) -> None:
    """The booking service's shared address hears that a follow-up is due; the message names no one (email)."""
    agency = Agency.objects.get(pk=follow_up.agency_id)
    notification_queue(
        email=agency.email,
        template="risk_was_not_brought_follow_up",
        subject=_("A child was not brought to your service twice: follow-up due"),
        body=lazy_message(
            _("Follow-up %(number)s is due by %(due)s. Sign in to Cylch to see the child and record what you did."),
            number=follow_up.pk,
            due=timezone.localtime(follow_up.due_at).strftime("%d/%m/%Y %H:%M"),
        ),
        personalisation={"follow_up": follow_up.pk},
        dedupe_key=f"risk-wnb-follow-up:{follow_up.pk}",
    )


@transaction.atomic
def was_not_brought_follow_up_record(
    *, user: Practitioner, person: Person, follow_up: str, note: str = ""
) -> WasNotBroughtFollowUp:
    """The booking service records what it did about the child's missed appointments: closes its open follow-up."""
    if follow_up not in FollowUp.values:
        raise ValidationError({"follow_up": _("Select what you did.")})
    if user.agency_id is None or not can_see_detail(user=user, person=person):
        raise PermissionDenied(_("Only a practitioner working with the child can record this."))
    due = (
        WasNotBroughtFollowUp.objects.select_for_update()
        .filter(person=person, agency_id=user.agency_id, done_at__isnull=True)
        .first()
    )
    if due is None:
        raise ValidationError(_("Your service has no follow-up due for this child."))
    due.done_at, due.done_by, due.follow_up, due.note = timezone.now(), user, follow_up, note.strip()
    due.save(update_fields=["done_at", "done_by", "follow_up", "note"])
    return due


def people_evaluate(ids: list[int]) -> bool:
    """Every risk step for `ids` (factors, Was Not Brought follow-ups, the rules), as when something about them has
    committed: on commit for a practitioner's write, on the worker for a fed batch. Each step runs on its own, so a
    failing step does not stop the next (the nightly rescan does what it missed); False if any failed."""
    succeeded = True
    for step in (risk_factors_derive, was_not_brought_follow_ups_raise, risk_evaluate):
        try:
            step(people=ids)
        except Exception:  # what came before has committed; the rescan covers this step
            logger.exception("Risk step %s failed for people %s", step.__name__, ids)
            succeeded = False
    return succeeded
