"""The generated region: reproducible, and shaped like a real Welsh region's families and records."""

from __future__ import annotations

import datetime
import json
from collections import Counter, defaultdict
from statistics import median

from cylch.core.codes import is_valid as is_valid_cylch_id
from cylch.people.validators import is_valid_nhs_number, is_valid_upn
from cylch.synthetic.generator import REFERENCE_DATE, cylch_id_for
from tests.synthetic.conftest import Region, generate_rows

TODAY = REFERENCE_DATE.isoformat()


def _current_members(region: Region) -> dict[object, list[object]]:
    households: dict[object, list[object]] = defaultdict(list)
    for m in region.records("household_membership"):
        if m["start_date"] <= TODAY and (m["end_date"] is None or m["end_date"] >= TODAY):
            households[m["household_id"]].append(m["person_id"])
    return households


def _age(dob: object) -> float:
    return (REFERENCE_DATE - datetime.date.fromisoformat(str(dob))).days / 365.25


def test_same_seed_gives_identical_region():
    assert generate_rows(800, seed=11) == generate_rows(800, seed=11)


def test_different_seeds_give_different_regions():
    assert generate_rows(800, seed=11)["person"] != generate_rows(800, seed=12)["person"]


def test_requested_number_of_people_is_reached_without_a_large_overshoot(region):
    assert 20_000 <= len(region.rows["person"]) <= 20_020


def test_household_sizes_follow_the_uk_distribution(region):
    sizes = Counter(len(members) for members in _current_members(region).values())
    total = sum(sizes.values())
    mean = sum(size * n for size, n in sizes.items()) / total
    assert 2.0 <= mean <= 2.8
    assert 0.20 <= sizes[1] / total <= 0.45
    assert 0.01 <= sum(n for size, n in sizes.items() if size >= 5) / total <= 0.12
    assert max(sizes) <= 10


def test_children_are_between_a_fifth_and_a_third_of_people(region):
    people = region.records("person")
    children = [p for p in people if p["is_unborn"] or _age(p["date_of_birth"]) < 18]
    assert 0.18 <= len(children) / len(people) <= 0.35


def test_nobody_is_born_after_the_reference_date_or_older_than_105(region):
    ages = [_age(p["date_of_birth"]) for p in region.records("person") if p["date_of_birth"]]
    assert min(ages) >= 0
    assert max(ages) < 105


def test_events_per_person_are_near_the_design_point_of_ten(region):
    assert 7 <= len(region.rows["chronology_event"]) / len(region.rows["person"]) <= 14


def test_every_event_is_recorded_after_it_happened_within_the_history(region):
    for event in region.records("chronology_event"):
        assert event["recorded_at"] >= event["occurred_at"]
        assert str(event["recorded_at"])[:10] <= TODAY


def test_every_event_points_at_its_own_agencys_record_of_the_person(region):
    records = {r["id"]: (r["agency_id"], r["person_id"]) for r in region.records("source_record")}
    for event in region.records("chronology_event"):
        assert records[event["source_record_id"]] == (event["agency_id"], event["person_id"])


def test_some_events_carry_the_childs_own_words(region):
    events = region.records("chronology_event")
    with_words = [e for e in events if e["child_words"]]
    assert 0.002 <= len(with_words) / len(events) <= 0.1


def test_planted_trajectories_are_in_a_few_percent_of_families_with_children(region):
    people = {p["id"]: p for p in region.records("person")}
    families = {
        household
        for household, members in _current_members(region).items()
        if any(_age(people[m]["date_of_birth"]) < 18 for m in members if people[m]["date_of_birth"])
    }
    trajectories = region.records("planted_trajectory")
    assert 0.01 <= len(trajectories) / len(families) <= 0.08
    assert {t["kind"] for t in trajectories} == {
        "soft_concerns",
        "missed_appointments",
        "domestic_abuse",
        "new_adult_with_history",
        "co_occurring_harms",
        "missing_exploitation",
    }
    assert all(json.loads(str(t["person_ids"])) for t in trajectories)


def test_every_nhs_number_is_valid_and_in_the_999_test_range(region):
    numbers = [p["nhs_number"] for p in region.records("person") if p["nhs_number"]]
    assert len(numbers) == len(set(numbers))
    assert all(is_valid_nhs_number(str(n)) and str(n).startswith("999") for n in numbers)


def test_every_cylch_id_is_unique_and_checks(region):
    ids = [p["cylch_id"] for p in region.records("person")]
    assert len(set(ids)) == len(ids)
    assert all(is_valid_cylch_id(str(i)) for i in ids)
    assert cylch_id_for(1) != cylch_id_for(2)


def test_every_upn_is_valid_and_unique_per_school(region):
    upns = [(i["agency_id"], i["value"]) for i in region.records("person_identifier") if i["kind"] == "upn"]
    assert upns
    assert len(set(upns)) == len(upns)
    assert all(is_valid_upn(str(value)) for _, value in upns)


