"""Writing the synthetic region as CSV files instead of loading it, for batch linkage and inspection.

One file per table (header row first, empty cells for nulls), plus the two files record linkage
reads: `linkage_records.csv` (every agency's copy of a person, in the columns a linkage run
expects) and `linkage_truth.csv` (which true person each record describes).
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import IO, Any

from cylch.synthetic.generator import TABLES, RegionConfig, generate_region

LINKAGE_RECORD_COLUMNS = (
    "record_id", "given_name", "family_name", "date_of_birth", "sex", "postcode", "address", "nhs_number",
    "agency_id",
)  # fmt: skip
LINKAGE_TRUTH_COLUMNS = ("record_id", "true_person_key", "distortions")


def region_files_write(*, config: RegionConfig, out_dir: Path) -> Counter[str]:
    """Generate the region into `out_dir` and return the number of rows written per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    handles: list[IO[str]] = []
    writers: dict[str, Any] = {}

    def writer(name: str, header: tuple[str, ...]) -> Any:
        if name not in writers:
            handle = (out_dir / f"{name}.csv").open("w", newline="", encoding="utf-8")
            handles.append(handle)
            writers[name] = csv.writer(handle)
            writers[name].writerow(header)
        return writers[name]

    counts: Counter[str] = Counter()
    try:
        for table, columns in TABLES.items():
            writer(table, columns)
        records = writer("linkage_records", LINKAGE_RECORD_COLUMNS)
        truth = writer("linkage_truth", LINKAGE_TRUTH_COLUMNS)
        for batch in generate_region(config):
            for table, rows in batch.rows.items():
                writers[table].writerows(rows)
                counts[table] += len(rows)
            # source_record: id, agency_id, local_id, person_id, given, family, dob, sex, nhs, postcode, address...
            records.writerows(
                (r[0], r[4], r[5], r[6], r[7], r[9], r[10], r[8], r[1]) for r in batch.rows.get("source_record", ())
            )
            truth.writerows((r[1], r[2], r[3]) for r in batch.rows.get("source_record_truth", ()))
    finally:
        for handle in handles:
            handle.close()
    return counts
