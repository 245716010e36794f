"""Front-door performance figures for the metrics page and its CSV export (counts only, no personal data)."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count
from django.utils import timezone

from cylch.accounts.models import AgencyKind
from cylch.concerns.models import Challenge, ChallengeStatus, Concern, ConcernKind, ConcernSubject, Outcome, SubjectRole
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
    outcomes: Counter[str] = Counter()
    decision_due = on_time = feedback_due = feedback_on_time = 0
    now = timezone.now()
    today = timezone.localdate()
    for concern in concerns.prefetch_related("decisions"):
        decisions = sorted(concern.decisions.all(), key=lambda d: (d.decided_at, d.pk))
        if decisions:
            outcomes[decisions[-1].outcome] += 1
        # A concern still undecided past its deadline was not decided in time; one not yet due is not counted.
        if concern.decided_at is not None or concern.decision_due_at <= now:
            decision_due += 1
            on_time += concern.decided_at is not None and concern.decided_at <= concern.decision_due_at
        if concern.feedback_sent_at is not None or concern.feedback_due_on <= today:
            feedback_due += 1
            feedback_on_time += bool(
                concern.feedback_sent_at
                and timezone.localtime(concern.feedback_sent_at).date() <= concern.feedback_due_on
            )
    re_referrals = 0
    children = ConcernSubject.objects.filter(
        concern__in=concerns, role=SubjectRole.CHILD, person__isnull=False
    ).values_list("concern_id", "person_id", "concern__received_at")
    counted: set[int] = set()
    for concern_id, person_id, received_at in children:
        if concern_id in counted:
            continue
        earlier = ConcernSubject.objects.filter(
            person_id=person_id,
            role=SubjectRole.CHILD,
            concern__received_at__lt=received_at,
            concern__received_at__gte=received_at - RE_REFERRAL_WINDOW,
        )
        if earlier.exists():
            counted.add(concern_id)
            re_referrals += 1
    return Metrics(
        since=since,
        until=until,
        total=concerns.count(),
        by_kind=[(str(label), by_kind.get(value, 0)) for value, label in ConcernKind.choices],
        by_source=[(str(label), by_source[value]) for value, label in AgencyKind.choices if by_source.get(value)],
        by_outcome=[(str(label), outcomes.get(value, 0)) for value, label in Outcome.choices],
        decided_within_one_day=_percent(on_time, decision_due),
        feedback_within_seven_days=_percent(feedback_on_time, feedback_due),
        re_referrals_12_months=re_referrals,
        open_challenges=Challenge.objects.filter(status=ChallengeStatus.OPEN).count(),
    )
