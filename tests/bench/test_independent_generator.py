"""bench/linkage/independent.py: the independent evaluation data set of issue #12 item 4 (no database)."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[2] / "bench/linkage/independent.py"
_spec = importlib.util.spec_from_file_location("bench_linkage_independent", PATH)
independent = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["bench_linkage_independent"] = independent  # dataclasses look their module up while the class is built
_spec.loader.exec_module(independent)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def sample():
    return independent.generate(3000, seed=21)


def test_deterministic_for_a_seed(sample):
    again = independent.generate(3000, seed=21)
    assert [r.fields for r in again.records] == [r.fields for r in sample.records]
    assert [r.kinds for r in again.records] == [r.kinds for r in sample.records]
    other = independent.generate(3000, seed=22)
    assert [r.fields for r in other.records] != [r.fields for r in sample.records]


def test_does_not_use_cylchs_generator():
    source = PATH.read_text(encoding="utf-8")
    assert "from cylch" not in source
    assert "import cylch" not in source


def test_check_digit_known_values():
    assert independent.nhs_valid("9434765919")  # the NHS's published example
    assert not independent.nhs_valid("9434765918")
    assert independent.nhs_check_digit("943476591") == 9


def test_uncorrupted_nhs_numbers_are_valid_test_range(sample):
    people = {p.person_id: p for p in sample.people}
    for p in sample.people:
        assert p.nhs.startswith("999")
        assert independent.nhs_valid(p.nhs)
    for r in sample.records:
        if "nhs_transposition" not in r.kinds and r.fields["nhs_number"]:
            assert r.fields["nhs_number"] == people[r.person_id].nhs
            assert independent.nhs_valid(r.fields["nhs_number"])
            assert r.fields["nhs_number"].startswith("999")
        if "nhs_transposition" in r.kinds:
            assert r.fields["nhs_number"] != people[r.person_id].nhs
            assert sorted(r.fields["nhs_number"]) == sorted(people[r.person_id].nhs)


def test_every_error_kind_occurs(sample):
    seen = {k for r in sample.records for k in r.kinds}
    assert seen == set(independent.ERROR_KINDS)


def test_twins_share_date_of_birth_differ_in_given_name(sample):
    people = {p.person_id: p for p in sample.people}
    twins = [p for p in sample.people if p.twin_of]
    assert len(twins) >= 10
    for p in twins:
        twin = people[p.twin_of]
        assert twin.twin_of == p.person_id
        assert twin.dob == p.dob
        assert twin.given != p.given
        assert (twin.family, twin.postcode) == (p.family, p.postcode)


def test_same_name_cousins(sample):
    people = {p.person_id: p for p in sample.people}
    cousins = [p for p in sample.people if p.cousin_same_name_of]
    assert cousins
    for p in cousins:
        other = people[p.cousin_same_name_of]
        assert (other.given, other.family) == (p.given, p.family)
        assert other.family_id != p.family_id


def test_welsh_surname_concentration(sample):
    welsh = {"Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts"}
    share = sum(p.family in welsh for p in sample.people) / len(sample.people)
    assert share > 0.3


def test_truth_covers_every_record(sample, tmp_path):
    paths = independent.write(sample, tmp_path)
    with paths["linkage_records"].open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with paths["linkage_truth"].open(newline="", encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert tuple(rows[0]) == independent.RECORD_COLUMNS
    assert [r["record_id"] for r in rows] == [t["record_id"] for t in truth]
    assert len({r["record_id"] for r in rows}) == len(rows)
    person_ids = {p.person_id for p in sample.people}
    assert all(t["true_person_key"] in person_ids for t in truth)
    assert {t["true_person_key"] for t in truth} == person_ids  # every person has at least one record
    assert 2.2 < len(rows) / len(sample.people) < 2.9
