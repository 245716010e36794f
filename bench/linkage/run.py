"""bench/linkage: pairwise precision, recall and F1 of Cylch's batch linkage against the generator's truth,
beside Splink's own default model (its comparison library, trained by u-sampling and EM) on the same data
in the same run.

  BENCH_PEOPLE=20000 BENCH_SEED=5 .venv/bin/python bench/linkage/run.py

The committed model v4 was trained on the generator's seed 3 (see `training` in model/v4.json), so
the default seed here is 5: the benchmark scores records the model has not seen. A seed equal to the
model's recorded training seed is refused, since scoring on training data flatters the model.

With BENCH_SCALE (people per run, comma-separated) it instead times batch linkage at each size, for
"batch linkage of 1M records ≤ 10 minutes on this machine" (the generator writes ~2.7 records a person,
so 375,000 people is ~1M records), on DuckDB or BENCH_ENGINE=spark, into bench/results/linkage_scaling[_spark].json:

  BENCH_SCALE=20000,100000,375000 .venv/bin/python bench/linkage/run.py
"""

from __future__ import annotations

import csv
import json
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cylch.settings")
sys.path.insert(0, str(ROOT / "src"))

import django  # noqa: E402

django.setup()

from cylch.linkage.batch import link_rows, read_rows  # noqa: E402
from cylch.linkage.scoring import load_model  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "20000"))
SEED = int(os.environ.get("BENCH_SEED", "5"))
THRESHOLD = float(os.environ.get("BENCH_THRESHOLD", "0.95"))
SCALE = [int(n) for n in os.environ.get("BENCH_SCALE", "").split(",") if n.strip()]
ENGINE = os.environ.get("BENCH_ENGINE", "duckdb")
TARGET_SECONDS_PER_MILLION = 600.0


