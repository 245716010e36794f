"""`cylch link train`: re-estimate the model's m and u probabilities into a new versioned model file.

With ground-truth labels (synthetic data only), m (how often true matches land in each level) is
counted over every labelled true pair and u (how often non-matches do) over a seeded random sample
of record pairs. Real records have no labels: then Splink estimates u by seeded random sampling and
m by expectation maximisation over blocked pairs (blocked on birth date, then on both names, so each
field is estimated in one of the two sessions), starting from the current model. Either way name
term frequencies are counted over the records, and the file records how it was trained.
"""

from __future__ import annotations

import csv
import datetime
import json
import random
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

from cylch.linkage.scoring import (
    CURRENT_MODEL,
    FIELDS,
    LEVELS,
    MODEL_DIR,
    Model,
    compare,
    match_record,
    model_from_dict,
    model_path,
)

U_SAMPLE_PAIRS = 200_000
TF_MINIMUM_COUNT = 5
SMOOTHING = 1.0
M_FLOOR = 0.005  # synthetic errors are narrower than real ones: never rule a level out for true matches
U_FLOOR = 1e-10  # a level never sampled among non-matches must still have a finite weight


def _records(path: Path) -> dict[str, Any]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            row["record_id"]: match_record(
                given_names=[row.get("given_name", "")],
                family_names=[row.get("family_name", "")],
                dates_of_birth=[_date(row.get("date_of_birth", ""))],
                sexes=[row.get("sex", "")],
                nhs_numbers=[row.get("nhs_number", "")],
                postcodes=[row.get("postcode", "")],
            )
            for row in csv.DictReader(handle)
        }


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _next_version() -> str:
    numbers = [int(p.stem[1:]) for p in MODEL_DIR.glob("v*.json") if p.stem[1:].isdigit()]
    return f"v{max(numbers, default=0) + 1}"


def _counted_levels(
    data: dict[str, Any], truth: Path, seed: int, start: Model
) -> dict[str, dict[str, dict[str, float]]]:
    """m and u per field level, counted from labelled pairs (m) and a seeded random sample (u)."""
    with truth.open(newline="", encoding="utf-8") as handle:
        people: dict[str, list[str]] = defaultdict(list)
        for row in csv.DictReader(handle):
            if row["record_id"] in data:
                people[row["true_person_key"]].append(row["record_id"])
    m_counts: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    for ids in people.values():
        for a, b in combinations(ids, 2):
            for f in FIELDS:
                level = compare(f, data[a], data[b], start)
                if level is not None:
                    m_counts[f][level] += 1
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    ids = list(data)
    person_of = {r: p for p, rs in people.items() for r in rs}
    u_counts: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    for _ in range(U_SAMPLE_PAIRS):
        a, b = rng.choice(ids), rng.choice(ids)
        if a == b or person_of.get(a) == person_of.get(b):
            continue
        for f in FIELDS:
            level = compare(f, data[a], data[b], start)
            if level is not None:
                u_counts[f][level] += 1
    fields: dict[str, Any] = json.loads(json.dumps(start.raw["fields"]))
    for f in FIELDS:
        levels = fields[f]["levels"]
        m_total = sum(m_counts[f].values()) + SMOOTHING * len(levels)
        u_total = sum(u_counts[f].values()) + SMOOTHING * len(levels)
        for level, params in levels.items():
            if level == "unborn_window":
                continue  # batch files carry no expected dates: keep the hand-set value
            params["m"] = max(round((m_counts[f][level] + SMOOTHING) / m_total, 8), M_FLOOR)
            if u_counts[f][level]:
                params["u"] = round(u_counts[f][level] / u_total, 10)
            # else: never seen among sampled non-matches (e.g. a shared NHS number): keep the prior value.
    return {f: fields[f]["levels"] for f in FIELDS}


# Expectation maximisation cannot estimate a field it blocks on: each field is free in one session.
EM_BLOCKING_RULES = ("l.dob = r.dob", "l.given_key = r.given_key AND l.family_key = r.family_key")


def _estimated_levels(records: Path, seed: int, start: Model) -> dict[str, dict[str, dict[str, float]]]:
    """m and u per field level estimated by Splink without labels, from the starting model's values."""
    from cylch.linkage.batch import read_rows, splink_linker

    trained: dict[str, Any] = json.loads(json.dumps(start.raw["fields"]))
    with splink_linker(list(read_rows(records)), model=start) as (linker, _db_api, _records):
        linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=seed)
        for rule in EM_BLOCKING_RULES:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, estimate_without_term_frequencies=True
            )
        estimated = linker.misc.save_model_to_json()
    for comparison in estimated["comparisons"]:
        levels = trained[comparison["output_column_name"]]["levels"]
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            params = levels[level["label_for_charts"]]
            if level.get("m_probability") is not None:
                params["m"] = max(round(level["m_probability"], 8), M_FLOOR)
            if level.get("u_probability") is not None:
                params["u"] = max(round(level["u_probability"], 10), U_FLOOR)
    return {f: trained[f]["levels"] for f in FIELDS}


def _start(base: dict[str, Any], tf: dict[str, dict[str, float]]) -> Model:
    """The current model with these records' name frequencies, and every level the comparators give.

    A level the current file lacks (as v2 lacks 'misspelt') starts at weight 0 (m = u), no evidence either way,
    until training estimates it.
    """
    start = json.loads(json.dumps(base)) | {"term_frequencies": tf}
    for f in FIELDS:
        old = start["fields"][f]["levels"]
        start["fields"][f]["levels"] = {lv: old.get(lv, {"m": M_FLOOR, "u": M_FLOOR}) for lv in LEVELS[f]}
    return model_from_dict(start)


def model_train(
    *, records: Path, truth: Path | None = None, version: str = "", seed: int = 1, data_seed: int | None = None
) -> Path:
    """Write `model/<version>.json`: from labels when given, otherwise by Splink's unsupervised estimation.

    `data_seed` is the generator seed of synthetic records, recorded so bench/linkage refuses to score on them.
    """
    data = _records(records)
    base = json.loads(model_path(CURRENT_MODEL).read_text(encoding="utf-8"))
    tf: dict[str, dict[str, float]] = {"given_name": {}, "family_name": {}}
    for f, attr in (("given_name", "given_names"), ("family_name", "family_names")):
        counts = Counter(v for r in data.values() for v in getattr(r, attr))
        total = sum(counts.values())
        tf[f] = {name: round(n / total, 8) for name, n in counts.most_common() if n >= TF_MINIMUM_COUNT}
    # Which given names count as known (for the misspelt level) comes from these records' frequencies.
    start = _start(base, tf)
    if truth is None:
        base["fields"] = {f: {"levels": levels} for f, levels in _estimated_levels(records, seed, start).items()}
    else:
        base["fields"] = {f: {"levels": levels} for f, levels in _counted_levels(data, truth, seed, start).items()}
    base["term_frequencies"] = tf
    base["version"] = version or _next_version()
    method = "counted from labels" if truth else "estimated by Splink (u: random sampling; m: EM on blocked pairs)"
    base["description"] = f"Trained by `cylch link train` on {records.name} ({len(data):,} records), {method}."
    base["training"] = {
        "method": "labelled" if truth else "splink_em",
        "records": len(data),
        "source": records.name,
        "labels": truth.name if truth else None,
        "seed": seed,
        "em_blocking_rules": None if truth else list(EM_BLOCKING_RULES),
        "data_seed": data_seed,
        "trained_on": datetime.datetime.now(tz=datetime.UTC).date().isoformat(),
    }
    path = model_path(base["version"])
    path.write_text(json.dumps(base, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
