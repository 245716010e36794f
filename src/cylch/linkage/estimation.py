"""The model's parameters from the records being linked, with the trained model as the prior.

A model counted from one generator's labelled pairs learns that generator's habits: v4 had never seen a year of
birth mistyped, so it gave that level the floor probability among true matches. A region's records make their
own mistakes. Here, as Splink does, u (how often non-matches agree at each level) comes from random pairs of the
records at hand and m (how often true matches do) by expectation maximisation over the blocked pairs; name
frequencies are counted from the records too. Unlike Splink's EM, each estimate is pulled towards the trained
model by a prior worth `PRIOR_PAIRS` pairs, so a small or odd file cannot talk the model out of what it knows,
and every field is estimated in one pass over all blocked pairs.

`cylch link --adapt` links a file with parameters adapted to it (`cylch.linkage.batch.adapted_model`); `cylch link
train` without labels writes them as a new model version for the incremental matcher.
"""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein

from cylch.linkage.names import name_forms, ocr_reading, undoubled
from cylch.linkage.scoring import FIELDS, M_FLOOR, MatchRecord, Model, compare, model_from_dict

Levels = dict[str, dict[str, float]]  # field -> level -> probability
Pattern = tuple[str | None, ...]  # one level per field of FIELDS (None: missing on one side)

PRIOR_PAIRS = 1_000.0  # how many pairs' worth of evidence the trained model's m counts for
TF_PRIOR_RECORDS = 10_000.0  # likewise for its name frequencies
U_SAMPLE_PAIRS = 200_000
U_FLOOR = 1e-10  # a level never seen among sampled non-matches must still have a finite weight
START_MATCH_SHARE = 0.3
MAX_ITERATIONS = 200
TOLERANCE = 1e-7
FIXED_LEVELS = frozenset({("date_of_birth", "unborn_window")})  # batch files carry no expected dates
# A name seen this many times less often than a name one slip away is counted as a slip of that name.
SLIP_FOLD_RATIO = 20.0


@dataclass(frozen=True)
class Estimate:
    m: Levels
    u: Levels  # among the blocked pairs that are not matches (not the u the model scores with)
    match_share: float  # the share of blocked pairs that are matches
    iterations: int


def _normalised(counts: Mapping[str, float], prior: Mapping[str, float], strength: float) -> dict[str, float]:
    total = sum(counts.values()) + strength
    return {level: (counts.get(level, 0.0) + strength * p) / total for level, p in prior.items()}


def expectation_maximisation(
    patterns: Mapping[Pattern, int],
    *,
    m_prior: Levels,
    u_start: Levels,
    prior_pairs: float = PRIOR_PAIRS,
    match_share: float = START_MATCH_SHARE,
) -> Estimate:
    """m and u of a two-class mixture over comparison patterns (fields independent given the class), each field's
    m a posterior mean under a Dirichlet prior centred on `m_prior` and worth `prior_pairs` pairs."""
    m = {f: dict(levels) for f, levels in m_prior.items()}
    u = {f: dict(levels) for f, levels in u_start.items()}
    total = sum(patterns.values())
    iterations = 0
    while iterations < MAX_ITERATIONS:
        iterations += 1
        m_counts: dict[str, dict[str, float]] = {f: defaultdict(float) for f in FIELDS}
        u_counts: dict[str, dict[str, float]] = {f: defaultdict(float) for f in FIELDS}
        matched = 0.0
        for pattern, count in patterns.items():
            as_match, as_other = match_share, 1.0 - match_share
            for f, level in zip(FIELDS, pattern, strict=True):
                if level is not None:
                    as_match *= m[f][level]
                    as_other *= u[f][level]
            weight = as_match / (as_match + as_other) if as_match + as_other > 0 else 0.0
            matched += count * weight
            for f, level in zip(FIELDS, pattern, strict=True):
                if level is not None:
                    m_counts[f][level] += count * weight
                    u_counts[f][level] += count * (1.0 - weight)
        new_m = {f: _normalised(m_counts[f], m_prior[f], prior_pairs) for f in FIELDS}
        new_u = {f: _normalised(u_counts[f], u_start[f], 1.0) for f in FIELDS}
        new_share = matched / total if total else match_share
        change = max(abs(new_m[f][level] - m[f][level]) for f in FIELDS for level in m[f])
        m, u, match_share = new_m, new_u, new_share
        if change < TOLERANCE:
            break
    return Estimate(m=m, u=u, match_share=match_share, iterations=iterations)


