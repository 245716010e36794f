"""Slips an agency makes in recording someone, read as evidence rather than as disagreement: an NHS number with two
neighbouring figures swapped, figures and letter pairs a scan mistakes for letters, a middle name recorded first.
Each keeps the guards: twins never link, a birth year out is reviewed, a contradiction keeps people apart."""

from __future__ import annotations

import datetime
import json

from cylch.linkage.names import clean_given_name, middle_given_names
from cylch.linkage.scoring import (
    Decision,
    LevelParameters,
    clean_family_name,
    link_decision,
    load_model,
    match_record,
    model_from_dict,
    model_path,
    nhs_transpositions,
    score,
)
from cylch.people.validators import is_valid_nhs_number
from tests.factories import test_nhs_number as nhs_number

DOB = datetime.date(2015, 3, 9)


def _swapped(number: str) -> str:
    """`number` with two neighbouring figures swapped, as a slip the check digit catches."""
    return min(t for t in nhs_transpositions(number) if not is_valid_nhs_number(t))


def _child(**fields: object):
    values: dict[str, object] = {
        "given_names": ["Osian"],
        "family_names": ["Pritchard"],
        "dates_of_birth": [DOB],
        "sexes": ["male"],
        "postcodes": ["CF37 1AB"],
    } | fields
    return match_record(**values)  # type: ignore[arg-type]


def _decided(a, b) -> tuple[dict[str, str | None], Decision]:
    model = load_model()
    match = score(a, b, model)
    return match.levels, link_decision(match, model)


def test_two_neighbouring_figures_swapped_make_each_transposition_of_the_number():
    assert nhs_transpositions("1123") == {"1213", "1132"}  # the two equal 1s swapped are the same number


def test_a_mistyped_nhs_number_a_swap_away_from_a_valid_one_is_its_own_level():
    levels, _ = _decided(_child(nhs_numbers=[nhs_number(3)]), _child(nhs_numbers=[_swapped(nhs_number(3))]))
    assert levels["nhs_number"] == "transposed"


def test_a_mistyped_nhs_number_no_swap_away_is_missing_not_different():
    unrelated = _swapped(nhs_number(40))
    levels, _ = _decided(_child(nhs_numbers=[nhs_number(3)]), _child(nhs_numbers=[unrelated]))
    assert levels["nhs_number"] is None


def test_a_transposed_nhs_number_links_a_child_who_moved_and_was_renamed_in_welsh():
    # No birth date on the new record: without the number, a Welsh form of a name and a surname after a move are
    # not enough (v6 reads the move alone as weak evidence: then a birth date agreeing would link).
    known = _child(given_names=["Thomas"], nhs_numbers=[nhs_number(3)])
    moved: dict[str, object] = {"given_names": ["Tomos"], "postcodes": ["LL57 2AB"], "dates_of_birth": []}
    assert _decided(known, _child(**moved, nhs_numbers=[_swapped(nhs_number(3))]))[1] == Decision.LINK
    assert _decided(known, _child(**moved))[1] != Decision.LINK


def test_a_transposed_nhs_number_lifts_the_birth_year_rule():
    # A sibling or parent of one name has a number of their own, never one a keying slip away.
    known = _child(nhs_numbers=[nhs_number(3)])
    year_out = _child(dates_of_birth=[DOB.replace(year=2016)], nhs_numbers=[_swapped(nhs_number(3))])
    assert _decided(known, year_out)[1] == Decision.LINK


def test_a_transposed_nhs_number_lifts_a_birth_date_out_by_more_than_one_slip():
    known = _child(nhs_numbers=[nhs_number(3)])
    apart = _child(dates_of_birth=[datetime.date(2011, 9, 3)], nhs_numbers=[_swapped(nhs_number(3))])
    levels, decision = _decided(known, apart)
    assert (levels["date_of_birth"], decision) == ("else", Decision.LINK)


def test_a_year_out_is_still_reviewed_beside_a_transposed_number_when_both_names_differ():
    known = _child(nhs_numbers=[nhs_number(3)])
    other = _child(
        given_names=["Gethin"],
        family_names=["Watkins"],
        dates_of_birth=[DOB.replace(year=2016)],
        nhs_numbers=[_swapped(nhs_number(3))],
    )
    assert _decided(known, other)[1] == Decision.REVIEW