def truth_pairs(path: Path) -> set[tuple[str, str]]:
    people: dict[str, list[str]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            people[row["true_person_key"]].append(row["record_id"])
    return {tuple(sorted(p)) for ids in people.values() for p in combinations(ids, 2)}  # type: ignore[misc]


def cluster_pairs(clusters: dict[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for record, cluster in clusters.items():
        members[cluster].append(record)
    return {tuple(sorted(p)) for ids in members.values() for p in combinations(ids, 2)}  # type: ignore[misc]


def scores(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "pairs": len(predicted)}


def splink_default(records: Path) -> tuple[set[tuple[str, str]], dict[str, str]]:
    """Splink's comparison library and its usual training, on the raw columns."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    db_api = DuckDBAPI()
    con = db_api._con
    con.execute(f"CREATE TABLE raw AS SELECT * FROM read_csv('{records}', all_varchar=true)")  # noqa: S608
    con.execute(
        "CREATE TABLE people AS SELECT record_id AS unique_id, NULLIF(lower(given_name), '') AS given_name, "
        "NULLIF(lower(family_name), '') AS family_name, NULLIF(date_of_birth, '') AS date_of_birth, "
        "NULLIF(sex, '') AS sex, NULLIF(upper(postcode), '') AS postcode, NULLIF(nhs_number, '') AS nhs_number FROM raw"
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("family_name"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.PostcodeComparison("postcode"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("nhs_number"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("nhs_number"),
            block_on("date_of_birth", "family_name"),
            block_on("date_of_birth", "given_name"),
            block_on("given_name", "family_name"),
            block_on("postcode", "date_of_birth"),
        ],
    )
    linker = Linker(db_api.table_to_splink_dataframe("people", "people"), settings, log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nhs_number"), block_on("given_name", "family_name", "date_of_birth")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("family_name", "given_name"))
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    rows = con.execute(f"SELECT unique_id_l, unique_id_r FROM {predictions.physical_name}").fetchall()  # noqa: S608
    pairs = {tuple(sorted((str(a), str(b)))) for a, b in rows}
    ids = [r[0] for r in con.execute("SELECT unique_id FROM people").fetchall()]
    clusters = connected_components([str(i) for i in ids], pairs)
    return pairs, clusters  # type: ignore[return-value]


def connected_components(ids: list[str], pairs: set[tuple[str, str]]) -> dict[str, str]:
    """Splink's own clustering: the transitive closure of the pairs (union-find), named by the smallest ID."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: find(i) for i in ids}


def scaling() -> None:
    """Batch linkage time against the number of records, with the same model and threshold as `cylch link`."""
    runs: list[dict[str, object]] = []
    for people in SCALE:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            from cylch.synthetic.files import region_files_write
            from cylch.synthetic.generator import RegionConfig

            started = time.perf_counter()
            region_files_write(config=RegionConfig(people=people, seed=SEED), out_dir=out)
            generate_seconds = time.perf_counter() - started
            records, truth_file = out / "linkage_records.csv", out / "linkage_truth.csv"
            started = time.perf_counter()
            rows = list(read_rows(records))
            prepare_seconds = time.perf_counter() - started
            started = time.perf_counter()
            result = link_rows(rows, engine=ENGINE)
            link_seconds = time.perf_counter() - started
            truth = truth_pairs(truth_file)
            total = prepare_seconds + link_seconds
            run = {
                "people": people,
                "records": result.records,
                "engine": ENGINE,
                "generate_seconds": round(generate_seconds, 1),
                "prepare_seconds": round(prepare_seconds, 1),
                "link_seconds": round(link_seconds, 1),
                "seconds": round(total, 1),
                "records_per_second": round(result.records / total),
                "pairs": len(result.pairs),
                "clusters": result.clusters,
                "cluster_f1": scores(cluster_pairs(result.clusters_by_record), truth)["f1"],
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
            del rows, result, truth
        runs.append(run)
        print(json.dumps(run), flush=True)
    largest = runs[-1]
    records, seconds = int(largest["records"]), float(largest["seconds"])  # type: ignore[call-overload,arg-type]
    per_million = seconds * 1_000_000 / records
    summary = {
        "target": "batch linkage of 1M records <= 10 minutes",
        "engine": ENGINE,
        "runs": runs,
        "largest_records": records,
        "seconds_per_million_records_at_largest": round(per_million, 1),
        "measured_at_1m": records >= 1_000_000,
        "meets_target": per_million <= TARGET_SECONDS_PER_MILLION if records >= 1_000_000 else None,
        "cpus": os.cpu_count(),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }
    (ROOT / "bench/results").mkdir(parents=True, exist_ok=True)
    path = ROOT / "bench/results" / ("linkage_scaling.json" if ENGINE == "duckdb" else f"linkage_scaling_{ENGINE}.json")
    path.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(
        f"batch linkage ({ENGINE}): {records:,} records in {seconds:.0f} s "
        f"({per_million:.0f} s per million records; target 600 s); wrote {path}"
    )


def training_data_seed() -> int | None:
    """The generator seed of the data the current model was trained on, when its file records one."""
    seed = load_model().raw.get("training", {}).get("data_seed")
    return None if seed is None else int(seed)


def main() -> None:
    if training_data_seed() == SEED:
        sys.exit(f"BENCH_SEED={SEED} is the seed model {load_model().version} was trained on: choose another.")
    if SCALE:
        scaling()
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        from cylch.synthetic.files import region_files_write
        from cylch.synthetic.generator import RegionConfig

        region_files_write(config=RegionConfig(people=PEOPLE, seed=SEED), out_dir=out)
        records, truth_file = out / "linkage_records.csv", out / "linkage_truth.csv"
        truth = truth_pairs(truth_file)
        results: dict[str, object] = {"people": PEOPLE, "seed": SEED, "threshold": THRESHOLD, "truth_pairs": len(truth)}

        started = time.perf_counter()
        rows = list(read_rows(records))
        result = link_rows(rows, threshold=THRESHOLD)
        cylch_seconds = time.perf_counter() - started
        pairwise = {tuple(sorted((a, b))) for a, b, _ in result.pairs}
        results["cylch"] = {
            "model": load_model().version,
            "records": len(rows),
            "seconds": round(cylch_seconds, 2),
            "pairwise": scores(pairwise, truth),  # type: ignore[arg-type]
            "clusters": scores(cluster_pairs(result.clusters_by_record), truth),
        }

        started = time.perf_counter()
        splink_pairs, splink_clusters = splink_default(records)
        results["splink_default"] = {
            "seconds": round(time.perf_counter() - started, 2),
            "pairwise": scores(splink_pairs, truth),
            "clusters": scores(cluster_pairs(splink_clusters), truth),
        }
    print(json.dumps(results, indent=1))
    (ROOT / "bench/results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench/results/linkage.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