def u_from_random_pairs(records: Sequence[MatchRecord], model: Model, *, seed: int, pairs: int) -> Levels:
    """How often two records picked at random agree at each level, leaving out the pairs `model` takes for one
    person: in a region's file of a few thousand records one random pair in two thousand is the same child, and
    left in they would make an agreeing NHS number or birth date look common among strangers."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible sample, not a secret
    counts: dict[str, Counter[str]] = {f: Counter() for f in FIELDS}
    if len(records) > 1:
        for _ in range(pairs):
            a, b = rng.sample(range(len(records)), 2)
            levels = {f: compare(f, records[a], records[b], model) for f in FIELDS}
            weight = model.prior_weight + sum(model.level_weight(f, lv) for f, lv in levels.items() if lv is not None)
            if weight >= 0:  # more likely than not one person
                continue
            for f, level in levels.items():
                if level is not None:
                    counts[f][level] += 1
    u: Levels = {}
    for f in FIELDS:
        seen = sum(counts[f].values())
        u[f] = {
            # A level never sampled (a shared NHS number between strangers) keeps the trained model's value.
            level: max(counts[f][level] / seen, U_FLOOR) if seen and counts[f][level] else model.level(f, level).u
            for level in model.levels[f]
        }
    return u


def folded_slips(frequencies: Mapping[str, float]) -> dict[str, float]:
    """Name frequencies with each name seen only as a slip of a far commoner one (Dvies, Brnes) counted as that name.

    Counted as a name of its own, a slip is rare, so two records agreeing on it would weigh as much as agreeing on a
    rare real name, and a name the model knows is never read as a slip of another (`scoring.is_misspelling`).
    A name the name-form tables list (Mai, Nel) is a name, however rare and however close to a commoner one.
    """
    folded = dict(frequencies)
    commonest_first = sorted(frequencies.items(), key=lambda item: -item[1])
    for name, share in sorted(frequencies.items(), key=lambda item: item[1]):
        if len(name_forms(name)) > 1:
            continue
        # One letter changed, added, dropped or doubled, two swapped, or a scan's misreading: the rare name's own
        # readings worked out once, not once for each commoner name it is held against.
        undoubled_name, scanned = undoubled(name), ocr_reading(name)
        for other, other_share in commonest_first:
            if other_share < SLIP_FOLD_RATIO * share:
                break
            if (
                other == scanned
                or undoubled(other) == undoubled_name
                or DamerauLevenshtein.distance(name, other, score_cutoff=1) <= 1
            ):
                folded[other] += folded.pop(name)
                break
    return folded


def term_frequencies(records: Iterable[MatchRecord], model: Model) -> dict[str, dict[str, float]]:
    """Each name's share of the records, pulled towards the trained model's by `TF_PRIOR_RECORDS` records."""
    frequencies: dict[str, dict[str, float]] = {}
    for f, attribute in (("given_name", "given_names"), ("family_name", "family_names")):
        counted = Counter(name for record in records for name in getattr(record, attribute))
        counts = folded_slips(counted)
        seen = sum(counts.values())
        prior = model.term_frequencies.get(f, {})
        names = set(counts) | set(prior)
        weight = seen + TF_PRIOR_RECORDS
        blended = {n: (counts.get(n, 0) + TF_PRIOR_RECORDS * prior.get(n, 0.0)) / weight for n in names}
        # Only names common enough to tell anything: the rest take the level's average u, as before.
        frequencies[f] = {n: round(v, 8) for n, v in blended.items() if v * weight >= 5}
    return frequencies


def adapted_parameters(
    *, patterns: Mapping[Pattern, int], records: Sequence[MatchRecord], prior: Model, seed: int = 1
) -> dict[str, Any]:
    """The prior model's file with name frequencies, u and m estimated from these records (a dict to write or load)."""
    with_frequencies: dict[str, Any] = json.loads(json.dumps(prior.raw))
    with_frequencies["term_frequencies"] = term_frequencies(records, prior)
    start = model_from_dict(with_frequencies)  # which names count as known decides the misspelt level
    u = u_from_random_pairs(records, start, seed=seed, pairs=U_SAMPLE_PAIRS)
    m_prior = {f: {level: p.m for level, p in start.levels[f].items()} for f in FIELDS}
    estimate = expectation_maximisation(patterns, m_prior=m_prior, u_start=u)
    for f in FIELDS:
        levels = with_frequencies["fields"][f]["levels"]
        # Every level the model scores, those an older file lacks (and takes a prior for) included.
        for level in start.levels[f]:
            if (f, level) in FIXED_LEVELS and level in levels:
                continue
            levels[level] = {"m": round(max(estimate.m[f][level], M_FLOOR), 8), "u": round(u[f][level], 10)}
    with_frequencies["estimation"] = {
        "method": "u from random pairs; m by expectation maximisation with the trained model as prior",
        "prior_model": prior.version,
        "prior_pairs": PRIOR_PAIRS,
        "tf_prior_records": TF_PRIOR_RECORDS,
        "blocked_pairs": sum(patterns.values()),
        "match_share_of_blocked_pairs": round(estimate.match_share, 6),
        "iterations": estimate.iterations,
        "seed": seed,
    }
    return with_frequencies
