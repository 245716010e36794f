"""bench/linkage/fresh.py: the fresh independent data set of issue #12 (no database)."""

from __future__ import annotations

import csv
import datetime
import importlib.util
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

PATH = Path(__file__).resolve().parents[2] / "bench/linkage/fresh.py"
_spec = importlib.util.spec_from_file_location("bench_linkage_fresh", PATH)
fresh = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["bench_linkage_fresh"] = fresh  # dataclasses look their module up while the class is built
_spec.loader.exec_module(fresh)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def sample():
    return fresh.generate(3000, seed=5)


@pytest.fixture(scope="module")
def people(sample):
    return {p.person_id: p for p in sample.people}


def with_kind(sample: Any, kind: str) -> list[Any]:
    found = [r for r in sample.records if kind in r.kinds]
    assert found, kind
    return found


def test_deterministic_for_a_seed(sample):
    again = fresh.generate(3000, seed=5)
    assert [(r.fields, r.kinds) for r in again.records] == [(r.fields, r.kinds) for r in sample.records]
    other = fresh.generate(3000, seed=6)
    assert [r.fields for r in other.records] != [r.fields for r in sample.records]


def test_written_apart_from_cylch_and_the_other_generator():
    source = PATH.read_text(encoding="utf-8")
    for name in ("from cylch", "import cylch", "import independent", "from independent", "bench_linkage_"):
        assert name not in source


def test_check_digit_known_values():
    assert fresh.nhs_valid("9434765919")  # the NHS's published example
    assert not fresh.nhs_valid("9434765918")
    assert fresh.nhs_check_digit("943476591") == 9


def test_every_error_kind_it_claims_occurs(sample):
    assert {k for r in sample.records for k in r.kinds} == set(fresh.ERROR_KINDS)


def test_nhs_numbers_are_valid_test_range_unless_transposed(sample, people):
    assert len({p.nhs for p in sample.people}) == len(sample.people)
    for p in sample.people:
        assert p.nhs.startswith("999")
        assert fresh.nhs_valid(p.nhs)
    for r in sample.records:
        number, true = r.fields["nhs_number"], people[r.person_id].nhs
        if "nhs_transposition" in r.kinds:
            assert number != true
            assert sorted(number) == sorted(true)
            assert number.startswith("999")
            assert not fresh.nhs_valid(number)  # modulus 11 catches a transposition
        elif "nhs_missing" in r.kinds:
            assert number == ""
        else:
            assert number == true


def test_agencies_habits_with_nhs_numbers(sample):
    held = Counter(r.agency_id for r in sample.records if r.fields["nhs_number"])
    total = Counter(r.agency_id for r in sample.records)
    assert held[fresh.HEALTH] / total[fresh.HEALTH] > 0.95
    assert held[fresh.POLICE] / total[fresh.POLICE] < 0.25
    assert held[fresh.SCHOOL] / total[fresh.SCHOOL] < 0.25


def test_dates_of_birth_as_the_kinds_say(sample, people):
    for r in sample.records:
        dob, true = r.fields["date_of_birth"], people[r.person_id].dob
        if "dob_missing" in r.kinds:
            assert dob == ""
            continue
        recorded = datetime.date.fromisoformat(dob)
        if "dob_day_month_swap" in r.kinds:
            assert (recorded.day, recorded.month, recorded.year) == (true.month, true.day, true.year)
            assert recorded != true
        elif "dob_year_mistyped" in r.kinds:
            assert (recorded.month, recorded.day) == (true.month, true.day)
            assert recorded.year != true.year
            assert recorded <= r.day  # an agency's system refuses a birth date after the day it records
        else:
            assert recorded == true


def surname_on(p: Any, day: datetime.date) -> str:
    return str(p.renamed[1] if p.renamed and day >= p.renamed[0] else p.family)


def clean_names(r: Any) -> bool:
    return not {"typo", "ocr", "accents_dropped"} & set(r.kinds)


def test_names_change_only_with_a_kind(sample, people):
    checked = 0
    for r in sample.records:
        p = people[r.person_id]
        if set(r.kinds) <= {"nhs_missing", "dob_missing", "postcode_missing", "moved"}:
            assert (r.fields["given_name"], r.fields["family_name"]) == (p.given, surname_on(p, r.day))
            checked += 1
    assert checked > len(sample.records) / 3


