"""Evaluating a rule: one aggregate query over the events in its window, for everyone or for a few people.

The same query serves the full rescan (`people=None`), the incremental evaluation when an event lands (`people`
= whoever it is about: only their own patterns, or their households', are looked at) and the try-before-live
report (`as_of` moved back through the region's history). Counting, distinct agencies, age, status and weights
are all done by the database (GROUP BY ... HAVING); Python only reads back the few patterns that fire and the
events that made them fire.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.concerns.models import Outcome
from cylch.people.models import ADULT_AGE, HouseholdMembership, Person, StatutoryStatus
from cylch.risk.definitions import Definition, Matcher, Score, Signal, Subject

# Concern-like events, and the threshold decisions that take a concern above the threshold for statutory action.
CONCERN_KINDS = (EventKind.CONCERN, EventKind.INFORMATION_SHARING, EventKind.REFERRAL, EventKind.WAS_NOT_BROUGHT)
STATUTORY_OUTCOMES = (Outcome.CARE_AND_SUPPORT_ASSESSMENT, Outcome.STRATEGY_DISCUSSION, Outcome.IMMEDIATE_PROTECTION)


@dataclass(frozen=True)
class Firing:
    """A pattern that fires: its key (`p:<person>` or `h:<household>`), the children it concerns, its events."""

    key: str
    household_id: int | None
    subject_ids: tuple[int, ...]
    event_ids: tuple[int, ...]
    score: int | None


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` earlier (the last day of a shorter month): 29 Feb 2024 less 12 months is 28 Feb 2023."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def _current_on(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def subjects(subject: Subject, day: datetime.date) -> QuerySet[Person]:
    """Live children who meet the rule's age, unborn and status conditions on `day`."""
    child = Q(is_unborn=True) | Q(date_of_birth__gt=months_before(day, ADULT_AGE * 12))
    live = Q(merged_into__isnull=True, destroyed_at__isnull=True, date_of_death__isnull=True)
    either: list[Q] = []
    if subject.max_age_months is not None:
        either.append(Q(date_of_birth__gt=months_before(day, subject.max_age_months)))
    if subject.unborn:
        either.append(Q(is_unborn=True))
    if subject.statuses:
        holding = StatutoryStatus.objects.filter(_current_on(day), person=OuterRef("pk"), kind__in=subject.statuses)
        either.append(Q(Exists(holding)))
    return Person.objects.filter(live & child & (reduce(or_, either) if either else Q()))


def below_threshold_events() -> QuerySet[ChronologyEvent, Any]:
    """Concern events the front door did not take to statutory action (undecided ones included)."""
    statutory = ChronologyEvent.objects.filter(
        person_id=OuterRef("person_id"),
        kind=EventKind.THRESHOLD_DECISION,
        details__concern=OuterRef("details__concern"),
        details__outcome__in=list(STATUTORY_OUTCOMES),
    )
    return ChronologyEvent.objects.filter(kind__in=CONCERN_KINDS).exclude(Exists(statutory)).values("pk")


def _matcher_q(matcher: Matcher, prefix: str, within: Any = None) -> Q:
    """Events `matcher` matches, along `prefix`; `within` (people's ids) narrows the below-threshold subquery to
    the people being evaluated, so evaluating one household never reads the whole region's concerns."""
    q = Q(**{f"{prefix}kind__in": list(matcher.kinds)})
    if matcher.categories:
        # Categories are a JSON list on the event; a quoted code is found in its text on SQLite and PostgreSQL.
        q &= reduce(or_, (Q(**{f"{prefix}details__categories__icontains": f'"{c}"'}) for c in matcher.categories))
    if matcher.below_threshold:
        below = below_threshold_events()
        q &= Q(**{f"{prefix}pk__in": below if within is None else below.filter(person_id__in=within)})
    return q


@dataclass(frozen=True)
class _Plan:
    """How one rule reads: the grouped rows, the path from them to events, and what each row is keyed by."""

    rows: QuerySet[Any]
    event_path: str  # "" for a person's own events, "person__chronology_events__" across a household
    key_field: str
    within: Any = None  # the ids of everyone whose events may count, when evaluating only some patterns


def _window(as_of: datetime.datetime, days: int, prefix: str) -> Q:
    return Q(**{f"{prefix}occurred_at__gte": as_of - datetime.timedelta(days=days), f"{prefix}occurred_at__lte": as_of})


