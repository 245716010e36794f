"""`cylch link train`: estimate the model's m and u probabilities from labelled records.

m (how often true matches land in each level) is counted over every true pair found by the
blocking rules; u (how often non-matches do) over a seeded random sample of record pairs; name
term frequencies over the records. The result is written as a new versioned model file.
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

from cylch.linkage.scoring import COMPARATORS, FIELDS, MODEL_DIR, match_record, model_path

U_SAMPLE_PAIRS = 200_000
TF_MINIMUM_COUNT = 5
SMOOTHING = 1.0
M_FLOOR = 0.005  # synthetic errors are narrower than real ones: never rule a level out for true matches


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


def model_train(*, records: Path, truth: Path, version: str = "", seed: int = 1) -> Path:
    data = _records(records)
    with truth.open(newline="", encoding="utf-8") as handle:
        people: dict[str, list[str]] = defaultdict(list)
        for row in csv.DictReader(handle):
            if row["record_id"] in data:
                people[row["true_person_key"]].append(row["record_id"])
    base = json.loads(model_path("v1").read_text(encoding="utf-8"))
    m_counts: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    for ids in people.values():
        for a, b in combinations(ids, 2):
            for f in FIELDS:
                level = COMPARATORS[f](data[a], data[b])
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
            level = COMPARATORS[f](data[a], data[b])
            if level is not None:
                u_counts[f][level] += 1
    for f in FIELDS:
        levels = base["fields"][f]["levels"]
        m_total = sum(m_counts[f].values()) + SMOOTHING * len(levels)
        u_total = sum(u_counts[f].values()) + SMOOTHING * len(levels)
        for level, params in levels.items():
            if level == "unborn_window":
                continue  # batch files carry no expected dates: keep the hand-set value
            params["m"] = max(round((m_counts[f][level] + SMOOTHING) / m_total, 8), M_FLOOR)
            if u_counts[f][level]:
                params["u"] = round(u_counts[f][level] / u_total, 10)
            # else: never seen among sampled non-matches (e.g. a shared NHS number): keep the prior value.
    tf: dict[str, dict[str, float]] = {"given_name": {}, "family_name": {}}
    for f, attr in (("given_name", "given_names"), ("family_name", "family_names")):
        counts = Counter(v for r in data.values() for v in getattr(r, attr))
        total = sum(counts.values())
        tf[f] = {name: round(n / total, 8) for name, n in counts.most_common() if n >= TF_MINIMUM_COUNT}
    base["term_frequencies"] = tf
    base["version"] = version or _next_version()
    base["description"] = f"Trained by `cylch link train` on {records.name} ({len(data):,} records)."
    path = model_path(base["version"])
    path.write_text(json.dumps(base, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
