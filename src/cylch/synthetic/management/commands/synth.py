"""`cylch synth`: generate a synthetic region into the database or into CSV files."""

from __future__ import annotations

import datetime
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cylch.synthetic.files import region_files_write
from cylch.synthetic.generator import REFERENCE_DATE, RegionConfig
from cylch.synthetic.places import DEFAULT_REGION, REGIONS
from cylch.synthetic.services import SyntheticRegionExistsError, synthetic_region_load


class Command(BaseCommand):
    help = "Generate a synthetic Welsh region (families, agencies' records, chronologies) into the database or CSVs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=10_000, help="How many people (default 10,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed gives the same region.")
        parser.add_argument("--region", choices=sorted(REGIONS), default=DEFAULT_REGION)
        parser.add_argument(
            "--reference-date",
            type=datetime.date.fromisoformat,
            default=REFERENCE_DATE,
            help=f"The region's 'today' (default {REFERENCE_DATE.isoformat()}, fixed so runs are reproducible).",
        )
        parser.add_argument("--out", type=Path, help="Write one CSV per table into this directory instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        people: int = options["people"]
        if people < 1:
            raise CommandError("--people must be at least 1.")
        started = time.perf_counter()
        if options["out"]:
            config = RegionConfig(
                people=people, seed=options["seed"], reference_date=options["reference_date"], region=options["region"]
            )
            counts = region_files_write(config=config, out_dir=options["out"])
            where = str(options["out"])
        else:
            try:
                result = synthetic_region_load(
                    people=people,
                    seed=options["seed"],
                    reference_date=options["reference_date"],
                    region=options["region"],
                    progress=lambda n: self.stderr.write(f"  {n:,} people loaded", ending="\r"),
                )
            except SyntheticRegionExistsError as error:
                raise CommandError(str(error)) from error
            counts = result.counts
            where = f"the database (synthetic run {result.run.pk})"
        seconds = time.perf_counter() - started
        self.stdout.write(f"Generated into {where}:")
        for table, count in counts.items():
            self.stdout.write(f"  {table:<22} {count:>12,}")
        rate = counts["person"] / seconds if seconds else 0.0
        self.stdout.write(self.style.SUCCESS(f"{counts['person']:,} people in {seconds:.1f} s ({rate:,.0f} persons/s)"))