def _signal_q(definition: Definition, signal: Signal, as_of: datetime.datetime, day: datetime.date, plan: _Plan) -> Q:
    path = plan.event_path
    q = reduce(or_, (_matcher_q(m, path, plan.within) for m in signal.match)) & _window(
        as_of, signal.window_days or definition.window_days, path
    )
    if signal.who == "adult":
        q &= Q(person__date_of_birth__lte=months_before(day, ADULT_AGE * 12))
    elif signal.who == "child":
        q &= Q(person__date_of_birth__gt=months_before(day, ADULT_AGE * 12)) | Q(person__is_unborn=True)
    if signal.joined_within_days is not None:
        q &= Q(start_date__gte=day - datetime.timedelta(days=signal.joined_within_days), start_date__lte=day)
    return q


def _plan(definition: Definition, day: datetime.date, people: Iterable[int] | None) -> _Plan:
    eligible = subjects(definition.subject, day)
    if definition.scope == "person":
        if people is None:
            return _Plan(rows=eligible.values("pk"), event_path="chronology_events__", key_field="pk")
        ids = list(people)
        return _Plan(eligible.filter(pk__in=ids).values("pk"), "chronology_events__", "pk", within=ids)
    members = HouseholdMembership.objects.filter(_current_on(day))
    households = members.filter(person__in=eligible)
    if people is not None:
        households = households.filter(
            household_id__in=members.filter(person_id__in=list(people)).values("household_id")
        )
    rows = members.filter(household_id__in=households.values("household_id"))
    within = None if people is None else rows.values("person_id")
    return _Plan(rows.values("household_id"), "person__chronology_events__", "household_id", within=within)


def _score_expression(score: Score, window: Q, plan: _Plan) -> Any:
    """The sum of the weights of every event in the window, each weight counted once per matcher it meets."""
    return reduce(
        lambda a, b: a + b,  # type: ignore[arg-type,return-value]  # Sum + Sum is an expression the stubs call Sum
        (
            Sum(
                Case(
                    When(window & _matcher_q(w.match, plan.event_path, plan.within), then=Value(w.weight)),
                    default=0,
                    output_field=IntegerField(),
                )
            )
            for w in score.weights
        ),
    )


def _any_match_q(definition: Definition, as_of: datetime.datetime, day: datetime.date, plan: _Plan) -> Q:
    parts = [_signal_q(definition, s, as_of, day, plan) for s in definition.signals]
    if definition.score is not None:
        window = _window(as_of, definition.window_days, plan.event_path)
        parts += [window & _matcher_q(w.match, plan.event_path, plan.within) for w in definition.score.weights]
    return reduce(or_, parts)


def firings(
    definition: Definition, *, as_of: datetime.datetime | None = None, people: Iterable[int] | None = None
) -> list[Firing]:
    """The patterns that fire at `as_of` (now): for everyone, or only those `people` are part of."""
    as_of = as_of or timezone.now()
    day = timezone.localtime(as_of).date()
    plan = _plan(definition, day, people)
    path = plan.event_path
    annotations: dict[str, Any] = {}
    having = Q()
    for i, signal in enumerate(definition.signals):
        matched = _signal_q(definition, signal, as_of, day, plan)
        annotations[f"n{i}"] = Count(f"{path}pk", filter=matched, distinct=True)
        annotations[f"a{i}"] = Count(f"{path}agency", filter=matched, distinct=True)
        having &= Q(**{f"n{i}__gte": signal.min_count, f"a{i}__gte": signal.min_agencies})
    if definition.score is not None:
        annotations["score"] = _score_expression(definition.score, _window(as_of, definition.window_days, path), plan)
        having &= Q(score__gte=definition.score.threshold)
    widest = _window(as_of, definition.widest_window_days, path)
    grouped = plan.rows.filter(widest).annotate(**annotations).filter(having)
    scores = {row[plan.key_field]: row.get("score") for row in grouped.values(plan.key_field, *annotations)}
    if not scores:
        return []
    events: dict[int, list[int]] = defaultdict(list)
    contributing = plan.rows.filter(**{f"{plan.key_field}__in": list(scores)}).filter(
        _any_match_q(definition, as_of, day, plan)
    )
    for key, event_id in contributing.values_list(plan.key_field, f"{path}pk").distinct():
        events[key].append(event_id)
    if definition.scope == "person":
        concerned = {key: [key] for key in scores}
    else:
        concerned = defaultdict(list)
        in_households = HouseholdMembership.objects.filter(
            _current_on(day), household_id__in=list(scores), person__in=subjects(definition.subject, day)
        )
        for household_id, person_id in in_households.values_list("household_id", "person_id").distinct():
            concerned[household_id].append(person_id)
    prefix = "p" if definition.scope == "person" else "h"
    return [
        Firing(
            key=f"{prefix}:{key}",
            household_id=None if definition.scope == "person" else key,
            subject_ids=tuple(sorted(concerned[key])),
            event_ids=tuple(sorted(events[key])),
            score=score,
        )
        for key, score in sorted(scores.items())
    ]


