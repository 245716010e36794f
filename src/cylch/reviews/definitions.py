"""Review types, their stages and each stage's clock, read from `data/review_types.json`.

Guidance changes (a new review type, a stage added, a clock shortened) are a change to that file, not to code. A
review copies its type's stages when it is registered, so the clocks it is measured against are those in force
when it started. The clock arithmetic is here too, pure and small, with worked examples.
"""

from __future__ import annotations

import calendar
import datetime
import json
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from cylch.core.working_days import add_working_days

DEFINITIONS_FILE = Path(__file__).with_name("data") / "review_types.json"
INCIDENT = "incident"


class ClockUnit(StrEnum):
    WORKING_DAYS = "working_days"
    MONTHS = "months"


class Milestone(StrEnum):
    """The stages the four durations are measured between (incident to referral, referral to completion, ...)."""

    REFERRAL = "referral"
    LEARNING_EVENT = "learning_event"
    COMPLETION = "completion"
    PUBLICATION = "publication"


@dataclass(frozen=True)
class StageDefinition:
    code: str
    name: str
    name_cy: str
    anchor: str
    unit: ClockUnit | None
    amount: int | None
    milestone: Milestone | None


@dataclass(frozen=True)
class ReviewType:
    code: str
    name: str
    name_cy: str
    country: str
    stages: tuple[StageDefinition, ...]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has none.

    >>> add_months(datetime.date(2024, 8, 31), 6)
    datetime.date(2025, 2, 28)
    >>> add_months(datetime.date(2023, 8, 31), 6)
    datetime.date(2024, 2, 29)
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def clock_due(anchor_on: datetime.date, unit: ClockUnit, amount: int) -> datetime.date:
    """When a stage is due, counting from its anchor's date.

    Working days skip weekends and England & Wales bank holidays: 5 working days from Friday 20 December 2024
    is Tuesday 31 December (Christmas Day and Boxing Day fall between).

    >>> clock_due(datetime.date(2024, 12, 20), ClockUnit.WORKING_DAYS, 5)
    datetime.date(2024, 12, 31)
    >>> clock_due(datetime.date(2024, 1, 31), ClockUnit.MONTHS, 1)
    datetime.date(2024, 2, 29)
    """
    if unit == ClockUnit.WORKING_DAYS:
        return add_working_days(anchor_on, amount)
    return add_months(anchor_on, amount)


class DefinitionError(ValueError):
    """The definitions file is wrong: a fault of the release, caught by its test, never shown to a user."""


def _stage(raw: dict[str, object], earlier: set[str], type_code: str) -> StageDefinition:
    code, anchor = str(raw["code"]), str(raw["anchor"])
    if anchor != INCIDENT and anchor not in earlier:
        raise DefinitionError(f"{type_code}.{code}: anchor {anchor!r} is neither 'incident' nor an earlier stage")
    unit = ClockUnit(str(raw["unit"])) if "unit" in raw else None
    amount = raw.get("amount")
    if (unit is None) != (amount is None) or (isinstance(amount, int) and amount < 0):
        raise DefinitionError(f"{type_code}.{code}: a clock needs both a unit and a non-negative amount")
    return StageDefinition(
        code=code,
        name=str(raw["name"]),
        name_cy=str(raw["name_cy"]),
        anchor=anchor,
        unit=unit,
        amount=int(amount) if isinstance(amount, int) else None,
        milestone=Milestone(str(raw["milestone"])) if "milestone" in raw else None,
    )


def definitions_parse(data: dict[str, object]) -> dict[str, ReviewType]:
    """Every review type in `data`, checked: anchors point backwards, clocks are whole, each type has a referral
    and a completion milestone (the durations need both)."""
    types: dict[str, ReviewType] = {}
    raw_types = data["types"]
    assert isinstance(raw_types, list)  # noqa: S101 - the file's shape; checked by the test of the shipped file
    for raw in raw_types:
        earlier: set[str] = set()
        stages = []
        for raw_stage in raw["stages"]:
            stage = _stage(raw_stage, earlier, raw["code"])
            if stage.code in earlier:
                raise DefinitionError(f"{raw['code']}: stage {stage.code!r} appears twice")
            earlier.add(stage.code)
            stages.append(stage)
        milestones = {s.milestone for s in stages}
        if not {Milestone.REFERRAL, Milestone.COMPLETION} <= milestones:
            raise DefinitionError(f"{raw['code']}: needs a referral and a completion milestone")
        types[raw["code"]] = ReviewType(
            code=raw["code"], name=raw["name"], name_cy=raw["name_cy"], country=raw["country"], stages=tuple(stages)
        )
    return types


@lru_cache(maxsize=1)
def review_types() -> dict[str, ReviewType]:
    """The shipped review types, by code, in the file's order."""
    return definitions_parse(json.loads(DEFINITIONS_FILE.read_text(encoding="utf-8")))
