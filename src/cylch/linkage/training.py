"""`cylch link train`: re-estimate the model's m and u probabilities into a new versioned model file.

Two routes. With ground-truth labels (synthetic data only), m (how often true matches land in each
level) is counted over every labelled true pair and u (how often non-matches do) over a seeded random
sample of record pairs. Real records have no labels: then u comes from seeded random pairs of the
records and m by expectation maximisation over every blocked pair, each pulled towards the current
model as a prior (`cylch.linkage.estimation`). Either way name term frequencies are counted over the
records, and the file records how it was trained.
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

from cylch.linkage.estimation import PRIOR_PAIRS, U_SAMPLE_PAIRS, adapted_parameters, folded_slips
from cylch.linkage.scoring import (
    CURRENT_MODEL,
    FIELDS,
    LEVELS,
    M_FLOOR,
    MODEL_DIR,
    LevelParameters,
    Model,
    compare,
    match_record,
    model_from_dict,
    model_path,
)

TF_MINIMUM_COUNT = 5
SMOOTHING = 1.0


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


def _estimated_levels(records: Path, seed: int, start: Model) -> dict[str, dict[str, dict[str, float]]]:
    """m and u per field level estimated without labels (`cylch.linkage.estimation`), the current model as prior."""
    from cylch.linkage.batch import comparison_patterns, read_rows, row_record

    rows = list(read_rows(records))
    patterns = comparison_patterns(rows, model=start)
    estimated = adapted_parameters(patterns=patterns, records=[row_record(r) for r in rows], prior=start, seed=seed)
    return {f: estimated["fields"][f]["levels"] for f in FIELDS}


def _start(base: dict[str, Any], tf: dict[str, dict[str, float]]) -> Model:
    """The current model with these records' name frequencies, and every level the comparators give.

    A level the current file lacks starts where `model_from_dict` puts it for such a file (a mistyped NHS number
    at its prior: training never sees two strangers' numbers a swap apart, so u would otherwise stay where it
    started), and a level it has no prior for (as v2 lacks 'misspelt') at weight 0 (m = u), no evidence either
    way, until training estimates it.
    """
    start = json.loads(json.dumps(base)) | {"term_frequencies": tf}
    priors = model_from_dict(start).levels
    for f in FIELDS:
        old = start["fields"][f]["levels"]
        start["fields"][f]["levels"] = {
            lv: old.get(lv) or _parameters(priors[f].get(lv, LevelParameters(m=M_FLOOR, u=M_FLOOR))) for lv in LEVELS[f]
        }
    return model_from_dict(start)


def _parameters(level: LevelParameters) -> dict[str, float]:
    return {"m": level.m, "u": level.u}


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
        counts = folded_slips(Counter(v for r in data.values() for v in getattr(r, attr)))  # Dvies is Davies
        total = sum(counts.values())
        tf[f] = {name: round(n / total, 8) for name, n in Counter(counts).most_common() if n >= TF_MINIMUM_COUNT}
    # Which given names count as known (for the misspelt level) comes from these records' frequencies.
    start = _start(base, tf)
    if truth is None:
        base["fields"] = {f: {"levels": levels} for f, levels in _estimated_levels(records, seed, start).items()}
    else:
        base["fields"] = {f: {"levels": levels} for f, levels in _counted_levels(data, truth, seed, start).items()}
    base["term_frequencies"] = tf
    base["version"] = version or _next_version()
    method = "counted from labels" if truth else "estimated (u: random pairs; m: EM, the current model as prior)"
    base["description"] = f"Trained by `cylch link train` on {records.name} ({len(data):,} records), {method}."
    base["training"] = {
        "method": "labelled" if truth else "em_with_prior",
        "records": len(data),
        "source": records.name,
        "labels": truth.name if truth else None,
        "seed": seed,
        "prior_model": None if truth else CURRENT_MODEL,
        "prior_pairs": None if truth else PRIOR_PAIRS,
        "data_seed": data_seed,
        "trained_on": datetime.datetime.now(tz=datetime.UTC).date().isoformat(),
    }
    path = model_path(base["version"])
    path.write_text(json.dumps(base, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