@dataclass(frozen=True)
class RecentEvent:
    person_id: int
    kind: str
    occurred_at: datetime.datetime
    agency_id: int | None
    categories: frozenset[str]


@dataclass(frozen=True)
class HouseholdSnapshot:
    """What `could_fire` needs of the people being evaluated and everyone they live with now: their recent
    events, dates of birth and current statuses, read once (a few indexed queries of a few dozen rows)."""

    evaluated: frozenset[int]
    events: list[RecentEvent]
    born: dict[int, tuple[datetime.date | None, bool]]  # date of birth, unborn
    statuses: dict[int, set[str]]


def household_snapshot(people: Iterable[int], *, as_of: datetime.datetime, days: int) -> HouseholdSnapshot:
    day = timezone.localtime(as_of).date()
    evaluated = frozenset(people)
    households = HouseholdMembership.objects.filter(_current_on(day), person_id__in=evaluated).values("household_id")
    # The ids first, as a list: an OR with a subquery would keep the database off the event index.
    ids = sorted(
        evaluated
        | set(
            HouseholdMembership.objects.filter(_current_on(day), household_id__in=households).values_list(
                "person_id", flat=True
            )
        )
    )
    rows = ChronologyEvent.objects.filter(
        person_id__in=ids, occurred_at__gte=as_of - datetime.timedelta(days=days), occurred_at__lte=as_of
    ).values_list("person_id", "kind", "occurred_at", "agency_id", "details")
    statuses: dict[int, set[str]] = defaultdict(set)
    for person_id, kind in StatutoryStatus.objects.filter(_current_on(day), person_id__in=ids).values_list(
        "person_id", "kind"
    ):
        statuses[person_id].add(kind)
    return HouseholdSnapshot(
        evaluated=evaluated,
        events=[
            RecentEvent(pk, kind, at, agency, frozenset(_categories(details))) for pk, kind, at, agency, details in rows
        ],
        born={
            pk: (born, unborn)
            for pk, born, unborn in Person.objects.filter(pk__in=ids).values_list("pk", "date_of_birth", "is_unborn")
        },
        statuses=statuses,
    )


def _categories(details: Any) -> list[str]:
    found = details.get("categories") if isinstance(details, dict) else None
    return [c for c in found if isinstance(c, str)] if isinstance(found, list) else []


def _may_match(matcher: Matcher, event: RecentEvent) -> bool:
    """The matcher's kinds and categories (below-threshold is left to the query: this only rules out)."""
    return event.kind in matcher.kinds and (not matcher.categories or bool(event.categories & set(matcher.categories)))


def _may_be_subject(
    subject: Subject, born: datetime.date | None, unborn: bool, statuses: set[str], day: datetime.date
) -> bool:
    """`subjects()`'s conditions on one person, without the liveness checks (this only rules out)."""
    if not (unborn or (born is not None and born > months_before(day, ADULT_AGE * 12))):
        return False
    either = []
    if subject.max_age_months is not None:
        either.append(born is not None and born > months_before(day, subject.max_age_months))
    if subject.unborn:
        either.append(unborn)
    if subject.statuses:
        either.append(bool(statuses & set(subject.statuses)))
    return any(either) if either else True


def could_fire(definition: Definition, household: HouseholdSnapshot, *, as_of: datetime.datetime) -> bool:
    """False when the household cannot make the rule fire: no one who could be its subject, a signal with too few
    matching events or agencies in its window, or a score below its threshold. A necessary test only: who joined,
    whose events count and what is below threshold are the rule's own query's to decide."""
    day = timezone.localtime(as_of).date()
    people = household.evaluated if definition.scope == "person" else set(household.born)
    if not any(
        _may_be_subject(definition.subject, *household.born.get(pk, (None, False)), household.statuses[pk], day)
        for pk in people
    ):
        return False
    events = [e for e in household.events if e.person_id in people]
    for signal in definition.signals:
        since = as_of - datetime.timedelta(days=signal.window_days or definition.window_days)
        matching = [e for e in events if e.occurred_at >= since and any(_may_match(m, e) for m in signal.match)]
        if len(matching) < signal.min_count or len({e.agency_id for e in matching}) < signal.min_agencies:
            return False
    if definition.score is not None:
        since = as_of - datetime.timedelta(days=definition.window_days)
        recent = [e for e in events if e.occurred_at >= since]
        total = sum(w.weight for w in definition.score.weights for e in recent if _may_match(w.match, e))
        if total < definition.score.threshold:
            return False
    return True
