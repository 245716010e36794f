"""Reads: rules and their history, the try-before-live report, alerts for their owner and on a child's record.

Every read that shows a child goes through `cylch.access.reads`: an alert's explanation is shown to a reader who
may see at least one child it concerns; anyone else learns only that an alert exists and whom to contact.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.access.reads import Reading, reading
from cylch.accounts.models import Agency, AgencyKind, Practitioner
from cylch.accounts.permissions import is_front_door
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.concerns.selectors import DecisionCheck
from cylch.people.models import HouseholdMembership, Person, StatutoryStatus
from cylch.risk.definitions import definition_parse
from cylch.risk.engine import firings
from cylch.risk.factors import CIN_ASSESSMENT_FACTORS, CURRENT_FOR_DAYS, group_of
from cylch.risk.fhir import Contact, FlagOut
from cylch.risk.models import (
    Alert,
    AlertOutcome,
    AlertStatus,
    AlertSubject,
    RiskFactor,
    RiskFactorKind,
    RiskFactorSource,
    RiskRule,
    RiskRuleVersion,
    WasNotBroughtFollowUp,
)

# A primary key beyond this is no row's (and would overflow the database's integer).
MAX_PK = 2**63 - 1


def rule_list() -> QuerySet[RiskRule]:
    return RiskRule.objects.select_related("current", "current__lead_agency").order_by("code")


def rule_get(*, code: str) -> RiskRule:
    return rule_list().get(code=code)


def rule_versions(*, rule: RiskRule) -> QuerySet[RiskRuleVersion]:
    return rule.versions.select_related("created_by", "lead_agency").order_by("-number")


@dataclass(frozen=True)
class TrialAlert:
    """An alert the rule would have raised: on whom, when first, and how often it would have escalated."""

    key: str
    subject_ids: tuple[int, ...]
    first_at: datetime.datetime
    escalations: int


@dataclass
class TrialReport:
    since: datetime.date
    until: datetime.date
    alerts: list[TrialAlert] = field(default_factory=list)
    # Each alert with its children, and whether the reader may open each child's record.
    rows: list[tuple[TrialAlert, list[tuple[Person, bool]]]] = field(default_factory=list)

    @property
    def children(self) -> int:
        return len({pk for alert in self.alerts for pk in alert.subject_ids})


def rule_trial(
    *,
    user: Practitioner,
    definition: object,
    since: datetime.date,
    until: datetime.date,
    step_days: int = 7,
    request: HttpRequest | None = None,
) -> TrialReport:
    """How many alerts a definition would have raised on the region's history, and on whom: the rule is evaluated
    as at the end of every `step_days` from `since` to `until`, deduplicated and escalated as live alerts are
    (an alert is taken to close once its pattern stops firing). The children are shown under the access rule."""
    parsed = definition_parse(definition)
    report = TrialReport(since=since, until=until)
    open_keys: dict[str, TrialAlert] = {}
    seen: dict[str, set[int]] = {}
    day = since
    while day <= until:
        as_of = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
        fired = {f.key: f for f in firings(parsed, as_of=as_of)}
        for key in set(open_keys) - set(fired):
            report.alerts.append(open_keys.pop(key))
        for key, firing in fired.items():
            new = set(firing.event_ids) - seen.setdefault(key, set())
            seen[key] |= new
            if not new:
                continue
            current = open_keys.get(key)
            if current is None:
                open_keys[key] = TrialAlert(key, firing.subject_ids, as_of, 0)
            else:
                subjects = tuple(sorted(set(current.subject_ids) | set(firing.subject_ids)))
                open_keys[key] = TrialAlert(key, subjects, current.first_at, current.escalations + 1)
        day += datetime.timedelta(days=step_days)
    report.alerts += open_keys.values()
    report.alerts.sort(key=lambda a: (a.first_at, a.key))
    people = Person.objects.in_bulk({pk for a in report.alerts for pk in a.subject_ids})
    with reading(user=user, page="risk-rule-trial", request=request) as read:
        disclosure = read.decide(people.values())
    report.rows = [
        (alert, [(people[pk], disclosure.allows(pk)) for pk in alert.subject_ids]) for alert in report.alerts
    ]
    return report


def _open() -> Q:
    return ~Q(status=AlertStatus.CLOSED)


def front_door_contacts(person_ids: list[int]) -> list[Agency]:
    """Children's services for the local authorities the children live in: the front door to contact."""
    authorities = HouseholdMembership.objects.filter(person_id__in=person_ids, end_date__isnull=True).values(
        "household__local_authority"
    )
    return list(Agency.objects.filter(kind=AgencyKind.CHILDRENS_SERVICES, local_authority__in=authorities))