def test_name_kinds_change_the_names(sample, people):
    for r in [r for r in with_kind(sample, "first_middle_swap") if clean_names(r)]:
        assert r.fields["given_name"].split(" ")[0] == people[r.person_id].middle
    for r in [r for r in with_kind(sample, "middle_name_included") if clean_names(r)]:
        assert r.fields["given_name"] == f"{people[r.person_id].given} {people[r.person_id].middle}"
    for kind in ("nickname", "welsh_english_form"):
        for r in with_kind(sample, kind):
            assert r.fields["given_name"] != people[r.person_id].given
    for r in with_kind(sample, "ocr"):
        p = people[r.person_id]
        assert (r.fields["given_name"], r.fields["family_name"]) != (p.given, surname_on(p, r.day))
    for r in with_kind(sample, "accents_dropped"):
        assert r.fields["given_name"].isascii()
        assert r.fields["family_name"].isascii()


def test_surname_kinds(sample, people):
    for r in [r for r in with_kind(sample, "double_barrel_split_joined") if clean_names(r)]:
        true = surname_on(people[r.person_id], r.day)
        assert r.fields["family_name"] != true
        assert r.fields["family_name"].replace("-", "").replace(" ", "") == true.replace("-", "").replace(" ", "")
    for r in [r for r in with_kind(sample, "double_barrel_part_dropped") if clean_names(r)]:
        parts = surname_on(people[r.person_id], r.day).replace("-", " ").split(" ")
        assert r.fields["family_name"] in (parts[0], parts[-1])
    patronymic = with_kind(sample, "patronymic")
    assert any(r.fields["family_name"].lower().startswith(("ap", "ab")) for r in patronymic)
    assert any(not r.fields["family_name"].lower().startswith(("ap", "ab")) for r in patronymic)
    for kind in ("marriage", "child_surname_change"):
        for r in with_kind(sample, kind):
            p = people[r.person_id]
            assert p.renamed is not None
            assert p.renamed[2] == kind
            assert r.day >= p.renamed[0]
    assert all(not people[r.person_id].child for r in with_kind(sample, "marriage"))
    born = [people[r.person_id].dob.year for r in with_kind(sample, "child_surname_change")]
    assert sum(year >= 2005 for year in born) > len(born) / 2  # mostly children; some grown-up sons and daughters


def test_moves_change_the_address(sample, people):
    first_day: dict[str, datetime.date] = {}
    for r in sample.records:
        first_day[r.person_id] = min(r.day, first_day.get(r.person_id, r.day))

    def postcode_on(person_id: str, day: datetime.date) -> str:
        return str([m for m in sample.households[people[person_id].family_id].moves if m[0] <= day][-1][1])

    moved = with_kind(sample, "moved")
    for r in moved:
        assert postcode_on(r.person_id, r.day) != postcode_on(r.person_id, first_day[r.person_id])
        if "postcode_missing" not in r.kinds:
            assert r.fields["postcode"] == postcode_on(r.person_id, r.day)
    for r in sample.records:
        if "moved" not in r.kinds and "postcode_missing" not in r.kinds:
            assert r.fields["postcode"] == postcode_on(r.person_id, first_day[r.person_id])


def test_twins_share_birth_date_surname_and_home(sample, people):
    twins = [p for p in sample.people if p.twin_of]
    assert len(twins) >= 10
    for p in twins:
        twin = people[p.twin_of]
        assert twin.twin_of == p.person_id
        assert (twin.dob, twin.family, twin.family_id) == (p.dob, p.family, p.family_id)
        assert twin.given != p.given
        assert twin.nhs != p.nhs


def test_same_name_cousins_live_apart(sample, people):
    cousins = [p for p in sample.people if p.cousin_same_name_of]
    assert len(cousins) >= 10
    for p in cousins:
        other = people[p.cousin_same_name_of]
        assert (other.given, other.family) == (p.given, p.family)
        assert other.family_id != p.family_id


def test_welsh_surname_concentration_and_name_forms(sample):
    welsh = {"Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths"}
    assert sum(p.family in welsh for p in sample.people) / len(sample.people) > 0.3
    given = {p.given for p in sample.people}
    assert {"Siôn", "Dafydd", "Gwenllian", "Rhys"} & given
    recorded = {r.fields["given_name"] for r in sample.records}
    assert {"John", "David", "Gwen", "Reece", "Dai"} & recorded


def test_written_file_and_truth(sample, people, tmp_path):
    paths = fresh.write(sample, tmp_path)
    with paths["linkage_records"].open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with paths["linkage_truth"].open(newline="", encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    assert tuple(rows[0]) == fresh.RECORD_COLUMNS
    assert [r["record_id"] for r in rows] == [t["record_id"] for t in truth]
    assert len({r["record_id"] for r in rows}) == len(rows)
    assert {t["true_person_key"] for t in truth} == set(people)  # every person has at least one record
    assert 2.4 < len(rows) / len(sample.people) < 2.8
