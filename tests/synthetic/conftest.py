"""A generated region shared by the shape tests: generating it once keeps the module fast."""

from __future__ import annotations

from collections import defaultdict

import pytest

from cylch.synthetic.generator import TABLES, RegionConfig, Row, generate_region

SHAPE_PEOPLE = 20_000


def generate_rows(people: int, seed: int) -> dict[str, list[Row]]:
    rows: dict[str, list[Row]] = defaultdict(list)
    for batch in generate_region(RegionConfig(people=people, seed=seed, batch_people=5_000)):
        for table, table_rows in batch.rows.items():
            rows[table].extend(table_rows)
    return rows


class Region:
    """The generated rows, with each table as dictionaries keyed by column name."""

    def __init__(self, rows: dict[str, list[Row]]) -> None:
        self.rows = rows

    def records(self, table: str) -> list[dict[str, object]]:
        return [dict(zip(TABLES[table], row, strict=True)) for row in self.rows[table]]


@pytest.fixture(scope="session")
def region() -> Region:
    return Region(generate_rows(SHAPE_PEOPLE, seed=7))
