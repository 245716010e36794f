"""Front-door performance figures for the metrics page and its CSV export (counts only, no personal data)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, OuterRef, QuerySet
from django.utils import timezone

from cylch.accounts.models import Agency, AgencyKind
from cylch.concerns.models import (
    Challenge,
    ChallengeStatus,
    Concern,
    ConcernKind,
    ConcernSubject,
    InformationRequest,
    Outcome,
    SubjectRole,
    ThresholdDecision,
)
from cylch.concerns.selectors import AgencyRequests, Metrics
from cylch.core.templatetags.govuk import localised_name

RE_REFERRAL_WINDOW = datetime.timedelta(days=365)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def information_requests_counted(requests: QuerySet[InformationRequest], today: datetime.date) -> list[AgencyRequests]:
    """Each asked agency's requests: made, answered, due by `today` (answered, or past the due date) and late
    among those (answered after the due date, or still unanswered after it). One count for the front-door figures
    and the 12Cs facts, so the two cannot disagree."""
    counts: dict[int, list[int]] = {}
    for agency_id, due_on, responded_at in requests.values_list("agency_id", "due_on", "responded_at"):
        answered_on = timezone.localtime(responded_at).date() if responded_at else None
        made, answered, due, late = counts.setdefault(agency_id, [0, 0, 0, 0])
        is_due = answered_on is not None or due_on < today
        counts[agency_id] = [
            made + 1,
            answered + (answered_on is not None),
            due + is_due,
            late + (is_due and (answered_on is None or answered_on > due_on)),
        ]
    agencies = Agency.objects.in_bulk(list(counts))
    return sorted(
        (
            AgencyRequests(agency_id, localised_name(agencies[agency_id]), *figures)
            for agency_id, figures in counts.items()
        ),
        key=lambda row: row.agency_name,
    )


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
    requests = information_requests_counted(
        InformationRequest.objects.filter(requested_at__gte=start, requested_at__lt=end), today
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
        requests_by_agency=requests,
        requests_made=sum(row.made for row in requests),
        requests_due=sum(row.due for row in requests),
        requests_late=sum(row.late for row in requests),
    )
