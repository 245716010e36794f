"""Evaluating a rule: one aggregate query over the events in its window, for everyone or for a few people.

The same query serves the full rescan (`people=None`), the incremental evaluation when an event lands (`people`
= whoever it is about: only their own patterns, or their households', are looked at) and the try-before-live
report (`as_of` moved back through the region's history). Counting, distinct agencies, age, status and weights
are all done by the database (GROUP BY ... HAVING); Python only reads back the few patterns that fire and the
events that made them fire.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Case, Count, Exists, Field, IntegerField, Model, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.utils import timezone

from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.concerns.models import Outcome
from cylch.people.models import ADULT_AGE, HouseholdMembership, Involvement, Person, StatutoryStatus
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


@functools.lru_cache(maxsize=1024)  # an evaluation asks for the same few cut-offs for every rule and person
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


def _matcher_q(matcher: Matcher, prefix: str, below: Any) -> Q:
    """Events `matcher` matches, along `prefix`; `below` is the set of below-threshold concerns to read (narrowed to
    the people being evaluated, so evaluating one household never reads the whole region's concerns)."""
    q = Q(**{f"{prefix}kind__in": list(matcher.kinds)})
    if matcher.categories:
        # Categories are a JSON list on the event; a quoted code is found in its text on SQLite and PostgreSQL.
        q &= reduce(or_, (Q(**{f"{prefix}details__categories__icontains": f'"{c}"'}) for c in matcher.categories))
    if matcher.below_threshold:
        q &= Q(**{f"{prefix}pk__in": below})
    return q


@dataclass(frozen=True)
class _Plan:
    """How one rule reads: the grouped rows, the path from them to events, and what each row is keyed by."""

    rows: QuerySet[Any]
    event_path: str  # "" for a person's own events, "person__chronology_events__" across a household
    key_field: str
    below: Any  # the below-threshold concerns' ids: of everyone whose events may count, or the region's


def _window(as_of: datetime.datetime, days: int, prefix: str) -> Q:
    return Q(**{f"{prefix}occurred_at__gte": as_of - datetime.timedelta(days=days), f"{prefix}occurred_at__lte": as_of})


def _signal_q(definition: Definition, signal: Signal, as_of: datetime.datetime, day: datetime.date, plan: _Plan) -> Q:
    path = plan.event_path
    q = reduce(or_, (_matcher_q(m, path, plan.below) for m in signal.match)) & _window(
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
    below = below_threshold_events()
    if definition.scope == "person":
        if people is None:
            return _Plan(eligible.values("pk"), "chronology_events__", "pk", below)
        ids = list(people)
        return _Plan(
            eligible.filter(pk__in=ids).values("pk"), "chronology_events__", "pk", below.filter(person_id__in=ids)
        )
    members = HouseholdMembership.objects.filter(_current_on(day))
    households = members.filter(person__in=eligible)
    if people is not None:
        households = households.filter(
            household_id__in=members.filter(person_id__in=list(people)).values("household_id")
        )
    rows = members.filter(household_id__in=households.values("household_id"))
    if people is not None:
        below = below.filter(person_id__in=rows.values("person_id"))
    return _Plan(rows.values("household_id"), "person__chronology_events__", "household_id", below)


def _matchers(definition: Definition) -> list[Matcher]:
    matchers = [m for signal in definition.signals for m in signal.match]
    if definition.score is not None:
        matchers += [w.match for w in definition.score.weights]
    return matchers


def _reads_below_threshold(definition: Definition) -> bool:
    return any(m.below_threshold for m in _matchers(definition))


# A rule over everyone reads the region's below-threshold concerns in several FILTER clauses, and PostgreSQL works the
# set out (an anti-join over every concern) once for each: it is written once, for the rule's window, to this table.
BELOW_THRESHOLD_TABLE = "risk_below_threshold"


def _below_threshold_table(below: QuerySet[Any], since: datetime.datetime, until: datetime.datetime) -> RawSQL:
    sql, params = below.filter(occurred_at__gte=since, occurred_at__lte=until).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BELOW_THRESHOLD_TABLE}")
        cursor.execute(f"CREATE TEMPORARY TABLE {BELOW_THRESHOLD_TABLE} ON COMMIT DROP AS {sql}", params)
        cursor.execute(f"ANALYZE {BELOW_THRESHOLD_TABLE}")
    return RawSQL(f"SELECT pk FROM {BELOW_THRESHOLD_TABLE}", [])  # noqa: S608, S611  # our own constant


def _score_expression(score: Score, window: Q, plan: _Plan) -> Any:
    """The sum of the weights of every event in the window, each weight counted once per matcher it meets."""
    return reduce(
        lambda a, b: a + b,  # type: ignore[arg-type,return-value]  # Sum + Sum is an expression the stubs call Sum
        (
            Sum(
                Case(
                    When(window & _matcher_q(w.match, plan.event_path, plan.below), then=Value(w.weight)),
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
        parts += [window & _matcher_q(w.match, plan.event_path, plan.below) for w in definition.score.weights]
    return reduce(or_, parts)


# A rule over everyone reads a region's below-threshold concerns as one hashed set (millions of ids at 10M events);
# under PostgreSQL's default 4MB the planner instead rescans that set for every event (hours, not minutes).
RESCAN_WORK_MEM = "256MB"
KEY_CHUNK = 20_000  # keys per statement: PostgreSQL takes at most 65,535 parameters


def firings(
    definition: Definition, *, as_of: datetime.datetime | None = None, people: Iterable[int] | None = None
) -> list[Firing]:
    """The patterns that fire at `as_of` (now): for everyone, or only those `people` are part of."""
    if people is not None or connection.vendor != "postgresql":
        return _firings(definition, as_of=as_of, people=people)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL work_mem = '{RESCAN_WORK_MEM}'")
        return _firings(definition, as_of=as_of, people=None, materialise=_reads_below_threshold(definition))


def _firings(
    definition: Definition,
    *,
    as_of: datetime.datetime | None,
    people: Iterable[int] | None,
    materialise: bool = False,
) -> list[Firing]:
    as_of = as_of or timezone.now()
    day = timezone.localtime(as_of).date()
    plan = _plan(definition, day, people)
    if materialise:
        since = as_of - datetime.timedelta(days=definition.widest_window_days)
        plan = dataclasses.replace(plan, below=_below_threshold_table(plan.below, since, as_of))
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
    concerned: dict[int, list[int]] = defaultdict(list)
    fired = sorted(scores)
    for start in range(0, len(fired), KEY_CHUNK):  # a region's rescan fires on more keys than one statement holds
        keys = fired[start : start + KEY_CHUNK]
        contributing = plan.rows.filter(**{f"{plan.key_field}__in": keys}).filter(
            _any_match_q(definition, as_of, day, plan)
        )
        for key, event_id in contributing.values_list(plan.key_field, f"{path}pk").distinct():
            events[key].append(event_id)
        if definition.scope == "person":
            concerned |= {key: [key] for key in keys}
            continue
        in_households = HouseholdMembership.objects.filter(
            _current_on(day), household_id__in=keys, person__in=subjects(definition.subject, day)
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


# --- The incremental path: the same rules, evaluated in memory on one household's rows --------------------------
#
# When an event lands, the rows any rule can look at are few (the household's current members, their events in
# the widest window, their statuses) and are read once, with four indexed queries, by `household_snapshot`;
# `firings_among` then evaluates each rule on them exactly as `firings` does in SQL, so no rule costs a query of
# its own. tests/risk/test_engine.py runs every rule test through both paths, and a randomised test compares them.


@dataclass(frozen=True)
class MemberFacts:
    """A person the snapshot holds: what `subjects()` and a signal's `who` ask of them."""

    date_of_birth: datetime.date | None
    is_unborn: bool
    live: bool
    statuses: frozenset[tuple[str, datetime.date, datetime.date | None]]  # kind, start, end


class EventFacts(NamedTuple):
    """An event as a matcher reads it: `categories` is the text the SQL's `icontains` reads (None: no key). A
    snapshot holds thousands: a named tuple is made in half the time of a frozen dataclass. `categories` and
    `below_threshold` are worked out only for the kinds some rule reads them of (else None and False)."""

    pk: int
    person_id: int
    kind: str
    occurred_at: datetime.datetime
    agency_id: int
    categories: str | None
    below_threshold: bool


@dataclass(frozen=True)
class HouseholdSnapshot:
    """The people being evaluated, the current memberships of their households (household, person, start date),
    everyone's facts, their events in the window (by person) and who is involved with them."""

    evaluated: frozenset[int]
    memberships: tuple[tuple[int, int, datetime.date], ...]
    people: dict[int, MemberFacts]
    events: dict[int, list[EventFacts]]
    involved: dict[int, tuple[int, ...]]  # person: the practitioners involved with them now (the alerts tell them)


_MISSING = object()


def _json_text(value: Any) -> str | None:
    """What `->>` gives for a JSON value: a string unquoted, anything else as JSON text; None for no value."""
    if value is _MISSING or value is None:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _same_json(a: Any, b: Any) -> bool:
    """jsonb equality of two values read from `details` (true is not 1)."""
    return a is not _MISSING and b is not _MISSING and a == b and isinstance(a, bool) == isinstance(b, bool)


def _details(text: str | None) -> dict[str, Any]:
    """An event's `details` as read raw from the database, parsed as `JSONField` parses it (only a dict is read)."""
    if text is None:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def _fetch(sql: str, params: list[Any], columns: tuple[tuple[type[Model], str] | None, ...]) -> list[tuple[Any, ...]]:
    """The rows of a statement written once here, each value converted as the ORM would convert `columns`' (dates
    and JSON on SQLite, time zones): building a queryset costs more than the rows it reads on this path."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    converting = _converters(connections[DEFAULT_DB_ALIAS], columns)
    if not converting:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for i, col, found in converting:
            for converter in found:
                values[i] = converter(values[i], col, connection)
        converted.append(tuple(values))
    return converted


@functools.lru_cache(maxsize=16)
def _converters(database: Any, columns: tuple[tuple[type[Model], str] | None, ...]) -> list[tuple[int, Any, list[Any]]]:
    """The ORM's converters for `columns` on `database`, looked up once (finding them cost more than using them)."""
    converting = []
    for i, column in enumerate(columns):
        if column is None:
            continue
        model, name = column
        field = model._meta.get_field(name)
        if not isinstance(field, Field):
            raise TypeError(f"{model.__name__}.{name} is not a column")
        col = field.get_col(model._meta.db_table)
        if found := [*database.ops.get_db_converters(col), *col.get_db_converters(database)]:
            converting.append((i, col, found))
    return converting


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _placeholders(values: Iterable[Any]) -> str:
    return ", ".join("%s" for _ in values)


# The snapshot's one statement: each row is a person with their current membership (`m`; none: they live nowhere
# now), one of their statuses (`s`), one of their events (`e`) or a practitioner involved with them now (`i`), each
# kind in its own columns (the others NULL).
_PERSON_FACTS = ("date_of_birth", "is_unborn", "merged_into_id", "destroyed_at", "date_of_death")
_SNAPSHOT_COLUMNS: dict[str, tuple[type[Model], str]] = {
    "m_id": (HouseholdMembership, "id"),
    "household": (HouseholdMembership, "household"),
    "start_date": (HouseholdMembership, "start_date"),
    "person": (Person, "id"),
    **{name: (Person, name.removesuffix("_id")) for name in _PERSON_FACTS},
    "s_kind": (StatutoryStatus, "kind"),
    "s_start": (StatutoryStatus, "start_date"),
    "s_end": (StatutoryStatus, "end_date"),
    "e_id": (ChronologyEvent, "id"),
    "e_kind": (ChronologyEvent, "kind"),
    "occurred_at": (ChronologyEvent, "occurred_at"),
    "agency_id": (ChronologyEvent, "agency"),
    "details": (ChronologyEvent, "details"),  # read raw: parsed only for the events whose details a rule reads
    "practitioner": (Involvement, "practitioner"),
}


def _select_list(**expressions: str) -> str:
    """The snapshot's columns: `expressions` where given, else a NULL of the column's type (a UNION's NULLs
    would otherwise be text on PostgreSQL)."""
    listed = []
    for name, (model, field_name) in _SNAPSHOT_COLUMNS.items():
        field = model._meta.get_field(field_name)
        if not isinstance(field, Field):
            raise TypeError(f"{model.__name__}.{field_name} is not a column")
        listed.append(expressions.get(name) or f"CAST(NULL AS {field.db_type(connection)})")
    return ", ".join(listed)


@functools.lru_cache(maxsize=64)
def _snapshot_sql(vendor: str, count: int, kinds: int) -> str:
    """The snapshot's statement for `count` people and `kinds` event kinds on `vendor`'s database (table names from
    the models), written once for each: writing it cost more than running it."""
    membership, person = _table(HouseholdMembership), _table(Person)
    ids = range(count)
    current = "start_date <= %s AND (end_date IS NULL OR end_date >= %s)"
    facts = {name: f"p.{name}" for name in _PERSON_FACTS}
    as_member = _select_list(m_id="m.id", household="m.household_id", start_date="m.start_date", person="p.id", **facts)
    as_status = _select_list(person="person_id", s_kind="kind", s_start="start_date", s_end="end_date")
    as_event = _select_list(
        person="person_id",
        e_id="id",
        e_kind="kind",
        occurred_at="occurred_at",
        agency_id="agency_id",
        details="details",
    )
    as_involvement = _select_list(person="person_id", practitioner="practitioner_id")
    places = _placeholders(ids)
    return f"""WITH members AS (
            SELECT id, household_id, start_date, person_id FROM {membership}
            WHERE {current} AND household_id IN (
                SELECT household_id FROM {membership} WHERE person_id IN ({places}) AND {current})),
        everyone AS (SELECT person_id FROM members UNION SELECT id FROM {person} WHERE id IN ({places}))
        SELECT 'm', {as_member}
        FROM everyone e JOIN {person} p ON p.id = e.person_id LEFT JOIN members m ON m.person_id = p.id
        UNION ALL
        SELECT 's', {as_status}
        FROM {_table(StatutoryStatus)} WHERE person_id IN (SELECT person_id FROM everyone)
        UNION ALL
        SELECT 'e', {as_event}
        FROM {_table(ChronologyEvent)}
        WHERE person_id IN (SELECT person_id FROM everyone)
          AND ((occurred_at >= %s AND occurred_at <= %s AND kind IN ({_placeholders(range(kinds))})) OR kind = %s)
        UNION ALL
        SELECT 'i', {as_involvement}
        FROM {_table(Involvement)}
        WHERE person_id IN (SELECT person_id FROM everyone) AND practitioner_id IS NOT NULL AND {current}"""  # noqa: S608


def household_snapshot(
    people: Iterable[int], *, as_of: datetime.datetime, definitions: Iterable[Definition]
) -> HouseholdSnapshot:
    """Everything `definitions` can read about `people` and their households as at `as_of`, in one statement (a
    round trip costs more than the rows): the current members of their households and anyone of them living nowhere
    now, with their dates of birth and liveness, their statuses, their events in the widest window of the kinds some
    rule matches (about half of a household's events are visits and appointments no rule reads: reading, parsing
    and matching them was a third of an evaluation's time) and the practitioners involved with them, each read on
    an index."""
    definitions = list(definitions)
    days = max(d.widest_window_days for d in definitions)
    matchers = [m for d in definitions for m in _matchers(d)]
    matched = {kind for m in matchers for kind in m.kinds}  # each matcher names one or more
    kinds = sorted(matched)
    # Parsing every event's details was a fifth of a snapshot's time: only these kinds' are read.
    categorised = {kind for m in matchers if m.categories for kind in m.kinds}
    below = {kind for m in matchers if m.below_threshold for kind in m.kinds} & set(CONCERN_KINDS)
    day = timezone.localtime(as_of).date()
    evaluated = frozenset(people)
    ids = sorted(evaluated)
    on = connection.ops.adapt_datefield_value(day)
    adapt = connection.ops.adapt_datetimefield_value
    since = as_of - datetime.timedelta(days=days)
    # Threshold decisions count at any date (as in `below_threshold_events`), so they are read whatever their age.
    rows = _fetch(
        _snapshot_sql(connection.vendor, len(ids), len(kinds)),
        [on, on, *ids, on, on, *ids, adapt(since), adapt(as_of), *kinds, EventKind.THRESHOLD_DECISION, on, on],
        (None, *(None if name == "details" else column for name, column in _SNAPSHOT_COLUMNS.items())),  # tag: text
    )
    memberships: list[tuple[int, int, int, datetime.date]] = []
    persons: dict[int, tuple[Any, ...]] = {}
    statuses: dict[int, set[tuple[str, datetime.date, datetime.date | None]]] = defaultdict(set)
    decided: dict[int, list[Any]] = defaultdict(list)  # person: the concerns taken to statutory action
    involved: dict[int, list[int]] = defaultdict(list)
    recent = []
    for row in rows:  # read by position (the columns of `_SNAPSHOT_COLUMNS` after the tag): most rows are events
        tag, person_id = row[0], row[4]
        if tag == "e":
            pk, kind, occurred_at, agency_id, text = row[13:18]
            if below and kind == EventKind.THRESHOLD_DECISION:
                decision = _details(text)
                if decision.get("outcome") in STATUTORY_OUTCOMES:
                    decided[person_id].append(decision.get("concern", _MISSING))
            if since <= occurred_at <= as_of and kind in matched:
                recent.append((pk, person_id, kind, occurred_at, agency_id, text))
        elif tag == "m":
            persons[person_id] = row[5:10]
            if row[1] is not None:  # the membership's id: none, they live nowhere now
                memberships.append((row[2], person_id, row[1], row[3]))
        elif tag == "s":
            statuses[person_id].add(row[10:13])
        else:
            involved[person_id].append(row[18])
    people_facts = {
        pk: MemberFacts(born, unborn, merged is None and destroyed is None and died is None, frozenset(statuses[pk]))
        for pk, (born, unborn, merged, destroyed, died) in persons.items()
    }
    events: dict[int, list[EventFacts]] = defaultdict(list)
    recent.sort()  # by event (ids are unique): the statement's rows come in no order
    for pk, person_id, kind, occurred_at, agency_id, text in recent:
        categories, below_threshold = None, False
        if kind in categorised or kind in below:
            details = _details(text)
            categories = _json_text(details.get("categories", _MISSING))
            concern = details.get("concern", _MISSING)
            below_threshold = kind in below and not any(_same_json(concern, taken) for taken in decided[person_id])
        events[person_id].append(EventFacts(pk, person_id, kind, occurred_at, agency_id, categories, below_threshold))
    members = tuple((household_id, person_id, start) for household_id, person_id, _m, start in sorted(memberships))
    practitioners = {pk: tuple(sorted(set(ids))) for pk, ids in involved.items()}
    return HouseholdSnapshot(evaluated, members, people_facts, events, practitioners)


def _matches(matcher: Matcher, event: EventFacts) -> bool:
    """`_matcher_q` on one event."""
    if event.kind not in matcher.kinds:
        return False
    if matcher.categories:
        text = (event.categories or "").upper()
        if event.categories is None or not any(code in text for code in _quoted_upper(matcher.categories)):
            return False
    return not matcher.below_threshold or event.below_threshold


@functools.lru_cache(maxsize=256)
def _quoted_upper(categories: tuple[str, ...]) -> tuple[str, ...]:
    """A matcher's category codes as `_matcher_q` looks for them (quoted, any case), worked out once per rule."""
    return tuple(f'"{c}"'.upper() for c in categories)


def _is_subject(subject: Subject, person: MemberFacts | None, day: datetime.date) -> bool:
    """`subjects()` on one person."""
    if person is None or not person.live:
        return False
    born = person.date_of_birth
    if not (person.is_unborn or (born is not None and born > months_before(day, ADULT_AGE * 12))):
        return False
    either = []
    if subject.max_age_months is not None:
        either.append(born is not None and born > months_before(day, subject.max_age_months))
    if subject.unborn:
        either.append(person.is_unborn)
    if subject.statuses:
        either.append(
            any(
                kind in subject.statuses and start <= day and (end is None or end >= day)
                for kind, start, end in person.statuses
            )
        )
    return any(either) if either else True


class _Row:
    """One row of a rule's grouping: a person (person rules), or a current membership (household rules)."""

    __slots__ = ("person", "start_date")

    def __init__(self, person: MemberFacts | None, start_date: datetime.date | None) -> None:
        self.person = person
        self.start_date = start_date


def _row_holds(signal: Signal, row: _Row, day: datetime.date, adult_cut: datetime.date) -> bool:
    """The part of `_signal_q` that asks of the row (its person's age, when they joined), not of an event."""
    born = row.person.date_of_birth if row.person else None
    if signal.who == "adult" and not (born is not None and born <= adult_cut):
        return False
    if signal.who == "child" and not ((born is not None and born > adult_cut) or (row.person and row.person.is_unborn)):
        return False
    if signal.joined_within_days is not None:
        start = row.start_date
        if start is None or not day - datetime.timedelta(days=signal.joined_within_days) <= start <= day:
            return False
    return True


def firings_among(definition: Definition, snapshot: HouseholdSnapshot, *, as_of: datetime.datetime) -> list[Firing]:
    """`firings(definition, as_of=as_of, people=snapshot.evaluated)`, read off the snapshot instead of queried."""
    day = timezone.localtime(as_of).date()
    person_rule = definition.scope == "person"
    groups: dict[int, list[tuple[int, _Row]]] = {}
    concerned: dict[int, list[int]] = {}
    if person_rule:
        for pk in sorted(snapshot.evaluated):
            if _is_subject(definition.subject, snapshot.people.get(pk), day):
                groups[pk] = [(pk, _Row(snapshot.people.get(pk), None))]
                concerned[pk] = [pk]
    else:
        theirs = {h for h, person_id, _s in snapshot.memberships if person_id in snapshot.evaluated}
        for household_id, person_id, start in snapshot.memberships:
            if household_id in theirs:
                groups.setdefault(household_id, []).append((person_id, _Row(snapshot.people.get(person_id), start)))
        for household_id, rows in groups.items():
            concerned[household_id] = sorted(
                {pk for pk, row in rows if _is_subject(definition.subject, row.person, day)}
            )
        groups = {key: rows for key, rows in groups.items() if concerned[key]}
    score_since = as_of - datetime.timedelta(days=definition.window_days)
    adult_cut = months_before(day, ADULT_AGE * 12)
    # Each signal's window worked out once, and what it asks of a row asked once per row, not once per event.
    windows = [as_of - datetime.timedelta(days=s.window_days or definition.window_days) for s in definition.signals]
    kinds = [{kind for m in s.match for kind in m.kinds} for s in definition.signals]  # most events: no kind matches
    found = []
    for key, rows in sorted(groups.items()):
        contributing: set[int] = set()
        holds = True
        for signal, since, signal_kinds in zip(definition.signals, windows, kinds, strict=True):
            matched = [
                e
                for pk, row in rows
                if _row_holds(signal, row, day, adult_cut)
                for e in snapshot.events.get(pk, ())
                if e.kind in signal_kinds
                and since <= e.occurred_at <= as_of
                and any(_matches(m, e) for m in signal.match)
            ]
            contributing.update(e.pk for e in matched)
            if len({e.pk for e in matched}) < signal.min_count or len({e.agency_id for e in matched}) < (
                signal.min_agencies
            ):
                holds = False
        score = None
        if definition.score is not None:
            in_window = [
                e for pk, _row in rows for e in snapshot.events.get(pk, ()) if score_since <= e.occurred_at <= as_of
            ]
            score = 0
            for weight in definition.score.weights:
                weighed = [e for e in in_window if _matches(weight.match, e)]
                score += weight.weight * len(weighed)
                contributing.update(e.pk for e in weighed)
            holds = holds and score >= definition.score.threshold
        if holds:
            found.append(
                Firing(
                    key=f"{'p' if person_rule else 'h'}:{key}",
                    household_id=None if person_rule else key,
                    subject_ids=tuple(concerned[key]),
                    event_ids=tuple(sorted(contributing)),
                    score=score,
                )
            )
    return found
