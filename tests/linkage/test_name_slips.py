"""Slips in writing a name read as evidence (issue #12's recall on an independent set): a family name with one slip
of the hand or a scan's misreading, and the same given names written in another order. The twin guards hold."""

from __future__ import annotations

import datetime

from cylch.linkage.scoring import Decision, compare_family_name, link_decision, load_model, match_record, score

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
