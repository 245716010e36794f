"""A rule's definition: the JSON a board officer edits, checked and read into plain values before anyone runs it.

    {
      "scope": "household",            # "person": the child's own events; "household": everyone living with them
      "window_days": 365,              # rolling window ending at the moment of evaluation (inclusive)
      "subject": {"max_age_months": 60, "unborn": true, "statuses": ["cp_register"]},
      "signals": [                     # every signal must hold
        {"label": "Was Not Brought", "match": [{"kinds": ["was_not_brought"]}], "min_count": 2},
        {"label": "Violent adult joined", "who": "adult", "joined_within_days": 365, "window_days": 1825,
         "match": [{"kinds": ["concern"], "categories": ["domestic_abuse"]}]}
      ],
      "score": {"threshold": 10, "weights": [{"match": {"kinds": ["missing_episode"]}, "weight": 3}]},
      "acknowledge_working_days": 1, "act_working_days": 5
    }

A subject is a child (under 18, or unborn) who is younger than `max_age_months`, or unborn when `unborn` is
true, or currently holds one of `statuses`; with none of the three, any child. A matcher matches events of any
of its `kinds`, carrying any of its concern `categories` if it names some, and, with `below_threshold`, only
concerns the front door did not take to statutory action. A signal holds when its matching events in its window
number `min_count` and come from `min_agencies` agencies; in a household rule `who` limits whose events count
(`anyone`, `adult`, `child`) and `joined_within_days` to people who moved in within that many days.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cylch.chronology.models import EventKind
from cylch.concerns.models import Category
from cylch.people.models import StatusKind

MAX_WINDOW_DAYS = 3660  # ten years: beyond that a pattern is history, not a current risk
MAX_COUNT = 1000
SCOPES = ("person", "household")
WHO = ("anyone", "adult", "child")


@dataclass(frozen=True)
class Matcher:
    kinds: tuple[str, ...]
    categories: tuple[str, ...] = ()
    below_threshold: bool = False


@dataclass(frozen=True)
class Signal:
    label: str
    match: tuple[Matcher, ...]
    min_count: int = 1
    min_agencies: int = 1
    window_days: int | None = None
    who: str = "anyone"
    joined_within_days: int | None = None


@dataclass(frozen=True)
class Weight:
    match: Matcher
    weight: int


@dataclass(frozen=True)
class Score:
    threshold: int
    weights: tuple[Weight, ...]


@dataclass(frozen=True)
class Subject:
    max_age_months: int | None = None
    unborn: bool = False
    statuses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Definition:
    scope: str
    window_days: int
    subject: Subject
    signals: tuple[Signal, ...]
    score: Score | None = None
    acknowledge_working_days: int = 1
    act_working_days: int = 5

    @property
    def widest_window_days(self) -> int:
        return max([self.window_days, *(s.window_days or 0 for s in self.signals)])


def _object(value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(_("%(where)s must be an object.") % {"where": where})
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ValidationError(_("%(where)s has unknown keys: %(keys)s.") % {"where": where, "keys": ", ".join(unknown)})
    return value


def _int(value: Any, where: str, *, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(
            _("%(where)s must be a whole number from %(low)s to %(high)s.") % {"where": where, "low": low, "high": high}
        )
    return int(value)


def _codes(value: Any, where: str, known: list[str], *, required: bool) -> tuple[str, ...]:
    if not isinstance(value, list) or (required and not value) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("%(where)s must be a list of codes.") % {"where": where})
    unknown = sorted(set(value) - set(known))
    if unknown:
        raise ValidationError(
            _("%(where)s has unknown codes: %(codes)s.") % {"where": where, "codes": ", ".join(unknown)}
        )
    return tuple(value)


def _matcher(value: Any, where: str) -> Matcher:
    data = _object(value, where, {"kinds", "categories", "below_threshold"})
    below = data.get("below_threshold", False)
    if not isinstance(below, bool):
        raise ValidationError(_("%(where)s.below_threshold must be true or false.") % {"where": where})
    return Matcher(
        kinds=_codes(data.get("kinds"), f"{where}.kinds", EventKind.values, required=True),
        categories=_codes(data.get("categories", []), f"{where}.categories", Category.values, required=False),
        below_threshold=below,
    )


def _signal(value: Any, where: str, scope: str) -> Signal:
    data = _object(
        value, where, {"label", "match", "min_count", "min_agencies", "window_days", "who", "joined_within_days"}
    )
    label = data.get("label")
    if not isinstance(label, str) or not label.strip():
        raise ValidationError(_("%(where)s.label must be some text.") % {"where": where})
    matchers = data.get("match")
    if not isinstance(matchers, list) or not matchers:
        raise ValidationError(_("%(where)s.match must be a list of matchers.") % {"where": where})
    who = data.get("who", "anyone")
    if who not in WHO:
        raise ValidationError(_("%(where)s.who must be anyone, adult or child.") % {"where": where})
    joined = data.get("joined_within_days")
    if scope == "person" and (who != "anyone" or joined is not None):
        raise ValidationError(_("%(where)s: who and joined_within_days need a household rule.") % {"where": where})
    window = data.get("window_days")
    return Signal(
        label=label,
        match=tuple(_matcher(m, f"{where}.match[{i}]") for i, m in enumerate(matchers)),
        min_count=_int(data.get("min_count", 1), f"{where}.min_count", low=1, high=MAX_COUNT),
        min_agencies=_int(data.get("min_agencies", 1), f"{where}.min_agencies", low=1, high=MAX_COUNT),
        window_days=None if window is None else _int(window, f"{where}.window_days", low=1, high=MAX_WINDOW_DAYS),
        who=who,
        joined_within_days=(
            None if joined is None else _int(joined, f"{where}.joined_within_days", low=1, high=MAX_WINDOW_DAYS)
        ),
    )


def _score(value: Any) -> Score:
    data = _object(value, "score", {"threshold", "weights"})
    weights = data.get("weights")
    if not isinstance(weights, list) or not weights:
        raise ValidationError(_("score.weights must be a list of weights."))
    parsed = []
    for i, item in enumerate(weights):
        weight = _object(item, f"score.weights[{i}]", {"match", "weight"})
        parsed.append(
            Weight(
                match=_matcher(weight.get("match"), f"score.weights[{i}].match"),
                weight=_int(weight.get("weight"), f"score.weights[{i}].weight", low=1, high=MAX_COUNT),
            )
        )
    return Score(threshold=_int(data.get("threshold"), "score.threshold", low=1, high=MAX_COUNT), weights=tuple(parsed))


def _subject(value: Any) -> Subject:
    data = _object(value, "subject", {"max_age_months", "unborn", "statuses"})
    unborn = data.get("unborn", False)
    if not isinstance(unborn, bool):
        raise ValidationError(_("subject.unborn must be true or false."))
    months = data.get("max_age_months")
    return Subject(
        max_age_months=None if months is None else _int(months, "subject.max_age_months", low=1, high=18 * 12),
        unborn=unborn,
        statuses=_codes(data.get("statuses", []), "subject.statuses", StatusKind.values, required=False),
    )


def definition_parse(value: Any) -> Definition:
    """The definition as plain values, or a ValidationError naming the first fault (the key at fault)."""
    data = _object(
        value,
        _("The definition"),
        {"scope", "window_days", "subject", "signals", "score", "acknowledge_working_days", "act_working_days"},
    )
    scope = data.get("scope")
    if scope not in SCOPES:
        raise ValidationError(_("scope must be person or household."))
    signals = data.get("signals", [])
    if not isinstance(signals, list):
        raise ValidationError(_("signals must be a list."))
    score = _score(data["score"]) if "score" in data else None
    if not signals and score is None:
        raise ValidationError(_("A rule needs at least one signal or a score."))
    return Definition(
        scope=scope,
        window_days=_int(data.get("window_days"), "window_days", low=1, high=MAX_WINDOW_DAYS),
        subject=_subject(data.get("subject", {})),
        signals=tuple(_signal(s, f"signals[{i}]", scope) for i, s in enumerate(signals)),
        score=score,
        acknowledge_working_days=_int(
            data.get("acknowledge_working_days", 1), "acknowledge_working_days", low=1, high=20
        ),
        act_working_days=_int(data.get("act_working_days", 5), "act_working_days", low=1, high=60),
    )