@dataclass(frozen=True)
class AlertSummary:
    """An alert as a list shows it: the explanation's headline only to a reader who may see a child it concerns."""

    alert: Alert
    subjects: list[Person]
    detail: bool
    contacts: list[Agency]


def _summaries(alerts: list[Alert], read: Reading) -> list[AlertSummary]:
    subjects = {alert.pk: [s.person for s in alert.subjects.all()] for alert in alerts}
    disclosure = read.decide(p for people in subjects.values() for p in people)
    return [
        AlertSummary(
            alert=alert,
            subjects=subjects[alert.pk],
            detail=any(disclosure.allows(p) for p in subjects[alert.pk]),
            contacts=[alert.owner_agency]
            if alert.owner_agency
            else front_door_contacts([p.pk for p in subjects[alert.pk]]),
        )
        for alert in alerts
    ]


def _alerts() -> QuerySet[Alert]:
    return Alert.objects.select_related("rule", "version", "owner_agency").prefetch_related("subjects__person")


def alert_worklist(*, user: Practitioner, request: HttpRequest | None = None) -> list[AlertSummary]:
    """Open alerts the user's agency owns (and, at the front door, those owned by the front door), due first."""
    owned = Q(owner_agency_id=user.agency_id) if user.agency_id else Q(pk__in=[])
    if is_front_door(user):
        owned |= Q(owner_agency__isnull=True)
    alerts = list(_alerts().filter(_open() & owned).order_by("acknowledge_due_at", "pk"))
    with reading(user=user, page="risk-alert-worklist", request=request) as read:
        return _summaries(alerts, read)


def alerts_on_record(*, person: Person) -> list[Alert]:
    """Open alerts concerning `person`, for their single view (whose own read decided and logged what is shown)."""
    return list(
        Alert.objects.filter(_open(), subjects__person=person)
        .select_related("version", "owner_agency")
        .order_by("-raised_at")
    )


@dataclass(frozen=True)
class TimelinePoint:
    x: float
    event: ChronologyEvent


@dataclass(frozen=True)
class AlertDetail:
    summary: AlertSummary
    events: list[ChronologyEvent]
    timeline: list[TimelinePoint]
    timeline_width: int
    timeline_start: datetime.date | None
    timeline_end: datetime.date | None


TIMELINE_WIDTH = 600
TIMELINE_MARGIN = 20


def timeline_points(events: list[ChronologyEvent], width: int = TIMELINE_WIDTH) -> list[TimelinePoint]:
    """Each event's x position between the margins, by date (one event sits in the middle)."""
    if not events:
        return []
    first, last = events[0].occurred_at, events[-1].occurred_at
    span = (last - first).total_seconds()
    inner = width - 2 * TIMELINE_MARGIN
    return [
        TimelinePoint(
            x=round(
                TIMELINE_MARGIN + (inner * (e.occurred_at - first).total_seconds() / span if span else inner / 2), 1
            ),
            event=e,
        )
        for e in events
    ]


