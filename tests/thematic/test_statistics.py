"""The statistics against values worked by hand for small tables (the working is in each docstring)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cylch.thematic.statistics import SMALL_CELL, cluster_count, clusters, cooccurrence, descriptives, summarise


def _matrix(**columns: str) -> pd.DataFrame:
    """Columns of 0/1 written as strings, one character per review: _matrix(a="1100")."""
    return pd.DataFrame({code: [int(c) for c in pattern] for code, pattern in columns.items()})


THREE = _matrix(a="1111100000", b="1111010000", c="1000000001")


def _pair(pairs, a, b):
    return next(p for p in pairs if {p.code_a, p.code_b} == {a, b})


def test_descriptives_count_and_percent_of_all_reviews():
    counts = {c.code: c for c in descriptives(THREE, ["a", "b", "c", "absent"])}
    assert (counts["a"].n, counts["a"].total, counts["a"].percent) == (5, 10, 50.0)
    assert (counts["c"].n, counts["c"].percent) == (2, 20.0)
    assert counts["absent"].n == 0


def test_a_count_under_five_is_too_small_to_generalise():
    counts = {c.code: c for c in descriptives(THREE, ["a", "c"])}
    assert SMALL_CELL == 5
    assert not counts["a"].too_small
    assert counts["c"].too_small


def test_phi_matches_the_hand_value():
    """a and b: both 4, a only 1, b only 1, neither 4. phi = (4·4 − 1·1) / √(5·5·5·5) = 15/25 = 0.6."""
    assert _pair(cooccurrence(THREE), "a", "b").phi == pytest.approx(0.6)


def test_fisher_two_sided_matches_the_hand_value():
    """Margins 5 and 5 of 10: P(X = k) = C(5,k)² / 252, i.e. 1, 25, 100, 100, 25, 1 over 252. Observed 4 (25/252);
    two-sided sums every table as or less likely: (1 + 25 + 25 + 1) / 252 = 52/252."""
    assert _pair(cooccurrence(THREE), "a", "b").p_fisher == pytest.approx(52 / 252)


def test_independent_codes_have_phi_zero_and_p_one():
    """a and c: both 1, a only 4, c only 1, neither 4: ad − bc = 4 − 4 = 0; the observed table is the likeliest."""
    pair = _pair(cooccurrence(THREE), "a", "c")
    assert pair.phi == pytest.approx(0.0)
    assert pair.p_fisher == pytest.approx(1.0)


def test_benjamini_hochberg_matches_the_hand_values():
    """Three pairs, p = 52/252, 1, 1. Ranked: 52/252 · 3/1 = 0.619; 1 · 3/2 = 1.5; 1 · 3/3 = 1; then the running
    minimum from the largest rank down: 1, min(1.5, 1) = 1, min(0.619, 1) = 0.619."""
    pairs = cooccurrence(THREE)
    assert len(pairs) == 3
    assert _pair(pairs, "a", "b").p_adjusted == pytest.approx(3 * 52 / 252)
    assert _pair(pairs, "a", "c").p_adjusted == pytest.approx(1.0)
    assert _pair(pairs, "b", "c").p_adjusted == pytest.approx(1.0)


def test_benjamini_hochberg_takes_the_running_minimum():
    """Six pairs: a–b and c–d perfect over 8 reviews (p = 2/70: one table in C(8,4) = 70 as extreme, each way), the
    other four [[2, 2], [2, 2]] (p = 1). Ranks 1 and 2: 2/70 · 6/1 = 12/70 and 2/70 · 6/2 = 6/70; the running
    minimum gives both 6/70."""
    matrix = _matrix(a="11110000", b="11110000", c="11001100", d="11001100")
    pairs = cooccurrence(matrix)
    assert _pair(pairs, "a", "b").p_fisher == pytest.approx(2 / 70)
    assert _pair(pairs, "a", "b").phi == pytest.approx(1.0)
    assert len(pairs) == 6
    assert _pair(pairs, "a", "b").p_adjusted == pytest.approx(6 / 70)
    assert _pair(pairs, "c", "d").p_adjusted == pytest.approx(6 / 70)
    assert _pair(pairs, "a", "c").p_adjusted == pytest.approx(1.0)


def test_a_perfect_pair_of_eight_reviews_is_significant_after_adjustment():
    pairs = cooccurrence(_matrix(a="11110000", b="11110000"))
    assert pairs[0].significant


def test_pairs_never_found_together_and_codes_without_variation_are_not_tested():
    """x and y exclude each other (two age bands); everywhere is in every review."""
    pairs = cooccurrence(_matrix(x="1100", y="0011", everywhere="1111", z="1010"))
    assert {frozenset((p.code_a, p.code_b)) for p in pairs} == {frozenset(("x", "z")), frozenset(("y", "z"))}


def test_the_clustering_recovers_a_planted_two_group_structure():
    """Inflicted harms in the first ten reviews, internal ones in the last ten, each code missing from one review
    of its group and found once in the other group: two clusters, one per group."""
    inflicted = ["vuln_neglect", "vuln_physical_abuse", "vuln_emotional_abuse"]
    internal = ["vuln_self_esteem", "vuln_suicidal_thoughts", "vuln_neurodiversity", "vuln_learning_difficulties"]
    columns = {}
    for index, code in enumerate(inflicted):
        pattern = ["1"] * 10 + ["0"] * 10
        pattern[index] = "0"
        pattern[10 + index] = "1"
        columns[code] = "".join(pattern)
    for index, code in enumerate(internal):
        pattern = ["0"] * 10 + ["1"] * 10
        pattern[10 + index] = "0"
        pattern[index + 5] = "1"
        columns[code] = "".join(pattern)
    result = clusters(_matrix(**columns), inflicted + internal)
    assert result is not None
    assert result.count == 2
    groups = {frozenset(code for code in result.cluster if result.cluster[code] == n) for n in (1, 2)}
    assert groups == {frozenset(inflicted), frozenset(internal)}
    assert 0 < result.cophenetic <= 1


def test_the_cut_is_in_the_largest_gap_between_merge_heights():
    """Merges at 0.1, 0.2 (two tight pairs of four leaves) then 0.8: the largest gap is after the second merge."""
    assert cluster_count(np.array([0.1, 0.2, 0.8])) == 2
    assert cluster_count(np.array([0.1, 0.7, 0.8])) == 3


def test_fewer_than_three_vulnerabilities_present_are_not_clustered():
    assert clusters(_matrix(a="1100", b="0110", c="0000"), ["a", "b", "c"]) is None


def test_summaries_leave_unknown_values_out():
    summary = summarise([2.0, None, 4.0, 9.0])
    assert (summary.n, summary.mean, summary.median, summary.minimum, summary.maximum) == (3, 5.0, 4.0, 2.0, 9.0)
    assert summary.too_small
    assert summarise([None]).n == 0