def test_unborn_children_have_an_expected_delivery_date_and_no_date_of_birth(region):
    unborn = [p for p in region.records("person") if p["is_unborn"]]
    assert unborn
    assert all(p["expected_delivery_date"] > TODAY and p["date_of_birth"] is None for p in unborn)


def test_every_person_has_between_one_and_several_source_records_each_with_truth(region):
    truth = {t["source_record_id"]: t for t in region.records("source_record_truth")}
    per_person = Counter(r["person_id"] for r in region.records("source_record"))
    assert set(truth) == {r[0] for r in region.rows["source_record"]}
    assert set(per_person) == {p[0] for p in region.rows["person"]}
    assert 1.5 <= sum(per_person.values()) / len(per_person) <= 6


def test_truth_names_the_person_each_record_describes(region):
    cylch_ids = {p["id"]: p["cylch_id"] for p in region.records("person")}
    records = {r["id"]: r["person_id"] for r in region.records("source_record")}
    for t in region.records("source_record_truth"):
        assert t["true_person_key"] == cylch_ids[records[t["source_record_id"]]]


def test_recording_differences_appear_at_roughly_the_intended_rates(region):
    truths = region.records("source_record_truth")
    applied = Counter(d for t in truths for d in str(t["distortions"]).split(",") if d)
    total = len(truths)
    assert 0.15 <= sum(1 for t in truths if t["distortions"]) / total <= 0.7
    assert 0.01 <= applied["family_name_typo"] / total <= 0.05
    assert 0.005 <= applied["dob_day_month_swap"] / total <= 0.02
    assert 0.1 <= applied["nhs_missing"] / total <= 0.5
    for kind in ("nickname", "welsh_english_form", "previous_surname", "old_address", "given_name_typo"):
        assert applied[kind] > 0, kind


def test_distorted_records_really_differ_from_the_person(region):
    people = {p["id"]: p for p in region.records("person")}
    records = {r["id"]: r for r in region.records("source_record")}
    for t in region.records("source_record_truth"):
        record = records[t["source_record_id"]]
        person = people[record["person_id"]]
        if "nhs_missing" in str(t["distortions"]):
            assert record["nhs_number"] == ""
        if "dob_day_month_swap" in str(t["distortions"]):
            assert record["date_of_birth"] != person["date_of_birth"]


def test_households_include_half_siblings_step_parents_and_kinship_carers(region):
    kinds = Counter(r["kind"] for r in region.records("relationship"))
    for kind in ("parent", "step_parent", "partner_of_parent", "sibling", "half_sibling", "grandparent",
                 "kinship_carer", "foster_carer", "partner"):  # fmt: skip
        assert kinds[kind] > 0, kind


def test_some_people_move_house_and_some_between_council_areas(region):
    households = {h["id"]: h["local_authority_id"] for h in region.records("household")}
    spells = defaultdict(list)
    for m in region.records("household_membership"):
        spells[m["person_id"]].append(households[m["household_id"]])
    movers = [areas for areas in spells.values() if len(areas) > 1]
    assert 0.03 <= len(movers) / len(spells) <= 0.4
    assert any(len(set(areas)) > 1 for areas in movers)


def test_register_and_looked_after_rates_are_consistent_with_wales(region):
    """Wales: about 44 per 10,000 children on the register and 116 per 10,000 looked after."""
    children = sum(1 for p in region.records("person") if p["is_unborn"] or _age(p["date_of_birth"]) < 18)
    current = Counter(
        s["kind"] for s in region.records("statutory_status") if s["end_date"] is None or s["end_date"] >= TODAY
    )
    assert 15 <= current["cp_register"] / children * 10_000 <= 150
    assert 40 <= current["looked_after"] / children * 10_000 <= 300
    assert all(s["category"] for s in region.records("statutory_status") if s["kind"] == "cp_register")


def test_everyone_born_is_registered_with_a_gp(region):
    gp_agencies = {a["id"] for a in region.records("agency") if a["kind"] == "gp_practice"}
    with_gp = {i["person_id"] for i in region.records("involvement") if i["agency_id"] in gp_agencies}
    born = {p["id"] for p in region.records("person") if not p["is_unborn"]}
    assert born <= with_gp


def test_health_visitors_carry_realistic_caseloads(region):
    """A health visitor in Wales typically holds 150-350 under-fives."""
    hv_agencies = {a["id"] for a in region.records("agency") if a["kind"] == "health_visiting"}
    caseloads = Counter(
        i["practitioner_id"]
        for i in region.records("involvement")
        if i["agency_id"] in hv_agencies and i["end_date"] is None and i["practitioner_id"]
    )
    assert 100 <= median(caseloads.values()) <= 400


def test_people_speak_welsh_english_and_other_languages(region):
    languages = Counter(p["first_language"] for p in region.records("person"))
    assert languages["eng"] > languages["cym"] > 0
    assert languages["pol"] > 0
    assert languages["ara"] > 0


def test_every_dated_period_ends_on_or_after_it_starts(region):
    for table in ("involvement", "household_membership", "relationship", "statutory_status"):
        for row in region.records(table):
            assert row["end_date"] is None or row["start_date"] is None or row["end_date"] >= row["start_date"], table