def alert_detail(*, user: Practitioner, pk: int, request: HttpRequest | None = None) -> AlertDetail:
    """One alert: the rule, its version and rationale, the events with agencies and dates on a timeline, for a
    reader who may see a child it concerns; a notice and whom to contact for anyone else.
    Raises Alert.DoesNotExist for an unknown id."""
    if not 0 < pk <= MAX_PK:
        raise Alert.DoesNotExist
    alert = _alerts().get(pk=pk)
    with reading(user=user, page="risk-alert", request=request) as read:
        [summary] = _summaries([alert], read)
        if not summary.detail:
            return AlertDetail(summary, [], [], TIMELINE_WIDTH, None, None)
        events = list(
            ChronologyEvent.objects.filter(risk_alerts=alert)
            .select_related("agency", "person")
            .order_by("occurred_at", "pk")
        )
        read.decide(e.person for e in events)  # the household members whose events explain the alert
    return AlertDetail(
        summary=summary,
        events=events,
        timeline=timeline_points(events),
        timeline_width=TIMELINE_WIDTH,
        timeline_start=timezone.localtime(events[0].occurred_at).date() if events else None,
        timeline_end=timezone.localtime(events[-1].occurred_at).date() if events else None,
    )


def _contact(agency: Agency | None) -> Contact | None:
    if agency is None:
        return None
    return Contact(key=f"agency-{agency.pk}", name=agency.name, phone=agency.phone, email=agency.email)


