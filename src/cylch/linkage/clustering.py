"""Clusters from pairwise links without chaining: a record joins a cluster only if no member contradicts it.

The transitive closure of pairwise links lets a chain of plausible pairs (a child and a record without a birth
date; that record and the child's father of the same name) put two people who contradict each other into one
cluster. Here links are taken strongest first, and two clusters join only if no pair across them contradicts
(`cylch.linkage.scoring.contradicts`): constrained agglomerative clustering with cannot-link constraints. A link
that would break a constraint is not made; it becomes a pair for a person to review instead.

Pairs the blocking never scored are compared here, directly, so a contradiction is found wherever it is.

A record with neither a birth date nor an NHS number (a school's contact for a parent) that links to two namesakes
of one surname born in different generations (a father and his son of the same name at one address) joins
neither: nothing in it says which one it is, so both links are held back for a person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from cylch.linkage.scoring import Decision, contradicts, pair_guard

Pair = tuple[str, str]
# What a pair of records was decided, and on what field levels: from the blocked pairs, or compared on demand.
PairVerdict = tuple[Decision, dict[str, str | None]]


@dataclass(frozen=True)
class Clustering:
    clusters_by_record: dict[str, str]  # each record -> its cluster, named by its first record in `order`
    held_back: list[tuple[str, str, float]]  # links not made because the clusters they would join contradict
    # ... of which these records' links were held back because they link to namesakes of two generations.
    between_namesakes: frozenset[str] = frozenset()


def constrained_clusters(
    ids: Iterable[str],
    links: Iterable[tuple[str, str, float]],
    verdict: Callable[[str, str], PairVerdict],
    order: Callable[[str], Any] = str,
    undated: Collection[str] = frozenset(),
) -> Clustering:
    """Join records along `links` (a, b, probability), most probable first, refusing any join that would put a
    contradicting pair in one cluster. `verdict(a, b)` decides any pair; `order` names clusters; `undated` are the
    records with neither a birth date nor an NHS number."""
    links = list(links)
    members: dict[str, list[str]] = {i: [i] for i in ids}
    cluster_of = {i: i for i in members}
    held_back: list[tuple[str, str, float]] = []
    between = _between_namesakes(links, verdict, undated)
    for a, b, probability in sorted(links, key=lambda link: (-link[2], order(link[0]), order(link[1]))):
        left, right = cluster_of[a], cluster_of[b]
        if left == right:
            continue
        if a in between or b in between:
            held_back.append((a, b, probability))
            continue
        if any(_contradicting(verdict(x, y)) for x in members[left] for y in members[right]):
            held_back.append((a, b, probability))
            continue
        keep, gone = sorted((left, right), key=order)
        for record in members[gone]:
            cluster_of[record] = keep
        members[keep] += members.pop(gone)
    named = {cluster: min(records, key=order) for cluster, records in members.items()}
    return Clustering(
        clusters_by_record={i: named[c] for i, c in cluster_of.items()}, held_back=held_back, between_namesakes=between
    )


def _between_namesakes(
    links: list[tuple[str, str, float]], verdict: Callable[[str, str], PairVerdict], undated: Collection[str]
) -> frozenset[str]:
    """The undated records linked to two records of one name and surname whose birth dates are generations apart."""
    partners: dict[str, list[str]] = defaultdict(list)
    for a, b, _ in links:
        for record, other in ((a, b), (b, a)):
            if record in undated:
                partners[record].append(other)
    return frozenset(
        record
        for record, others in partners.items()
        if any(_generations_of_one_name(verdict(x, y)[1]) for x, y in combinations(others, 2))
    )


def _generations_of_one_name(levels: dict[str, str | None]) -> bool:
    return (
        levels.get("given_name") == "exact"
        and levels.get("family_name") == "exact"
        and pair_guard(levels) == "different_birth_date"
    )


def _contradicting(pair: PairVerdict) -> bool:
    decision, levels = pair
    return contradicts(levels, decision)
