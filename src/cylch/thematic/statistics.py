"""The 2023 analysis as functions of a reviews-by-codes table: proportions, co-occurrence, clusters, timeliness.

Every statistic comes from scipy (Fisher's exact test, Pearson's r on two 0/1 columns, which is the phi
coefficient, Jaccard distances, average-linkage clustering, the cophenetic correlation) or statsmodels (the
Benjamini–Hochberg adjustment); nothing is computed by a formula of our own, and tests pin each against values
worked by hand for small tables. `matrix` is a pandas DataFrame of 0/1 (or booleans): one row per review, one
column per code.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
from scipy.cluster.hierarchy import cophenet, dendrogram, fcluster, linkage  # type: ignore[import-untyped]
from scipy.spatial.distance import pdist  # type: ignore[import-untyped]
from scipy.stats import fisher_exact, pearsonr  # type: ignore[import-untyped]
from statsmodels.stats.multitest import multipletests  # type: ignore[import-untyped]

SMALL_CELL = 5  # fewer reviews than this: a figure describes these reviews, too few to generalise from
ALPHA = 0.05  # the false discovery rate the Benjamini–Hochberg adjustment holds
CLUSTER_METHOD = "average"  # UPGMA: defined for any distance, unlike Ward's (Euclidean only)


@dataclass(frozen=True)
class CodeCount:
    code: str
    n: int
    total: int

    @property
    def percent(self) -> float:
        return round(100 * self.n / self.total, 1) if self.total else 0.0

    @property
    def too_small(self) -> bool:
        return self.n < SMALL_CELL


@dataclass(frozen=True)
class Association:
    code_a: str
    code_b: str
    n_both: int
    phi: float
    p_fisher: float
    p_adjusted: float

    @property
    def significant(self) -> bool:
        return self.p_adjusted < ALPHA

    @property
    def too_small(self) -> bool:
        return self.n_both < SMALL_CELL


@dataclass(frozen=True)
class Clustering:
    codes: tuple[str, ...]  # the codes clustered, in the dendrogram's order left to right
    cluster: dict[str, int]  # code -> cluster number, numbered left to right
    count: int  # how many clusters the rule chose
    cut_height: float  # where the tree was cut: halfway across its largest gap
    cophenetic: float  # how faithfully the tree keeps the distances (1 = perfectly)
    icoord: list[list[float]]
    dcoord: list[list[float]]


def descriptives(matrix: pd.DataFrame, codes: Sequence[str]) -> list[CodeCount]:
    """How many reviews show each code, out of all of them (a code absent from the table counts 0)."""
    total = len(matrix)
    return [CodeCount(code, int(matrix[code].sum()) if code in matrix else 0, total) for code in codes]


def varying_codes(matrix: pd.DataFrame) -> list[str]:
    """Codes found in some reviews but not all: a code in every review, or none, cannot co-vary with anything."""
    total = len(matrix)
    return [code for code in matrix.columns if 0 < int(matrix[code].sum()) < total]


def cooccurrence(matrix: pd.DataFrame) -> list[Association]:
    """Every pair of varying codes found together in at least one review: phi, Fisher's exact test (two-sided) and
    the Benjamini–Hochberg adjustment over all the pairs tested.

    Pairs never found together are not listed: most are codes that exclude each other by definition (two age
    bands, death and serious harm), whose "significant" negative association would say nothing.
    """
    columns = {code: matrix[code].to_numpy(dtype=bool) for code in varying_codes(matrix)}
    pairs: list[tuple[str, str, int]] = []
    tables: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for code_a, code_b in itertools.combinations(columns, 2):
        a, b = columns[code_a], columns[code_b]
        n_both = int((a & b).sum())
        if n_both == 0:
            continue
        pairs.append((code_a, code_b, n_both))
        tables.append(((n_both, int((a & ~b).sum())), (int((~a & b).sum()), int((~a & ~b).sum()))))
    if not pairs:
        return []
    # Fisher's p depends on the table alone, and among a few dozen reviews many pairs share one: test each once.
    p_of = {table: float(fisher_exact(table, alternative="two-sided").pvalue) for table in set(tables)}
    p_fisher = [min(p_of[table], 1.0) for table in tables]
    # One vectorised call for every pair's phi (Pearson's r along each row of two stacked 0/1 arrays).
    phis = pearsonr(
        np.array([columns[code_a] for code_a, _b, _n in pairs], dtype=float),
        np.array([columns[code_b] for _a, code_b, _n in pairs], dtype=float),
        axis=1,
    ).statistic
    adjusted = multipletests(p_fisher, alpha=ALPHA, method="fdr_bh")[1]
    return [
        Association(code_a, code_b, n_both, float(phi), p, float(p_adjusted))
        for (code_a, code_b, n_both), phi, p, p_adjusted in zip(pairs, phis, p_fisher, adjusted, strict=True)
    ]


def _largest_gap(heights: np.ndarray) -> int:
    """The index of the last merge below the largest gap between successive merge heights."""
    return int(np.argmax(np.diff(heights)))


def cluster_count(heights: np.ndarray) -> int:
    """The number of clusters left by cutting the tree in its largest gap between successive merge heights
    (the largest jump in fusion level): the groups are tight inside and far apart. Between 2 and n - 1 for n leaves.

    >>> cluster_count(np.array([0.1, 0.2, 0.8]))  # 4 leaves: two tight pairs, then one distant merge
    2
    """
    return len(heights) - _largest_gap(heights)


def clusters(matrix: pd.DataFrame, codes: Sequence[str]) -> Clustering | None:
    """Hierarchical clustering (average linkage) of the codes found in at least one review, on the Jaccard distance
    between the sets of reviews each is found in. None with fewer than three such codes (nothing to split)."""
    present = [code for code in codes if code in matrix and int(matrix[code].sum()) > 0]
    if len(present) < 3:  # two leaves make one merge: no gap to cut in
        return None
    vectors = np.array([matrix[code].to_numpy(dtype=bool) for code in present])
    distances = pdist(vectors, metric="jaccard")
    tree = linkage(distances, method=CLUSTER_METHOD)
    count = cluster_count(tree[:, 2])
    below = _largest_gap(tree[:, 2])
    labels = fcluster(tree, t=count, criterion="maxclust")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all distances equal: the correlation is undefined (nan)
        cophenetic = float(cophenet(tree, distances)[0])
    drawn = dendrogram(tree, no_plot=True, labels=present)
    leaves = tuple(str(leaf) for leaf in drawn["ivl"])
    renumber: dict[int, int] = {}
    for leaf in leaves:
        renumber.setdefault(int(labels[present.index(leaf)]), len(renumber) + 1)
    return Clustering(
        codes=leaves,
        cluster={code: renumber[int(labels[present.index(code)])] for code in present},
        count=count,
        cut_height=float(tree[below, 2] + tree[below + 1, 2]) / 2,
        cophenetic=cophenetic,
        icoord=[list(map(float, row)) for row in drawn["icoord"]],
        dcoord=[list(map(float, row)) for row in drawn["dcoord"]],
    )


@dataclass(frozen=True)
class MeasureSummary:
    n: int
    mean: float | None
    median: float | None
    minimum: float | None
    maximum: float | None

    @property
    def too_small(self) -> bool:
        return self.n < SMALL_CELL


def summarise(values: Sequence[float | None]) -> MeasureSummary:
    """Mean, median and range of the values that are known (a review without both dates has none)."""
    known = pd.Series([value for value in values if value is not None], dtype=float)
    if known.empty:
        return MeasureSummary(0, None, None, None, None)
    return MeasureSummary(
        n=len(known),
        mean=round(float(known.mean()), 1),
        median=round(float(known.median()), 1),
        minimum=float(known.min()),
        maximum=float(known.max()),
    )
