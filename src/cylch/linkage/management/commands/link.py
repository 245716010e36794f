"""`cylch link`: batch record linkage.

cylch link INPUT.csv --out OUTPUT.csv [--engine duckdb|spark] [--reviews REVIEWS.csv] [--adapt]
    deduplicate a file -> record_id,cluster_id (and the pairs a person should review, with why in words);
    --adapt first estimates u, name frequencies and m (EM) from the file, the current model as prior
    (spark: the `spark` extra, pyspark, and Java 17+; local mode unless CYLCH_SPARK_MASTER says otherwise)
cylch link --all                                                re-link everyone: rebuild the blocking index, re-score,
    merge above the link threshold and queue reviews between the thresholds
cylch link train --records RECORDS.csv [--truth TRUTH.csv]      re-estimate m/u into model/<version>.json
    (with labels: counted; without, as for real records: u from random pairs, m by EM with the current model as
    prior; --seed fixes the sample; --data-seed records the generator seed of synthetic records)
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cylch.linkage.batch import ENGINES, link_file, spark_available


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a batch job needs no URL or template checks
    help = "Batch record linkage: deduplicate a CSV of person records, re-index everyone, or re-train the model."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("input", nargs="?", help="A CSV of person records, or 'train'.")
        parser.add_argument("--out", type=Path, help="Where to write record_id,cluster_id.")
        parser.add_argument("--engine", choices=ENGINES, default="duckdb")
        parser.add_argument("--reviews", type=Path, help="Where to write the pairs to review, with why in words.")
        parser.add_argument(
            "--adapt", action="store_true", help="Estimate the parameters from the file first (current model as prior)."
        )
        parser.add_argument("--all", action="store_true", help="Re-link the whole index: re-index, re-score, merge.")
        parser.add_argument("--truth", type=Path, help="train: record_id,true_person_key labels (synthetic data).")
        parser.add_argument("--seed", type=int, default=1, help="train: seed of the random pair sample.")
        parser.add_argument("--records", type=Path, help="train: the records the labels describe.")
        parser.add_argument(
            "--data-seed", type=int, help="train: the generator seed of synthetic records (the benchmark refuses it)."
        )
        parser.add_argument("--model-version", default="", help="train: model version to write (default: next).")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["all"]:
            from cylch.linkage.relink import person_index_relink

            counts = person_index_relink()
            self.stdout.write(
                f"Re-indexed {counts.records:,} linked records and re-scored {counts.people:,} people: "
                f"{counts.merged:,} merged automatically, {counts.reviews:,} queued for review "
                f"in {time.perf_counter() - started:.1f} s."
            )
            return
        if options["input"] == "train":
            from cylch.linkage.training import model_train

            if not options["records"]:
                raise CommandError("train needs --records RECORDS.csv (and --truth TRUTH.csv if it has labels)")
            path = model_train(
                records=options["records"],
                truth=options["truth"],
                version=options["model_version"],
                seed=options["seed"],
                data_seed=options["data_seed"],
            )
            self.stdout.write(f"Wrote {path} in {time.perf_counter() - started:.1f} s.")
            return
        if not options["input"] or not options["out"]:
            raise CommandError("Give INPUT.csv and --out OUTPUT.csv (or --all, or train).")
        source = Path(options["input"])
        if not source.exists():
            raise CommandError(f"No such file: {source}")
        if options["engine"] == "spark" and (missing := spark_available()):
            raise CommandError(f"--engine spark cannot run: {missing}.")
        result = link_file(
            source, options["out"], engine=options["engine"], reviews_path=options["reviews"], adapt=options["adapt"]
        )
        self.stdout.write(
            f"{result.records:,} records -> {result.clusters:,} people ({len(result.pairs):,} links, "
            f"{len(result.reviews):,} pairs to review) "
            f"with {options['engine']} in {time.perf_counter() - started:.1f} s; wrote {options['out']}"
        )
