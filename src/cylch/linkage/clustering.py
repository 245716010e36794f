"""Clusters from pairwise links without chaining: a record joins a cluster only if no member contradicts it.

The transitive closure of pairwise links lets a chain of plausible pairs (a child and a record without a birth
date; that record and the child's father of the same name) put two people who contradict each other into one
cluster. Here links are taken strongest first, and two clusters join only if no pair across them contradicts
(`cylch.linkage.scoring.contradicts`): constrained agglomerative clustering with cannot-link constraints. A link
that would break a constraint is not made; it becomes a pair for a person to review instead.

Pairs the blocking never scored are compared here, directly, so a contradiction is found wherever it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cylch.linkage.scoring import Decision, contradicts

Pair = tuple[str, str]
# What a pair of records was decided, and on what field levels: from the blocked pairs, or compared on demand.
PairVerdict = tuple[Decision, dict[str, str | None]]


@dataclass(frozen=True)
class Clustering:
    clusters_by_record: dict[str, str]  # each record -> its cluster, named by its first record in `order`
    held_back: list[tuple[str, str, float]]  # links not made because the clusters they would join contradict


def constrained_clusters(
    ids: Iterable[str],
    links: Iterable[tuple[str, str, float]],
    verdict: Callable[[str, str], PairVerdict],
    order: Callable[[str], Any] = str,
) -> Clustering:
    """Join records along `links` (a, b, probability), most probable first, refusing any join that would put a
    contradicting pair in one cluster. `verdict(a, b)` decides any pair; `order` names clusters."""
    members: dict[str, list[str]] = {i: [i] for i in ids}
    cluster_of = {i: i for i in members}
    held_back: list[tuple[str, str, float]] = []
    for a, b, probability in sorted(links, key=lambda link: (-link[2], order(link[0]), order(link[1]))):
        left, right = cluster_of[a], cluster_of[b]
        if left == right:
            continue
        if any(_contradicting(verdict(x, y)) for x in members[left] for y in members[right]):
            held_back.append((a, b, probability))
            continue
        keep, gone = sorted((left, right), key=order)
        for record in members[gone]:
            cluster_of[record] = keep
        members[keep] += members.pop(gone)
    named = {cluster: min(records, key=order) for cluster, records in members.items()}
    return Clustering(clusters_by_record={i: named[c] for i, c in cluster_of.items()}, held_back=held_back)


def _contradicting(pair: PairVerdict) -> bool:
    decision, levels = pair
    return contradicts(levels, decision)
