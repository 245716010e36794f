"""The synthetic region, generated as plain rows: families first, then what each agency knows of them.

Pure Python with no ORM in the loop, so a million people take minutes. Everything comes from one
`random.Random(seed)` and a fixed reference date, so a seed regenerates the same region exactly
(the demo passes today's date so that ages look right on screen).

Rows are plain tuples whose columns are listed in `TABLES` (the models' attribute names). Dates
are ISO strings and timestamps are UTC `YYYY-MM-DD HH:MM:SS` strings, which the CSV writer, the
SQLite loader and PostgreSQL COPY all accept as they are. The generator yields a `Batch` every
`batch_people` people, so memory stays flat however large the region.

The generator is one class composed of a mixin per stage, each in its own module:

- `tables`: the tables and columns produced, `RegionConfig` and `Batch`;
- `records`: the generator's in-memory view (services, areas, people, households, families);
- `base`: shared state and helpers;
- `organisation`: the region, its councils and every agency with its teams and practitioners;
- `people`: a person, a household, who lives where and who is related to whom;
- `agency_records`: involvements, each agency's copy of a person, chronology events;
- `finishing`: everyday services (GP, health visiting, schools...) and the person rows;
- `childrens_services`: pathways through children's services and the planted trajectories;
- `households`: the kinds of household, each finished and given its pathway.

Each stage subclasses the stages it calls, so the modules import one way (no cycles) and each
type-checks on its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from cylch.synthetic.generator.households import _Households
from cylch.synthetic.generator.organisation import _Organisation
from cylch.synthetic.generator.tables import (
    REFERENCE_DATE,
    TABLE_ORDER,
    TABLES,
    Batch,
    RegionConfig,
    Row,
    cylch_id_for,
)

__all__ = ["REFERENCE_DATE", "TABLES", "TABLE_ORDER", "RegionConfig", "Row", "cylch_id_for", "generate_region"]


class _RegionGenerator(_Organisation, _Households):
    """The organisation first, then household after household, in batches of rows."""

    def batches(self) -> Iterator[Batch]:
        self.build_organisation()
        while self.people_made < self.config.people:
            self.household_group()
            if self.batch.count("person") >= self.config.batch_people:
                yield self.batch
                self.batch = Batch()
        if self.batch.rows:
            yield self.batch


def generate_region(config: RegionConfig) -> Iterator[Batch]:
    """Yield the region as batches of rows: the organisation first, then families until `people` is reached."""
    yield from _RegionGenerator(config).batches()
