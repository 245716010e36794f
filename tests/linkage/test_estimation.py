"""Parameters from the records being linked: EM recovers known m and u, and the trained model is the prior."""

from __future__ import annotations

import datetime
import random
from collections import Counter

import pytest

from cylch.linkage.estimation import (
    adapted_parameters,
    expectation_maximisation,
    folded_slips,
    term_frequencies,
    u_from_random_pairs,
)
from cylch.linkage.scoring import FIELDS, LEVELS, load_model, match_record
from tests.factories import test_nhs_number as nhs_number

MATCH_SHARE = 0.25
GIVEN = ("Aled", "Carys", "Osian", "Ffion", "Gethin", "Lowri", "Iwan", "Mali", "Rhys", "Seren")
FAMILY = ("Jones", "Pritchard")
CHILDREN = [(given, family) for given in GIVEN for family in FAMILY]


def _even(levels: tuple[str, ...]) -> dict[str, float]:
    return {level: 1 / len(levels) for level in levels}


def _leaning(levels: tuple[str, ...], towards: str) -> dict[str, float]:
    return {level: (0.4 if level == towards else 0.6 / (len(levels) - 1)) for level in levels}


def _known_parameters() -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
    """True matches mostly agree and strangers mostly do not, with every level of every field possible."""
    m, u = {}, {}
    for field in FIELDS:
        levels = LEVELS[field]
        m[field] = {level: (0.7 if i == 0 else 0.3 / (len(levels) - 1)) for i, level in enumerate(levels)}
        u[field] = {level: (0.6 if level == levels[-1] else 0.4 / (len(levels) - 1)) for level in levels}
    return m, u


def _sample(m, u, pairs: int, seed: int) -> Counter:
    rng = random.Random(seed)
    patterns: Counter = Counter()
    for _ in range(pairs):
        source = m if rng.random() < MATCH_SHARE else u
        patterns[tuple(rng.choices(list(source[f]), weights=list(source[f].values()))[0] for f in FIELDS)] += 1
    return patterns


def test_em_recovers_the_m_and_u_a_sample_was_drawn_from():
    m, u = _known_parameters()
    patterns = _sample(m, u, pairs=60_000, seed=4)
    # A start that leans the right way, as a trained model and random pairs do; worth one pair against 60,000.
    leaning = {field: _leaning(LEVELS[field], LEVELS[field][0]) for field in FIELDS}
    strangers = {field: _leaning(LEVELS[field], LEVELS[field][-1]) for field in FIELDS}
    estimate = expectation_maximisation(patterns, m_prior=leaning, u_start=strangers, prior_pairs=1.0, match_share=0.5)
    assert abs(estimate.match_share - MATCH_SHARE) < 0.01
    for field in FIELDS:
        for level in LEVELS[field]:
            assert abs(estimate.m[field][level] - m[field][level]) < 0.02, (field, level)
            assert abs(estimate.u[field][level] - u[field][level]) < 0.02, (field, level)


def test_a_few_pairs_cannot_talk_the_model_out_of_its_prior():
    m, u = _known_parameters()
    prior = {field: _even(LEVELS[field]) for field in FIELDS}
    estimate = expectation_maximisation(_sample(m, u, pairs=20, seed=5), m_prior=prior, u_start=prior)
    for field in FIELDS:
        for level in LEVELS[field]:
            assert abs(estimate.m[field][level] - prior[field][level]) < 0.03, (field, level)


def _child(given: str, family: str, nhs: str) -> object:
    return match_record(
        given_names=[given], family_names=[family], dates_of_birth=[datetime.date(2016, 5, 4)], nhs_numbers=[nhs]
    )


def test_random_pairs_that_are_one_person_do_not_count_as_strangers_agreeing():
    # Twenty children born on one day, each recorded twice: one random pair in about forty is the same child.
    records = [_child(given, family, nhs_number(i)) for i, (given, family) in enumerate(CHILDREN) for _ in range(2)]
    model = load_model()
    u = u_from_random_pairs(records, model, seed=1, pairs=2_000)
    assert u["nhs_number"]["exact"] == model.level("nhs_number", "exact").u  # never seen between strangers
    assert u["date_of_birth"]["exact"] == 1.0  # every stranger here shares the birth date


def test_name_frequencies_come_from_the_records_pulled_towards_the_model():
    records = [_child("Gwenllian", "Zzyzx", "") for _ in range(20_000)]
    frequencies = term_frequencies(records, load_model())
    assert 0.5 < frequencies["family_name"]["zzyzx"] < 1.0  # common here, unknown to the model
    assert frequencies["family_name"]["jones"] < load_model().term_frequencies["family_name"]["jones"]


def test_adapting_estimates_the_levels_the_model_file_predates():
    records = [
        match_record(given_names=[g], family_names=[f], nhs_numbers=[nhs_number(i)])
        for i, (g, f) in enumerate(CHILDREN)
    ]
    adapted = adapted_parameters(patterns=Counter(), records=records, prior=load_model())
    assert "transposed" in adapted["fields"]["nhs_number"]["levels"]
    assert "middle_name" in adapted["fields"]["given_name"]["levels"]


def test_a_name_seen_only_as_a_slip_of_a_far_commoner_one_is_counted_as_it():
    folded = folded_slips({"davies": 0.02, "dvies": 0.0001, "jones": 0.03})
    assert folded == {"davies": pytest.approx(0.0201), "jones": 0.03}


def test_a_rare_name_the_name_tables_list_is_kept_beside_a_commoner_one_a_slip_away():
    assert folded_slips({"mia": 0.01, "mai": 0.0001}) == {"mia": 0.01, "mai": 0.0001}


def test_the_current_model_counts_no_slip_as_a_family_name():
    family = load_model().term_frequencies["family_name"]
    assert "davies" in family
    assert not {"dvies", "brnes", "pguh"} & set(family)
