"""What the generator produces: the tables and their columns, the run's configuration and batches of rows.

Also the Cylch ID derived from a person's row id, which the truth table and the person rows both carry.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from cylch.core.codes import ALPHABET, check_character
from cylch.synthetic.places import DEFAULT_REGION

# The default reference date ("today" for the generated region): fixed so that a seed is reproducible.
REFERENCE_DATE = datetime.date(2025, 3, 31)
HISTORY_YEARS = 5

Row = tuple[Any, ...]

# fmt: off
TABLES: dict[str, tuple[str, ...]] = {
    "region": ("id", "code", "name", "name_cy"),
    "local_authority": ("id", "code", "name", "name_cy", "region_id"),
    "agency": ("id", "name", "name_cy", "kind", "local_authority_id", "phone", "email"),
    "team": ("id", "agency_id", "name"),
    "practitioner": (
        "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
        "is_staff", "is_active", "date_joined", "agency_id", "team_id", "job_title", "phone", "language",
        "is_system_account",
    ),
    "practitioner_role": ("id", "practitioner_id", "role_id"),
    "household": (
        "id", "address_line_1", "address_line_2", "town", "postcode", "local_authority_id", "created_at"
    ),
    "person": (
        "id", "cylch_id", "given_name", "middle_names", "family_name", "given_name_key", "family_name_key",
        "is_unborn", "expected_delivery_date", "date_of_birth", "date_of_death", "sex", "gender", "ethnicity",
        "first_language", "interpreter_needed", "nhs_number", "merged_into_id", "created_at", "updated_at"
    ),
    "person_name": (
        "id", "person_id", "kind", "given_name", "family_name", "given_name_key", "family_name_key",
        "used_from", "used_to"
    ),
    "person_identifier": ("id", "person_id", "kind", "value", "agency_id"),
    "household_membership": ("id", "household_id", "person_id", "start_date", "end_date"),
    "relationship": ("id", "person_id", "relative_id", "kind", "start_date", "end_date"),
    "involvement": (
        "id", "person_id", "agency_id", "team_id", "practitioner_id", "role", "start_date", "end_date"
    ),
    "statutory_status": (
        "id", "person_id", "kind", "category", "local_authority_id", "start_date", "end_date"
    ),
    "source_record": (
        "id", "agency_id", "local_id", "person_id", "given_name", "family_name", "date_of_birth", "sex",
        "nhs_number", "postcode", "address", "identifiers", "received_at", "ethnicity", "first_language"
    ),
    "source_record_truth": ("id", "source_record_id", "true_person_key", "distortions"),
    "chronology_event": (
        "id", "person_id", "source_record_id", "agency_id", "recorded_by_id", "kind", "occurred_at",
        "recorded_at", "summary", "details", "sensitivity", "child_words"
    ),
    "planted_trajectory": (
        "id", "run_id", "household_id", "kind", "started_on", "description", "person_ids", "rule_code", "near_miss"
    ),
}
# fmt: on

# The order rows must be inserted in (every table after the tables it points at).
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)

_CYLCH_SPACE = 29**9


@dataclass(frozen=True)
class RegionConfig:
    """What to generate. `reference_date` is "today" for the region; keep the default for reproducible runs."""

    people: int
    seed: int
    reference_date: datetime.date = REFERENCE_DATE
    region: str = DEFAULT_REGION
    history_years: int = HISTORY_YEARS
    batch_people: int = 20_000
    first_ids: Mapping[str, int] = field(default_factory=dict)  # table -> first id (so loads can append)
    run_id: int = 1


@dataclass
class Batch:
    """Rows for every table, produced together so that a batch can be loaded on its own."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def records(self, table: str) -> Iterator[dict[str, Any]]:
        """The rows of one table as dictionaries (for tests and inspection, not the hot path)."""
        columns = TABLES[table]
        for row in self.rows.get(table, ()):
            yield dict(zip(columns, row, strict=True))

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))


def cylch_id_for(person_id: int) -> str:
    """A Cylch ID derived from the row id: unique per id, scrambled so neighbours do not look alike."""
    value = (person_id * 1_000_003 + 7_654_321) % _CYLCH_SPACE
    body = []
    for _ in range(9):
        value, digit = divmod(value, 29)
        body.append(ALPHABET[digit])
    text = "".join(reversed(body))
    return text + check_character(text)
