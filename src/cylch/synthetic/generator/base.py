"""The state every part of the generator shares (the seeded random stream, id counters, the batch
being filled, the council areas) and the small helpers they all use: ids, dates, phonetic keys, ages.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from cylch.people.text import phonetic_key
from cylch.synthetic.generator.records import _Area, _Person
from cylch.synthetic.generator.tables import TABLES, Batch, RegionConfig, Row
from cylch.synthetic.names import HERITAGES, MINORITY_WEIGHTS
from cylch.synthetic.places import REGIONS, RegionPlaces

YEAR = 365.25
_CLOCK = tuple(f" {m // 60:02d}:{m % 60:02d}:00" for m in range(1440))


class _GeneratorBase:
    """State and helpers; the stages of generation are mixins built on this (see the package docstring)."""

    def __init__(self, config: RegionConfig) -> None:
        if config.region not in REGIONS:
            raise ValueError(f"Unknown region {config.region!r}; choose from {', '.join(REGIONS)}.")
        self.config = config
        self.rng = random.Random(config.seed)
        self.places: RegionPlaces = REGIONS[config.region]
        self.today = config.reference_date.toordinal()
        start = config.reference_date
        try:
            start = start.replace(year=start.year - config.history_years)
        except ValueError:  # 29 February
            start = start.replace(year=start.year - config.history_years, day=28)
        self.window_start = start.toordinal()
        self.next_id = {table: config.first_ids.get(table, 1) for table in TABLES}
        self.people_made = 0
        self.nhs_counter = 0
        self.upn_serial: dict[tuple[int, int], int] = defaultdict(int)
        self._iso: dict[int, str] = {}
        self._keys: dict[str, str] = {}
        self.batch = Batch()
        self.areas: list[_Area] = []
        self.area_weights: list[float] = []
        self.now_text = self.day(self.today) + _CLOCK[9 * 60]
        self.minorities = [HERITAGES[code] for code, _ in MINORITY_WEIGHTS]
        self.minority_weights = [w for _, w in MINORITY_WEIGHTS]

    # ---------------------------------------------------------------- helpers

    def new_id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def emit(self, table: str, row: Row) -> None:
        self.batch.rows[table].append(row)

    def day(self, ordinal: int) -> str:
        text = self._iso.get(ordinal)
        if text is None:
            text = datetime.date.fromordinal(ordinal).isoformat()
            self._iso[ordinal] = text
        return text

    def opt_day(self, ordinal: int | None) -> str | None:
        return None if ordinal is None else self.day(ordinal)

    def key(self, name: str) -> str:
        value = self._keys.get(name)
        if value is None:
            value = phonetic_key(name)
            self._keys[name] = value
        return value

    def dob_for_age(self, years: float) -> int:
        return self.today - int((years + self.rng.random()) * YEAR)

    def age_on(self, person: _Person, day: int) -> float:
        return -1.0 if person.dob is None else (day - person.dob) / YEAR

    def times(self, rate_per_year: float, start: int, end: int) -> int:
        """How many events happen at `rate_per_year` between two days (expected value, randomly rounded)."""
        expected = rate_per_year * max(0, end - start) / YEAR
        whole = int(expected)
        return whole + (self.rng.random() < expected - whole)

    def area_on(self, person: _Person, day: int) -> _Area:
        for household, start, end in person.spells:
            if start <= day and (end is None or end >= day):
                return household.area
        return person.spells[-1][0].area if person.spells else self.areas[0]

    def random_day(self, start: int | None = None, end: int | None = None) -> int:
        """A day between two days (inclusive); the later bound when the range is empty."""
        low, high = start or self.window_start, end or self.today
        return high if low >= high else self.rng.randint(low, high)
