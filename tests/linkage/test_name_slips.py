"""Slips in writing a name read as evidence (issue #12's recall on an independent set): a family name with one slip
of the hand or a scan's misreading; the same given names written in another order; two letters swapped or one
doubled. The twin guards hold."""

from __future__ import annotations

import datetime

from cylch.linkage.names import undoubled
from cylch.linkage.scoring import (
    Decision,
    compare_family_name,
    is_keying_slip,
    link_decision,
    load_model,
    match_record,
    score,
)

DOB = datetime.date(2016, 4, 23)


def _child(**fields: object):
    values: dict[str, object] = {
        "given_names": ["Huw"],
        "family_names": ["Jones"],
        "dates_of_birth": [DOB],
        "sexes": ["male"],
        "postcodes": ["CF62 9WS"],
    } | fields
    return match_record(**values)  # type: ignore[arg-type]


def _decided(a, b) -> tuple[dict[str, str | None], Decision]:
    model = load_model()
    match = score(a, b, model)
    return match.levels, link_decision(match, model)


def test_a_family_name_with_one_slip_inside_is_similar_though_short():
    # Jaro-Winkler gives Jsnes and Jones 0.88, under the similar level's 0.9: one letter is a fifth of the name.
    levels, decision = _decided(_child(), _child(family_names=["Jsnes"], postcodes=["CF44 9AG"]))
    assert levels["family_name"] == "similar"
    assert decision == Decision.LINK  # the same boy, born the same day, after a move


def test_a_family_name_a_scan_misread_is_similar():
    levels, _ = _decided(_child(family_names=["Thomas"]), _child(family_names=["Thornas"]))
    assert levels["family_name"] == "similar"


def test_two_real_family_names_a_letter_apart_are_two_families():
    model = load_model()
    hall, hill = match_record(family_names=["Hall"]), match_record(family_names=["Hill"])
    assert model.knows_family_name("hall")
    assert model.knows_family_name("hill")
    assert compare_family_name(hall, hill, known=model.knows_family_name) == "phonetic"  # not similar


def test_a_family_name_changed_at_its_first_or_last_letter_is_no_slip():
    model = load_model()
    rees, reed = match_record(family_names=["Rees"]), match_record(family_names=["Reed"])
    assert compare_family_name(rees, reed, known=model.knows_family_name) == "else"


def test_first_and_middle_names_swapped_are_one_child_on_one_birthday_without_an_nhs_number():
    sophie = _child(given_names=["Sophie Lowri"], sexes=["female"])
    levels, decision = _decided(sophie, _child(given_names=["Lowri Sophie"], sexes=["female"]))
    assert levels["given_name"] == "reordered"
    assert decision == Decision.LINK


def test_one_name_left_out_on_one_birthday_still_goes_to_a_person():
    # Lowri against Sophie Lowri may be twins, Lowri and Sophie Lowri: not every name of one is the other's.
    sophie = _child(given_names=["Sophie Lowri"], sexes=["female"])
    levels, decision = _decided(sophie, _child(given_names=["Lowri"], sexes=["female"]))
    assert levels["given_name"] == "middle_name"
    assert decision == Decision.REVIEW


def test_twins_with_a_name_in_common_are_not_reordered():
    levels, decision = _decided(_child(given_names=["William Macsen"]), _child(given_names=["Kevin William"]))
    assert levels["given_name"] == "else"
    assert decision == Decision.NEW


def test_a_model_file_without_the_reordered_level_scores_it_as_an_agreeing_first_name():
    given = load_model().levels["given_name"]
    assert given["reordered"] == given["exact"]


def test_two_neighbouring_letters_swapped_at_the_end_of_a_name_are_a_slip_not_a_twin():
    chloe = _child(given_names=["Chloe"], sexes=["female"])
    levels, decision = _decided(chloe, _child(given_names=["Chleo"], sexes=["female"], postcodes=["CF10 1AA"]))
    assert levels["given_name"] == "misspelt"
    assert decision == Decision.LINK


def test_a_letter_doubled_in_a_name_the_model_does_not_know_is_a_slip():
    assert not load_model().knows_given_name("tegwen")
    levels, decision = _decided(_child(given_names=["Tegwen"]), _child(given_names=["Teggwen"]))
    assert levels["given_name"] == "misspelt"
    assert decision == Decision.LINK


def test_short_names_a_swap_apart_may_be_two_children():
    assert not is_keying_slip("mia", "mai")
    levels, decision = _decided(_child(given_names=["Mia"]), _child(given_names=["Mai"]))
    assert levels["given_name"] != "misspelt"
    assert decision != Decision.LINK


def test_two_names_the_model_knows_a_doubled_letter_apart_stay_apart_on_one_birthday():
    # Phillip and Philip are both names: born the same day, a person decides whether they are twins.
    levels, decision = _decided(_child(given_names=["Phillip"]), _child(given_names=["Philip"]))
    assert levels["given_name"] == "similar"
    assert decision == Decision.REVIEW


def test_a_letter_doubled_or_undoubled_is_written_once():
    assert undoubled("gweenno") == undoubled("gwenno") == "gweno"


def test_a_nickname_and_a_move_together_link_a_child_born_the_same_day():
    # A family moves between two agencies' records of a child far more often than v5's generator had it (v6).
    katherine = _child(given_names=["Katherine"], family_names=["Powell"], sexes=["female"])
    katie = _child(given_names=["Katie"], family_names=["Powell"], sexes=["female"], postcodes=["SA33 7LZ"])
    levels, decision = _decided(katherine, katie)
    assert (levels["given_name"], levels["postcode"]) == ("alternative_form", "else")
    assert decision == Decision.LINK


def test_a_slip_inside_a_welsh_name_the_model_records_lack_is_a_misspelling_not_a_twin():
    levels, decision = _decided(
        _child(given_names=["Awen"], sexes=["female"]), _child(given_names=["Awsn"], sexes=["female"])
    )
    assert levels["given_name"] == "misspelt"
    assert decision == Decision.LINK


def test_two_welsh_names_a_letter_apart_are_two_names():
    # Gwyn and Gwen born the same day: twins, not a slip (both are names).
    levels, decision = _decided(_child(given_names=["Gwyn"]), _child(given_names=["Gwen"]))
    assert levels["given_name"] != "misspelt"
    assert decision != Decision.LINK


def test_a_name_recorded_as_its_middle_name_alone_is_reviewed_whichever_record_comes_first():
    # The twin rule's reverse case: Lowri may be Sophie Lowri's twin, named after her, in either order.
    sophie, lowri = (
        _child(given_names=["Sophie Lowri"], sexes=["female"]),
        _child(given_names=["Lowri"], sexes=["female"]),
    )
    assert _decided(lowri, sophie) == _decided(sophie, lowri)
    assert _decided(lowri, sophie)[1] == Decision.REVIEW


def test_a_double_barrelled_name_written_in_part_links_after_a_move():
    # Model v7: one side's family name is part of the other's (Wynne-Jones, Jones), at another postcode.
    jones = _child(given_names=["Huw"], family_names=["Jones"])
    levels, decision = _decided(
        jones, _child(given_names=["Huw"], family_names=["Wynne-Jones"], postcodes=["CF32 9JJ"])
    )
    assert levels["family_name"] == "part"
    assert decision == Decision.LINK