def test_a_year_out_without_an_nhs_number_is_still_reviewed():
    year_out = _child(dates_of_birth=[DOB.replace(year=2016)])
    assert _decided(_child(nhs_numbers=[nhs_number(3)]), year_out)[1] == Decision.REVIEW


def test_twins_whose_numbers_look_a_swap_apart_are_still_never_linked():
    known = _child(given_names=["Osian"], nhs_numbers=[nhs_number(3)])
    twin = _child(given_names=["Gethin"], nhs_numbers=[_swapped(nhs_number(3))])
    assert _decided(known, twin)[1] == Decision.NEW


def test_a_model_file_without_the_level_takes_nine_times_the_chance_two_people_share_a_number():
    data = json.loads(model_path("v5").read_text(encoding="utf-8"))
    model = model_from_dict(data)
    exact = model.level("nhs_number", "exact")
    assert model.level("nhs_number", "transposed") == LevelParameters(m=0.005, u=exact.u * 9)


def test_figures_in_a_name_are_read_as_the_letters_they_were_mistaken_for():
    assert (clean_family_name("J0nes"), clean_given_name("E1is"), clean_given_name("5ian")) == ("jones", "elis", "sian")


def test_a_name_no_one_has_that_a_scan_misread_is_taken_for_the_name():
    levels, decision = _decided(_child(given_names=["David"]), _child(given_names=["Davicl"]))
    assert (levels["given_name"], decision) == ("misspelt", Decision.LINK)


def test_two_real_names_are_never_taken_for_a_misreading_of_each_other():
    # 'Clare' read with 'cl' as 'd' is 'Dare'; both real names here, so twins Clare and Dare stay apart.
    levels, decision = _decided(_child(given_names=["Clare"]), _child(given_names=["Dare"]))
    assert levels["given_name"] != "misspelt"
    assert decision == Decision.NEW


def test_the_given_names_after_the_first_are_middle_names():
    assert (clean_given_name("Sophie Lowri"), middle_given_names("Sophie Lowri")) == ("sophie", ["lowri"])


def test_a_middle_name_recorded_first_is_not_a_different_given_name():
    levels, decision = _decided(
        _child(given_names=["Lowri"], nhs_numbers=[nhs_number(3)]),
        _child(given_names=["Sophie Lowri"], nhs_numbers=[nhs_number(3)]),
    )
    assert (levels["given_name"], decision) == ("middle_name", Decision.LINK)


def test_a_middle_name_recorded_first_on_one_birthday_without_an_agreeing_nhs_number_goes_to_a_person():
    # Sophie Lowri and Lowri Pritchard born the same day may be one girl or twins, one named after the other.
    match = score(_child(given_names=["Lowri"]), _child(given_names=["Sophie Lowri"]), load_model())
    assert (match.guard, link_decision(match, load_model())) == ("middle_name_same_birth_date", Decision.REVIEW)


def test_twins_one_named_after_the_other_are_never_linked_by_the_middle_name():
    # Kevin's middle name is William's first name, but "Kevin" is no name of William Macsen's: two boys.
    levels, decision = _decided(_child(given_names=["William Macsen"]), _child(given_names=["Kevin William"]))
    assert (levels["given_name"], decision) == ("else", Decision.NEW)


def test_first_and_middle_names_swapped_beside_an_agreeing_nhs_number_link():
    levels, decision = _decided(
        _child(given_names=["William Macsen"], nhs_numbers=[nhs_number(3)]),
        _child(given_names=["Macsen William"], nhs_numbers=[nhs_number(3)]),
    )
    assert (levels["given_name"], decision) == ("reordered", Decision.LINK)  # every name the same, reordered


def test_twins_with_different_first_and_middle_names_are_still_never_linked():
    _, decision = _decided(_child(given_names=["Mari Sophie"]), _child(given_names=["Lowri Sophie"]))
    assert decision == Decision.NEW