def flags_for_nhs_number(*, user: Practitioner, nhs_number: str, request: HttpRequest | None = None) -> list[FlagOut]:
    """A child's active flags for a health system, as NHS England's CP-IS shares them: on the register (with the
    category), looked after, an open cumulative-risk alert (that one exists, not why), each with the responsible
    authority's children's services to contact. Audited like a view; an unknown number is logged as a search that
    found no one."""
    person = Person.objects.filter(nhs_number=nhs_number, merged_into__isnull=True, destroyed_at__isnull=True).first()
    with reading(user=user, page="fhir-flag", request=request) as read:
        if person is None:
            read.refuse(details={"search": "nhs_number", "found": False})
            return []
        read.decide([person])
    today = timezone.localdate()
    statuses = (
        StatutoryStatus.objects.filter(person=person, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("local_authority")
        .order_by("start_date", "pk")
    )
    services = {
        a.local_authority_id: a
        for a in Agency.objects.filter(kind=AgencyKind.CHILDRENS_SERVICES).order_by("-pk")
        if a.local_authority_id in {s.local_authority_id for s in statuses}
    }
    flags = [
        FlagOut(
            key=f"status-{status.pk}",
            code=status.kind,
            text=str(status.get_kind_display()),
            start=status.start_date,
            contact=_contact(services.get(status.local_authority_id)),
            category=(status.category, str(status.get_category_display())) if status.category else None,
        )
        for status in statuses
    ]
    for alert in alerts_on_record(person=person):
        owner = alert.owner_agency or next(iter(front_door_contacts([person.pk])), None)
        flags.append(
            FlagOut(
                key=f"alert-{alert.pk}",
                code="risk_alert",
                text=str(_("A cumulative-risk alert is open")),
                start=timezone.localtime(alert.raised_at).date(),
                contact=_contact(owner),
            )
        )
    return flags


@dataclass(frozen=True)
class CountRow:
    label: str
    count: int
    share: float  # of the largest row, for the bar's length


@dataclass(frozen=True)
class RuleFigures:
    name: str
    raised: int
    still_open: int
    median_hours_to_acknowledge: float | None
    median_hours_to_close: float | None


@dataclass(frozen=True)
class Dashboard:
    since: datetime.date
    rules: list[RuleFigures]
    outcomes: list[CountRow]
    was_not_brought_by_service: list[CountRow]
    was_not_brought_by_area: list[CountRow]


def _rows(pairs: list[tuple[str, int]]) -> list[CountRow]:
    top = max((count for _label, count in pairs), default=0) or 1
    return [
        CountRow(label, count, round(count / top, 3)) for label, count in sorted(pairs, key=lambda p: (-p[1], p[0]))
    ]


def _median_hours(durations: list[datetime.timedelta]) -> float | None:
    if not durations:
        return None
    ordered = sorted(d.total_seconds() for d in durations)
    middle = len(ordered) // 2
    seconds = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return round(seconds / 3600, 1)


def risk_dashboard(*, since: datetime.date) -> Dashboard:
    """The partnership's figures since a day: alerts by rule with the median time to acknowledge and to close,
    outcomes, and Was Not Brought by service and by area (the local authority the child lives in). Counts only."""
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    alerts = list(
        Alert.objects.filter(raised_at__gte=start)
        .select_related("rule__current")
        .only(
            "rule__current__name",
            "rule__current__name_cy",
            "status",
            "outcome",
            "raised_at",
            "acknowledged_at",
            "closed_at",
        )
    )
    by_rule: dict[str, list[Alert]] = {}
    for alert in alerts:
        by_rule.setdefault(alert.rule.current.label if alert.rule.current else alert.rule.code, []).append(alert)
    rules = [
        RuleFigures(
            name=name,
            raised=len(group),
            still_open=sum(a.is_open for a in group),
            median_hours_to_acknowledge=_median_hours(
                [a.acknowledged_at - a.raised_at for a in group if a.acknowledged_at]
            ),
            median_hours_to_close=_median_hours([a.closed_at - a.raised_at for a in group if a.closed_at]),
        )
        for name, group in sorted(by_rule.items())
    ]
    labels = dict(AlertOutcome.choices)
    outcomes: dict[str, int] = {}
    for alert in alerts:
        if alert.outcome:
            outcomes[str(labels[alert.outcome])] = outcomes.get(str(labels[alert.outcome]), 0) + 1
    missed = ChronologyEvent.objects.filter(kind=EventKind.WAS_NOT_BROUGHT, occurred_at__gte=start)
    by_service = missed.values_list("details__service").annotate(n=Count("pk"))
    by_area = (
        missed.filter(person__household_memberships__end_date__isnull=True)
        .values_list("person__household_memberships__household__local_authority__name")
        .annotate(n=Count("pk", distinct=True))
    )
    return Dashboard(
        since=since,
        rules=rules,
        outcomes=_rows(list(outcomes.items())),
        was_not_brought_by_service=_rows([(str(s or _("Not recorded")), n) for s, n in by_service]),
        was_not_brought_by_area=_rows([(str(a), n) for a, n in by_area]),
    )


def dashboard_csv_rows(dashboard: Dashboard) -> list[list[str]]:
    """The dashboard as one table: section, label and figures, for a spreadsheet."""
    rows = [["section", "label", "count", "open", "median_hours_to_acknowledge", "median_hours_to_close"]]
    for rule in dashboard.rules:
        rows.append(
            [
                "alerts_by_rule",
                rule.name,
                str(rule.raised),
                str(rule.still_open),
                "" if rule.median_hours_to_acknowledge is None else str(rule.median_hours_to_acknowledge),
                "" if rule.median_hours_to_close is None else str(rule.median_hours_to_close),
            ]
        )
    for section, counted in (
        ("outcomes", dashboard.outcomes),
        ("was_not_brought_by_service", dashboard.was_not_brought_by_service),
        ("was_not_brought_by_area", dashboard.was_not_brought_by_area),
    ):
        rows += [[section, row.label, str(row.count), "", "", ""] for row in counted]
    return rows


@dataclass(frozen=True)
class FactorSummary:
    """One risk factor of one person: when it was first and last seen, from what and whom, and whether current."""

    kind: str
    label: str
    group: str
    cin_codes: tuple[str, ...]
    first_seen: datetime.date
    last_seen: datetime.date
    evidence: int
    sources: tuple[str, ...]
    agencies: tuple[Agency, ...]
    current: bool


def risk_factors_of(*, person_ids: list[int], today: datetime.date | None = None) -> dict[int, list[FactorSummary]]:
    """Each person's risk factors, current ones first, then the most recently seen. For a page whose own read has
    already decided, and logged, that the reader sees these people's detail."""
    today = today or timezone.localdate()
    rows: dict[tuple[int, str], list[RiskFactor]] = {}
    for factor in (
        RiskFactor.objects.filter(person_id__in=person_ids).select_related("agency").order_by("observed_on", "pk")
    ):
        rows.setdefault((factor.person_id, factor.kind), []).append(factor)
    labels, source_labels = dict(RiskFactorKind.choices), dict(RiskFactorSource.choices)
    found: dict[int, list[FactorSummary]] = {pk: [] for pk in person_ids}
    for (person_id, kind), evidence in rows.items():
        agencies = {f.agency.pk: f.agency for f in evidence if f.agency is not None}
        last = evidence[-1].observed_on
        found[person_id].append(
            FactorSummary(
                kind=kind,
                label=str(labels.get(kind, kind)),
                group=group_of(kind),
                cin_codes=CIN_ASSESSMENT_FACTORS.get(kind, ()),
                first_seen=evidence[0].observed_on,
                last_seen=last,
                evidence=len(evidence),
                sources=tuple(str(source_labels[s]) for s in dict.fromkeys(f.source for f in evidence)),
                agencies=tuple(agencies.values()),
                current=(today - last).days <= CURRENT_FOR_DAYS,
            )
        )
    for summaries in found.values():
        summaries.sort(key=lambda f: (not f.current, -f.last_seen.toordinal(), f.label))
    return found


@dataclass(frozen=True)
class FollowUpDue:
    follow_up: WasNotBroughtFollowUp
    person: Person
    detail: bool


def follow_ups_due(*, user: Practitioner, request: HttpRequest | None = None) -> list[FollowUpDue]:
    """Follow-ups the user's service owes after a child was not brought twice, due first; each child is shown
    under the access rule (a child the reader may not open is named by Cylch ID only)."""
    if user.agency_id is None:
        return []
    due = list(
        WasNotBroughtFollowUp.objects.filter(agency_id=user.agency_id, done_at__isnull=True)
        .select_related("person")
        .order_by("due_at", "pk")
    )
    with reading(user=user, page="risk-follow-ups", request=request) as read:
        disclosure = read.decide(f.person for f in due)
    return [FollowUpDue(f, f.person, disclosure.allows(f.person)) for f in due]


def follow_up_open(*, user: Practitioner, person: Person) -> WasNotBroughtFollowUp | None:
    """The follow-up the user's service owes this child, if one is open (for a page that has read the child)."""
    if user.agency_id is None:
        return None
    return (
        WasNotBroughtFollowUp.objects.filter(person=person, agency_id=user.agency_id, done_at__isnull=True)
        .prefetch_related("events")
        .first()
    )


@dataclass(frozen=True)
class OwnedWork:
    alerts_open: int
    alerts_overdue: int
    follow_ups_due: int


def owned_work(*, user: Practitioner) -> OwnedWork:
    """How many open alerts the user's agency (and, at the front door, the front door) owns, how many are past
    their acknowledge-by time, and the Was Not Brought follow-ups the agency owes: counts only, no one named."""
    owned = Q(owner_agency_id=user.agency_id) if user.agency_id else Q(pk__in=[])
    if is_front_door(user):
        owned |= Q(owner_agency__isnull=True)
    alerts = Alert.objects.filter(_open() & owned)
    overdue = alerts.filter(acknowledged_at__isnull=True, acknowledge_due_at__lt=timezone.now())
    follow_ups = WasNotBroughtFollowUp.objects.filter(agency=user.agency, done_at__isnull=True)
    return OwnedWork(
        alerts_open=alerts.count(),
        alerts_overdue=overdue.count(),
        follow_ups_due=follow_ups.count() if user.agency is not None else 0,
    )


def decision_checks_alerts(*, children: dict[int, str]) -> list[DecisionCheck]:
    """For the front door's decision page: each child's open (or acknowledged, not closed) cumulative-risk alert."""
    subjects = AlertSubject.objects.filter(person_id__in=children).exclude(alert__status=AlertStatus.CLOSED)
    return [
        DecisionCheck(check="open_alert", child=children[subject.person_id], detail=subject.alert.version.label)
        for subject in subjects.select_related("alert__version").order_by("person_id", "alert__raised_at")
    ]
