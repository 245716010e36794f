"""Front-door performance figures for the metrics page and its CSV export (counts only, no personal data)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, OuterRef
from django.utils import timezone

from cylch.accounts.models import AgencyKind
from cylch.concerns.models import (
    Challenge,
    ChallengeStatus,
    Concern,
    ConcernKind,
    ConcernSubject,
    Outcome,
    SubjectRole,
    ThresholdDecision,
)
from cylch.concerns.selectors import Metrics

RE_REFERRAL_WINDOW = datetime.timedelta(days=365)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def front_door_metrics(*, since: datetime.date, until: datetime.date) -> Metrics:
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time.min))
    concerns = Concern.objects.filter(received_at__gte=start, received_at__lt=end)
    by_kind = {row["kind"]: row["n"] for row in concerns.values("kind").annotate(n=Count("pk"))}
    by_source = {
        row["referrer_agency__kind"]: row["n"]
        for row in concerns.values("referrer_agency__kind").annotate(n=Count("pk"))
    }
    # Plain values, not model instances, and one query per figure: a year's concerns run to tens of thousands.
    latest: dict[int, str] = {}
    decisions = ThresholdDecision.objects.filter(concern__in=concerns).order_by("concern_id", "decided_at", "pk")
    for concern_id, outcome in decisions.values_list("concern_id", "outcome"):
        latest[concern_id] = outcome  # the last one read is the concern's current decision
    outcomes = Counter(latest.values())
    decided = on_time = still_open = still_open_overdue = feedback_due = feedback_on_time = 0
    now = timezone.now()
    today = timezone.localdate()
    for decided_at, decision_due_at, feedback_sent_at, feedback_due_on in concerns.values_list(
        "decided_at", "decision_due_at", "feedback_sent_at", "feedback_due_on"
    ):
        # Timeliness is out of the concerns decided; those still open are counted beside it (and how many of
        # them are past their deadline), so a backlog cannot hide behind a good percentage.
        if decided_at is None:
            still_open += 1
            still_open_overdue += decision_due_at <= now
        else:
            decided += 1
            on_time += decided_at <= decision_due_at
        if feedback_sent_at is not None or feedback_due_on <= today:
            feedback_due += 1
            feedback_on_time += bool(
                feedback_sent_at and timezone.localtime(feedback_sent_at).date() <= feedback_due_on
            )
    # A concern is a re-referral if a child in it was the subject of another concern in the 12 months before it.
    earlier = ConcernSubject.objects.filter(
        person_id=OuterRef("person_id"),
        role=SubjectRole.CHILD,
        concern__received_at__lt=OuterRef("concern__received_at"),
        concern__received_at__gte=ExpressionWrapper(
            OuterRef("concern__received_at") - RE_REFERRAL_WINDOW, output_field=DateTimeField()
        ),
    )
    re_referrals = (
        ConcernSubject.objects.filter(concern__in=concerns, role=SubjectRole.CHILD, person__isnull=False)
        .filter(Exists(earlier))
        .values("concern_id")
        .distinct()
        .count()
    )
    return Metrics(
        since=since,
        until=until,
        total=concerns.count(),
        by_kind=[(str(label), by_kind.get(value, 0)) for value, label in ConcernKind.choices],
        by_source=[(str(label), by_source[value]) for value, label in AgencyKind.choices if by_source.get(value)],
        by_outcome=[(str(label), outcomes.get(value, 0)) for value, label in Outcome.choices],
        decided_within_one_day=_percent(on_time, decided),
        feedback_within_seven_days=_percent(feedback_on_time, feedback_due),
        re_referrals_12_months=re_referrals,
        open_challenges=Challenge.objects.filter(status=ChallengeStatus.OPEN).count(),
        decided=decided,
        decided_in_time=on_time,
        feedback_due=feedback_due,
        feedback_in_time=feedback_on_time,
        still_open=still_open,
        still_open_overdue=still_open_overdue,
    )
